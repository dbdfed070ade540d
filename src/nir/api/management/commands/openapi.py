"""`nir openapi`: print, write or check the committed OpenAPI document."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nir.api.openapi_document import COMMITTED, REGENERATE, render


class Command(BaseCommand):
    help = "Print the API's OpenAPI document; --write updates docs/openapi.json, --check compares."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--write", action="store_true", help=f"write {COMMITTED}")
        group.add_argument("--check", action="store_true", help="fail if the file is stale")

    def handle(self, *args: Any, **options: Any) -> None:
        document = render()
        if options["write"]:
            COMMITTED.write_text(document, encoding="utf-8")
            self.stdout.write(f"wrote {COMMITTED}")
        elif options["check"]:
            current = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
            if current != document:
                raise CommandError(f"{COMMITTED} is out of date; run `{REGENERATE}`.")
            self.stdout.write("docs/openapi.json is up to date")
        else:
            self.stdout.write(document, ending="")
