"""The `nir` command: Django's management commands under the register's own name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nir.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["nir", *sys.argv[1:]])


if __name__ == "__main__":
    main()
