"""The `nir` command: Django's management commands under the register's own name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nir.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Read the settings before Django's own command line does: it would hide a bad
        # setting behind "Unknown command" or a traceback.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        print(f"nir: {error}", file=sys.stderr)
        sys.exit(2)
    if sys.argv[1:2] == ["bench"]:
        _bench(sys.argv[2:])
        return
    execute_from_command_line(["nir", *sys.argv[1:]])


def _bench(args: list[str]) -> None:
    """``nir bench``: the benchmarks stay out of INSTALLED_APPS, so they are run from here."""
    import django

    django.setup()
    from nir.bench.command import Command

    Command().run_from_argv(["nir", "bench", *args])


if __name__ == "__main__":
    main()
