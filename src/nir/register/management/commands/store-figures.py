"""nir store-figures: store the figures of the years whose cut-off has passed, or again."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min
from django.utils import timezone
from tqdm import tqdm

from nir.register.cutoffs import annual_cutoff
from nir.register.models import Participation
from nir.register.services.context import Actor, Channel, write_context
from nir.register.services.stored_figures import CutoffNotPassed, store_year_figures


def _passed_years() -> list[int]:
    """Every year of the register whose cut-off day has ended: from the year the first
    participation started to the last year whose cut-off is behind us."""
    first = Participation.objects.aggregate(first=Min("start_date"))["first"]
    today = timezone.localdate()
    if first is None:
        return []
    return [y for y in range(first.year, today.year) if annual_cutoff(y).day < today]


class Command(BaseCommand):
    help = (
        "Store a year's figures at its cut-off (every year whose cut-off has passed, without "
        "--year). Figures already stored are left as they are; --rebuild counts and stores "
        "them again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument(
            "--rebuild", action="store_true", help="count and store stored years again"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        years = [options["year"]] if options["year"] is not None else _passed_years()
        actor = Actor("cli:store-figures", Channel.CLI, None)
        with tqdm(years, unit="år", disable=options["no_progress"], file=sys.stderr) as bar:
            for year in bar:
                bar.set_postfix_str(str(year))
                try:
                    outcome = store_year_figures(
                        write_context(actor), year, rebuild=options["rebuild"]
                    )
                except CutoffNotPassed as error:
                    raise CommandError(str(error)) from None
                stored = ", ".join(outcome.stored) or "none"
                kept = ", ".join(outcome.kept) or "none"
                self.stdout.write(f"figures {year}: stored {stored}; kept {kept}")
