"""nir access-log --person NUMBER: who has read this person's records (innsyn)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from nir.audit.access_log import person_access_log
from nir.register.models import Person


class Command(BaseCommand):
    help = "Print the access log of one person, oldest first, for a request of access."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", required=True, help="fødselsnummer or D-nummer")

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.filter(identity_number=options["person"].strip()).first()
        if person is None:
            raise CommandError("No person with that number is registered.")
        count = 0
        for entry in person_access_log(person.pk):
            count += 1
            at = timezone.localtime(entry.occurred_at)
            self.stdout.write(
                f"{at:%Y-%m-%d %H:%M:%S} {entry.organisation:<10} "
                f"{entry.actor:<30} {entry.channel:<6} {entry.action}: {entry.what}"
            )
        self.stdout.write(f"{count} read(s) of this person's records")
