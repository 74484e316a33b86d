"""The `youse` command: Django's manage with Youse's settings as the default."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["youse", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
