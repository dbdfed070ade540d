"""nir research-extract: a pseudonymised extract for an approved research project (CSV)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nir.register.research import COLUMNS, ExtractRequest, research_extract
from nir.register.services.context import Actor, Channel
from nir.rules.errors import RuleViolation
from nir.rules.k_anonymity import DEFAULT_K


class Command(BaseCommand):
    help = "Write a pseudonymised extract for a research project; every extract is logged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", required=True, help="the approved project's code")
        parser.add_argument(
            "--columns", required=True, help=f"comma-separated, of: {', '.join(COLUMNS)}"
        )
        parser.add_argument("--years", required=True, help="YYYY-YYYY")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--requested-by", required=True, help="who asked, for the log")
        parser.add_argument("--purpose", default="", help="what the project uses it for (logged)")
        parser.add_argument("--k", type=int, default=DEFAULT_K, help="k-anonymity (default 5)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first, last = (int(y) for y in options["years"].split("-"))
        except ValueError:
            raise CommandError("--years must be YYYY-YYYY.") from None
        actor = Actor(options["requested_by"], Channel.CLI, None)
        try:
            extract = research_extract(
                actor=actor,
                request=ExtractRequest(
                    project=options["project"],
                    columns=[c.strip() for c in options["columns"].split(",") if c.strip()],
                    first_year=first,
                    last_year=last,
                    purpose=options["purpose"],
                    k=options["k"],
                ),
            )
        except RuleViolation as error:
            raise CommandError(f"{error.field}: {error.message}") from None
        count = 0
        with options["output"].open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(extract.header)
            for row in extract.rows:
                writer.writerow(row)
                count += 1
        report = extract.report
        self.stdout.write(f"research extract {options['project']}: {count} rows")
        generalised = ", ".join(f"{c}: {level}" for c, level in report.generalised.items())
        self.stderr.write(
            f"k={report.k}; generalised: {generalised or 'nothing'}; "
            f"{report.suppressed} rows left out to reach k; "
            f"{report.reserved_left_out} reserved persons left out"
        )
