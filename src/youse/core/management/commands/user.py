"""`youse user create USERNAME --role ROLE [scope]`: accounts with a role and a scope, audited.

Django's createsuperuser makes an account without a role, which sees nothing; real accounts are made here
(or in the admin)."""

import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from youse.core import audit, services
from youse.core.models import AuditEvent, Division, ResponsibleUnit, User
from youse.core.roles import Role


class Command(BaseCommand):
    help = "Create or list Youse accounts (role and scope)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create an account")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--division", help="city-level division code (city users), e.g. 610800")
        create.add_argument("--unit", help="responsible unit code (provincial units), e.g. hbt")
        create.add_argument("--enterprise", help="unified social credit code (enterprise users)")
        create.add_argument("--name", default="", help="display name")
        create.add_argument("--staff", action="store_true", help="may use the admin (department staff)")
        create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        sub.add_parser("list", help="list accounts with role and scope")

    def handle(self, *args, **options) -> None:
        if options["action"] == "list":
            for user in User.objects.order_by("username").select_related("division", "unit", "enterprise"):
                state = "active" if user.is_active else "inactive"
                self.stdout.write(f"{user.username}\t{user.role}\t{user.scope_label}\t{state}")
            return
        scope = self._scope(options)
        if options["password_stdin"]:
            password = self.stdin.readline().rstrip("\n") if hasattr(self, "stdin") else input()
        else:
            password = getpass.getpass("Password: ")
        if len(password) < 10:
            raise CommandError("The password must have at least 10 characters.")
        # The rest of AUTH_PASSWORD_VALIDATORS too (common passwords, likeness to the account's names), as
        # the admin's password forms apply them.
        candidate = User(username=options["username"], display_name=options["name"])
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with audit.channel(AuditEvent.Channel.CLI):
            try:
                user = services.create_user(
                    None,
                    options["username"],
                    options["role"],
                    password=password,
                    display_name=options["name"],
                    is_staff=options["staff"],
                    reason="created with youse user create",
                    **scope,
                )
            except ValidationError as exc:
                details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                raise CommandError(details) from None
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} ({user.role}, {user.scope_label or '-'})"))

    def _scope(self, options: dict) -> dict:
        scope: dict = {}
        if options["division"]:
            division = Division.objects.filter(code=options["division"], valid_to__isnull=True).first()
            if division is None:
                raise CommandError(f"Unknown division code: {options['division']}")
            scope["division"] = division
        if options["unit"]:
            unit = ResponsibleUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Unknown responsible unit: {options['unit']}")
            scope["unit"] = unit
        if options["enterprise"]:
            from youse.registry.models import Enterprise

            enterprise = Enterprise.objects.filter(credit_code=options["enterprise"].upper()).first()
            if enterprise is None:
                raise CommandError(f"No enterprise with credit code {options['enterprise']}")
            scope["enterprise"] = enterprise
        return scope
