"""nir sweep: end participations whose frist has passed with no end registered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from nir.register.management.arguments import iso_date
from nir.register.services.sweep import run_sweep


class Command(BaseCommand):
    help = (
        "End every participation whose frist passed before --date (default today, Oslo) "
        "as «avslutningsårsak ikke registrert». Idempotent for a date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, default=None, help="YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["date"] or timezone.localdate()
        result = run_sweep(as_of=as_of, dry_run=options["dry_run"])
        verb = "would end" if result.dry_run else "ended"
        self.stdout.write(
            f"sweep {as_of.isoformat()}: {verb} {result.ended} participation(s) as ikke_registrert"
        )
