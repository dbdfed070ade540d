"""`nir conformance --base-url URL --token TOKEN`: the vendor conformance kit (docs/api.md)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nir.api.conformance import run_conformance


class Command(BaseCommand):
    help = "Run the scripted conformance suite against a register's API and print the report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", required=True, help="e.g. https://nir-test.imdi.no")
        parser.add_argument("--token", required=True, help="the case system's API token")

    def handle(self, *args: Any, **options: Any) -> None:
        # The report says what each request did; httpx's own line per request is noise.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        report = run_conformance(options["base_url"].rstrip("/"), options["token"])
        self.stdout.write(report.render())
        if not report.passed:
            raise CommandError("the register's API did not pass every check")
