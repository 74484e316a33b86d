import io

import pytest
from django.core.management import CommandError, call_command

from youse.core.models import AuditEvent, User


def create(*args, password="a-strong-password"):
    out = io.StringIO()
    cmd_stdin = io.StringIO(password + "\n")
    from youse.core.management.commands.user import Command

    command = Command(stdout=out)
    command.stdin = cmd_stdin
    call_command(command, "create", *args, "--password-stdin")
    return out.getvalue()


def test_it_creates_a_city_user_with_its_scope_and_audit(db):
    output = create("weinan", "--role", "city", "--division", "610500")
    user = User.objects.get(username="weinan")
    assert user.division.code == "610500" and user.check_password("a-strong-password")
    assert "Weinan" in output
    event = AuditEvent.objects.get(action="create", object_id=str(user.pk))
    assert event.channel == "cli"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x1", "--role", "city", "--division", "619999"), "Unknown division code"),
        (("x2", "--role", "city"), "division"),
        (("x3", "--role", "provincial_unit", "--unit", "nope"), "Unknown responsible unit"),
        (("x4", "--role", "enterprise", "--enterprise", "91350100M000100Y43"), "No enterprise"),
    ],
)
def test_it_refuses_accounts_without_a_valid_scope(db, args, message):
    with pytest.raises(CommandError, match=message):
        create(*args)
    assert not User.objects.filter(username=args[0]).exists()


def test_it_refuses_short_passwords(db):
    with pytest.raises(CommandError, match="10 characters"):
        create("shorty", "--role", "department", password="short")
