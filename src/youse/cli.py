"""The `youse` command: Django's manage with Youse's settings as the default.

Commands are files named with underscores (export_stats.py); `youse export-stats` is accepted as well, as
the documentation writes multi-word commands with hyphens."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youse.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and "-" in args[0] and not args[0].startswith("-"):
        import django
        from django.core.management import get_commands

        django.setup()
        underscored = args[0].replace("-", "_")
        if underscored in get_commands():
            args[0] = underscored
    execute_from_command_line(["youse", *args])


if __name__ == "__main__":
    main()
