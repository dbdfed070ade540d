"""nir cutoff: show a year's cut-off, or set IMDi's exception for it (with a reason)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nir.register.cutoffs import annual_cutoff
from nir.register.management.arguments import iso_date
from nir.register.services.context import Actor, Channel
from nir.register.services.cutoffs import remove_cutoff_exception, set_cutoff_exception
from nir.rules.errors import RuleViolation


class Command(BaseCommand):
    help = (
        "Show the cut-off of a year's figures; with --date and --reason set IMDi's exception "
        "for the year, with --remove go back to the published date or the rule. The change "
        "and its reason are kept in the history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--date", type=iso_date, default=None, help="YYYY-MM-DD")
        parser.add_argument("--reason", default="", help="why the year has its own cut-off")
        parser.add_argument("--remove", action="store_true")
        parser.add_argument("--by", default="", help="who decided it (default: the OS user)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        actor = Actor(f"cli:{options['by'] or getpass.getuser()}", Channel.CLI, None)
        try:
            if options["remove"]:
                remove_cutoff_exception(actor=actor, year=year, reason=options["reason"])
            elif options["date"] is not None:
                set_cutoff_exception(
                    actor=actor, year=year, cutoff_date=options["date"], reason=options["reason"]
                )
        except RuleViolation as violation:
            raise CommandError(f"{violation.field}: {violation.message}") from None
        cutoff = annual_cutoff(year)
        note = f" ({cutoff.note_nb})" if cutoff.note_nb else ""
        self.stdout.write(
            f"cut-off {year}: {cutoff.day.isoformat()} [{cutoff.source}] "
            f"{cutoff.basis.reference}{note}"
        )
