"""nir report: build the register's reports from the command line."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from nir.register.publication import published_figures
from nir.register.services.reports import store_ukraina_report
from nir.register.statistics import (
    BASIS_COLUMNS,
    COUNTING_IMDI,
    COUNTINGS,
    DIMENSIONS,
    OUTCOME_COLUMNS,
    cutoff_at,
)
from nir.rules.disclosure import TOTAL


class Command(BaseCommand):
    help = "Build a report: 'ukraina --month YYYY-MM' or 'statistikk --year YYYY --by DIM'."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        ukraina = sub.add_parser("ukraina", help="the monthly Ukraina report (XLSX)")
        ukraina.add_argument("--month", required=True, help="YYYY-MM")
        ukraina.add_argument("--output", type=Path, help="write the XLSX here too")
        stats = sub.add_parser("statistikk", help="the year's published figures (CSV)")
        stats.add_argument("--year", type=int, required=True)
        stats.add_argument("--by", choices=sorted(DIMENSIONS), default="kommune")
        stats.add_argument(
            "--at-cutoff", action="store_true", help="as the register stood at the annual cut-off"
        )
        stats.add_argument(
            "--counting",
            choices=sorted(COUNTINGS),
            default=COUNTING_IMDI,
            help="imdi: every ending in the year; ssb: each person once, at the last ending",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "ukraina":
            try:
                report = store_ukraina_report(options["month"], timezone.now())
            except ValueError as error:
                raise CommandError(str(error)) from None
            if options["output"]:
                options["output"].write_bytes(bytes(report.xlsx))
            self.stdout.write(
                f"ukraina {report.period}: "
                + ", ".join(f"{k} {v}" for k, v in report.summary["totals"].items())
            )
            return
        year = options["year"]
        at = cutoff_at(year) if options["at_cutoff"] else None
        published = published_figures(
            year, options["by"], at_cutoff=options["at_cutoff"], counting=options["counting"]
        )
        writer = csv.writer(self.stdout, delimiter=";", lineterminator="")
        title = DIMENSIONS[options["by"]].title
        writer.writerow(
            [
                title,
                "Deltakere",
                "Startet",
                *OUTCOME_COLUMNS,
                "Avsluttet",
                "Direkte måloppnåelse %",
                *BASIS_COLUMNS,
            ]
        )
        counting, cutoff = published.figures.basis
        basis = [counting, cutoff if isinstance(cutoff, str) else f"{cutoff:%d.%m.%Y}"]
        for row in [*published.figures.rows, TOTAL]:
            shown = [
                published.participants.shown(row, "Antall"),
                published.starts.shown(row, "Antall"),
                *(published.ends.shown(row, c) for c in OUTCOME_COLUMNS),
                published.ends.shown(row, TOTAL),
                published.attainment_percent(row),
            ]
            writer.writerow(
                [
                    "I alt" if row == TOTAL else row,
                    *("." if v is None else v for v in shown),
                    *basis,
                ]
            )
        stamp = f"slik registeret sto {timezone.localtime(at):%d.%m.%Y %H:%M}" if at else "nå"
        self.stderr.write(
            f"statistikk {year} etter {options['by']}, {stamp}; {published.figures.counting_nb}"
        )
