"""nir bench: seed up to N participations if needed, measure, and write docs/benchmarks.md.

nir.bench is not an installed app (a production register has no use for it), so Django
does not find this command by itself: ``nir.cli`` runs it for ``nir bench``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from nir.bench.chart import ratio_chart_svg
from nir.bench.measure import machine, markdown_section, run_all, section_title
from nir.register.models import Participation
from nir.register.rule_config import rule_config


class Command(BaseCommand):
    help = "Benchmark the register against the machine's own limits; write the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--participants", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"))
        parser.add_argument(
            "--load-seconds",
            type=float,
            default=10.0,
            help="seconds of concurrent reads per page; 0 skips them",
        )
        parser.add_argument(
            "--ingest-records",
            type=int,
            default=20_000,
            help="new participants sent through the API per run; 0 skips the ingest",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not rule_config().allow_synthetic_identity_numbers:
            # The benchmark's register and its API ingest are synthetic test persons.
            raise CommandError(
                "nir bench registers synthetic test persons: set NIR_ALLOW_SYNTHETIC_IDS=true "
                "(never on a production register)."
            )
        call_command("migrate", verbosity=0)  # a fresh scratch register works as it is
        missing = options["participants"] - Participation.objects.count()
        if missing > 0:
            self.stdout.write(f"bench: seeding {missing} participations")
            call_command("seed", participants=missing, seed=missing, stdout=self.stdout)
        figures = run_all(
            options["runs"],
            timezone.localdate(),
            options["load_seconds"],
            options["ingest_records"],
        )
        path: Path = options["output"]
        info = machine()
        # The chart beside the page, one a database, with the same numbers as the table.
        chart = path.with_name(f"{path.stem}-{connection.vendor}.svg")
        chart.write_text(
            ratio_chart_svg(figures, section_title(info)),
            encoding="utf-8",
        )
        section = markdown_section(figures, info, options["runs"], chart.name)
        text = (
            path.read_text(encoding="utf-8")
            if path.exists()
            else ("# Benchmarks\n\nWritten by `nir bench`; each section is one database.\n\n")
        )
        heading = f"## {connection.vendor}"
        # Replace this database's section, keep the others.
        pattern = re.compile(rf"^{re.escape(heading)}.*?(?=^## |\Z)", re.M | re.S)
        text = pattern.sub("", text).rstrip() + "\n\n" + section
        path.write_text(text, encoding="utf-8")
        self.stdout.write(section)
