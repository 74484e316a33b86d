"""`youse token create|list|revoke`: tokens printed once, listed by prefix, revoked for good, all audited
on the CLI channel."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from youse.core.models import ApiToken, AuditEvent

ENTERPRISES = "/api/v1/registry/enterprises"


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue()


def works(raw: str) -> bool:
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(ENTERPRISES)
    assert response.status_code in (200, 401)
    return response.status_code == 200


def test_it_creates_a_token_that_works(personas):
    raw = run("create", "yulin", "--name", "统计导出").strip()
    assert raw.startswith("ys_") and len(raw) > 30
    assert works(raw)
    token = ApiToken.objects.get(user=personas.city)
    assert token.name == "统计导出"
    assert token.expires_at is None
    assert raw not in {token.key_hash, token.key_prefix}  # only the hash is kept
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN)
    assert event.channel == AuditEvent.Channel.CLI
    assert event.object_id == str(personas.city.pk)
    assert event.after["token"] == token.key_prefix


def test_it_creates_a_token_that_expires(personas):
    run("create", "gxt", "--days", "7")
    token = ApiToken.objects.get(user=personas.department)
    assert token.expires_at is not None
    days = (token.expires_at - timezone.now()).days
    assert 6 <= days <= 7


@pytest.mark.parametrize("days", ["0", "-3", "100000"])
def test_it_refuses_an_unreasonable_validity(personas, days):
    with pytest.raises(CommandError, match="--days"):
        run("create", "gxt", "--days", days)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("action", ["create", "list"])
def test_it_names_an_unknown_user(personas, action):
    with pytest.raises(CommandError, match="nobody"):
        run(action, "nobody")


def test_it_lists_a_users_tokens(personas):
    run("create", "yulin", "--name", "first")
    run("create", "yulin", "--name", "second", "--days", "30")
    run("create", "gxt", "--name", "not-yulins")
    listing = run("list", "yulin")
    lines = listing.strip().splitlines()
    assert lines[0].split() == ["prefix", "name", "created", "last", "used", "expires", "revoked"]
    assert len(lines) == 3
    for token in ApiToken.objects.filter(user=personas.city):
        assert token.key_prefix in listing
    assert "second" in listing and "first" in listing and "not-yulins" not in listing
    assert "has no tokens" in run("list", "hbt")


def test_it_revokes_a_token_by_prefix(personas):
    raw = run("create", "yulin").strip()
    assert works(raw)
    token = ApiToken.objects.get(user=personas.city)
    assert "Revoked" in run("revoke", token.key_prefix, "--reason", "laptop lost")
    assert not works(raw)
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(content_type__model="apitoken", object_id=str(token.pk))
    assert (event.action, event.channel, event.reason) == ("token_revoked", "cli", "laptop lost")
    assert event.before["revoked_at"] is None and event.after["revoked_at"]
    assert token.key_prefix in run("list", "yulin")
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke", token.key_prefix)


def test_it_revokes_a_token_given_whole(personas):
    raw = run("create", "yulin").strip()
    run("revoke", raw)
    assert not works(raw)


def test_it_names_an_unknown_or_ambiguous_prefix(personas):
    with pytest.raises(CommandError, match="No token"):
        run("revoke", "ys_nothing")
    first = run("create", "yulin").strip()
    second = run("create", "gxt").strip()
    ApiToken.objects.update(key_prefix="ys_same000")
    with pytest.raises(CommandError, match="2 tokens"):
        run("revoke", "ys_same000")
    assert works(first) and works(second)
