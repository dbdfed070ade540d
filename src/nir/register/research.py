"""Pseudonymised extracts for approved research projects (rules.md §9).

Every person gets a keyed pseudonym per project: HMAC-SHA256 of the identity number under a
key derived from the register's secret and the project code, so two projects cannot link
their extracts and no one without the secret can reverse them. Only the columns asked for
are written. For persons who reserved themselves against research use, the directly
identifying columns are left empty. Every extract is logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from nir.register.models import Participation, ResearchExtract
from nir.register.services.context import Actor, OutOfScope, resolve_time
from nir.register.services.validation import invalid

COLUMNS = {
    "birth_year": "person__birth_date",
    "birth_date": "person__birth_date",
    "sex": "person__sex",
    "permit_type": "person__permit_type",
    "kommune": "kommune__number",
    "county": "kommune__county_number",
    "regime": "regime",
    "category": "category",
    "programme_group": "programme_group",
    "start_date": "start_date",
    "frist": "frist",
    "end_date": "end_date",
    "termination_reason": "termination_reason",
}
# Left empty for persons who reserved themselves against research use.
IDENTIFYING = frozenset({"birth_date", "kommune"})


def project_key(project: str) -> bytes:
    secret = settings.NIR_PSEUDONYM_SECRET
    if not secret:
        raise ImproperlyConfigured(
            "NIR_PSEUDONYM_SECRET is not set: research extracts need a secret for pseudonyms."
        )
    return hmac.new(secret.encode(), f"nir-research:{project}".encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, identity_number: str) -> str:
    return hmac.new(key, identity_number.encode(), hashlib.sha256).hexdigest()[:20]


@dataclass(frozen=True)
class Extract:
    header: list[str]
    rows: Iterator[list[str]]


def research_extract(
    *,
    actor: Actor,
    project: str,
    columns: Sequence[str],
    first_year: int,
    last_year: int,
    at: dt.datetime | None = None,
) -> Extract:
    """Participations active in [first_year, last_year], one row each, pseudonymised."""
    if actor.kommune_id is not None:
        raise OutOfScope(entity="research_extract")
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise invalid(
            "columns",
            "research.unknown_column",
            f"Ukjente kolonner: {', '.join(unknown)}. Tillatt: " + ", ".join(COLUMNS),
            unknown=unknown,
        )
    if not project.strip():
        raise invalid("project", "research.project_required", "Oppgi prosjektkoden.")
    moment, _ = resolve_time(at)
    key = project_key(project)
    queryset = (
        Participation.objects.filter(start_date__lte=dt.date(last_year, 12, 31))
        .exclude(end_date__lt=dt.date(first_year, 1, 1))
        .order_by("pk")
    )
    fields = [
        "person__identity_number",
        "person__research_reservation",
        *(COLUMNS[c] for c in columns),
    ]
    total = queryset.count()
    reserved = queryset.filter(person__research_reservation=True).count()
    with transaction.atomic():
        ResearchExtract.objects.create(
            project=project,
            requested_by=actor.name,
            columns=list(columns),
            years=f"{first_year}-{last_year}",
            rows=total,
            reserved_persons=reserved,
            created_at=moment,
        )

    def rows() -> Iterator[list[str]]:
        for values in queryset.values_list(*fields).iterator(chunk_size=5000):
            number, is_reserved, *rest = values
            row = [pseudonym(key, number)]
            for column, value in zip(columns, rest, strict=True):
                if is_reserved and column in IDENTIFYING:
                    row.append("")
                elif column == "birth_year":
                    row.append(str(value.year))
                else:
                    row.append("" if value is None else str(value))
            yield row

    return Extract(["pseudonym", *columns], rows())
