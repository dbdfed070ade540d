"""Retention: what has passed the policy is anonymised or deleted, and each step is logged.

Policy (configurable, see docs/configuration.md; the law's own periods are for the
deployment to set):
- a person whose every participation, in either scheme (the introduction programme and
  Norwegian and social-studies training), ended more than NIR_RETENTION_PERSON_YEARS years ago
  is anonymised: names, identity and DUF numbers are removed and the birth date is cut to the
  year, so the person still counts in statistics but can no longer be identified; the
  person's snapshots in the change history are cleared the same way;
The access log is append-only and is not touched here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import DateField, Exists, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from nir.register.models import HistoryEvent, Participation, Person
from nir.register.norsk_models import NorskParticipation
from nir.register.services import events
from nir.register.services.context import SYSTEM, write_context
from nir.register.services.history import NewEvent, record
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.dates import add_months

BASIS_RETENTION = LegalBasis(
    "retention.policy",
    "Registerets regel: konfigurert sletting og anonymisering",
    BasisKind.BESLUTNING,
)
ANONYMISED = "Anonymisert"
# Stands in for "no participation in this scheme", so the other scheme's last end decides.
NEVER = Value(dt.date(1, 1, 1), output_field=DateField())


def _past_retention(limit: dt.date) -> QuerySet[Person, tuple[int, dt.date]]:
    """(id, last end) of each person with nothing open in either scheme and whose last end,
    in any scheme, is before limit."""
    return (
        Person.objects.exclude(identity_kind="anonymisert")
        .exclude(Exists(Participation.objects.filter(person=OuterRef("pk"), end_date__isnull=True)))
        .exclude(
            Exists(NorskParticipation.objects.filter(person=OuterRef("pk"), end_date__isnull=True))
        )
        .annotate(
            last_end=Greatest(
                Coalesce(Max("participations__end_date"), NEVER),
                Coalesce(Max("norsk_participations__end_date"), NEVER),
            )
        )
        .filter(last_end__gt=NEVER, last_end__lt=limit)
        .values_list("pk", "last_end")
    )


def _anonymise(person: Person) -> None:
    person.identity_number = f"X{person.pk:010d}"[-11:]
    person.identity_kind = "anonymisert"
    person.duf_number = ""
    person.given_name = ANONYMISED
    person.family_name = ANONYMISED
    person.birth_date = dt.date(person.birth_date.year, 1, 1)
    person.arrival_date = None
    person.settlement_date = None
    person.version += 1
    person.save()


def apply_retention(as_of: dt.date, at: dt.datetime | None = None) -> dict[str, int]:
    ctx = write_context(SYSTEM, at)
    counts = {"persons_anonymised": 0}
    years = settings.NIR_RETENTION_PERSON_YEARS
    if years:
        limit = add_months(as_of, -12 * years)
        for person_id, last_end in _past_retention(limit).iterator(chunk_size=500):
            with transaction.atomic():
                locked = Person.objects.select_for_update().get(pk=person_id)
                # A participation opened since the list was read keeps the person.
                if not _past_retention(limit).filter(pk=person_id).exists():
                    continue
                _anonymise(locked)
                HistoryEvent.objects.filter(person=locked).filter(
                    Q(entity="person") | Q(action__startswith="person_")
                ).update(before=None, after=None)
                record(
                    ctx,
                    NewEvent(
                        events.PERSON_ANONYMISED,
                        locked.pk,
                        person=locked,
                        after={"last_end": last_end, "years": years},
                        basis=[BASIS_RETENTION],
                    ),
                )
            counts["persons_anonymised"] += 1
    return counts
