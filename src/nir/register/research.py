"""Pseudonymised extracts for approved research projects (rules.md §9).

Every person gets a keyed pseudonym per project: HMAC-SHA256 of the identity number under a
key derived from the register's secret and the project code, so two projects cannot link
their extracts and no one without the secret can reverse them. Only the columns asked for
are written. Persons who reserved themselves against research use are left out (the number
is in the log, for IMDi, not in the extract), and every extract is k-anonymous on all its
columns, generalised where it must be. Every extract is logged with its columns, k, purpose
and what was generalised.
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
from django.db.models import QuerySet

from nir.register.figures_models import ResearchExtract
from nir.register.models import Participation
from nir.register.services.context import Actor, OutOfScope, resolve_time
from nir.register.services.validation import invalid
from nir.rules.k_anonymity import (
    DEFAULT_K,
    anonymise,
    category_ladder,
    date_ladder,
    year_ladder,
)

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
DATE_COLUMNS = frozenset({"start_date", "frist", "end_date"})


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
    report: ExtractReport


@dataclass(frozen=True)
class ExtractReport:
    """What IMDi is told about an extract, never written into it."""

    rows: int
    reserved_left_out: int
    suppressed: int
    k: int
    generalised: dict[str, str]


def _ladder(column: str, value: object, county: str) -> tuple[str, ...]:
    text = "" if value is None else str(value)
    if column == "birth_date":
        iso = text
        year = int(iso[:4])
        return (iso, iso[:7], *year_ladder(year))
    if column == "birth_year":
        return year_ladder(int(text[:4]))
    if column in DATE_COLUMNS:
        return date_ladder(text)
    if column == "kommune":
        return (text, county, "*")
    return category_ladder(text)


LEVEL_NAMES = {
    "birth_date": ("dato", "måned", "år", "femårsgruppe", "tiårsgruppe", "utelatt"),
    "birth_year": ("år", "femårsgruppe", "tiårsgruppe", "utelatt"),
    "kommune": ("kommune", "fylke", "utelatt"),
    **{
        c: ("dato", "måned", "kvartal", "år", "utelatt")
        for c in ("start_date", "frist", "end_date")
    },
}


def _check_request(actor: Actor, project: str, columns: Sequence[str], k: int) -> None:
    """IMDi's alone, named columns, a project and a k of at least 2, or refused."""
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
    if k < 2:
        raise invalid("k", "research.k_too_small", "k må være minst 2.")


def _read_ladders(
    included: QuerySet[Participation], columns: Sequence[str]
) -> tuple[list[str], list[list[tuple[str, ...]]]]:
    """Each row's identity number, and each asked column's ladder of generalisations."""
    fields = ["person__identity_number", "kommune__county_number", *(COLUMNS[c] for c in columns)]
    numbers: list[str] = []
    ladders: list[list[tuple[str, ...]]] = []
    for number, county, *values in included.values_list(*fields).iterator(chunk_size=5000):
        numbers.append(number)
        ladders.append([_ladder(c, v, county) for c, v in zip(columns, values, strict=True)])
    return numbers, ladders


@dataclass(frozen=True, slots=True)
class ExtractRequest:
    """What a research project asks for: its code, the columns, the years whose active
    participations it covers, its purpose and the k every row must be anonymous among."""

    project: str
    columns: Sequence[str]
    first_year: int
    last_year: int
    purpose: str = ""
    k: int = DEFAULT_K


def research_extract(
    *, actor: Actor, request: ExtractRequest, at: dt.datetime | None = None
) -> Extract:
    """Participations active in [first_year, last_year], one row each, pseudonymised, with
    persons who reserved themselves left out and every other row k-anonymous on all its
    columns (``nir.rules.k_anonymity``)."""
    project, columns, k = request.project, request.columns, request.k
    first_year, last_year = request.first_year, request.last_year
    _check_request(actor, project, columns, k)
    at, _ = resolve_time(at)
    key = project_key(project)
    queryset = (
        Participation.objects.filter(start_date__lte=dt.date(last_year, 12, 31))
        .exclude(end_date__lt=dt.date(first_year, 1, 1))
        .order_by("pk")
    )
    reserved = queryset.filter(person__research_reservation=True).count()
    # A reservation against research means out of research: not a blanked row.
    included = queryset.filter(person__research_reservation=False)
    numbers, ladders = _read_ladders(included, columns)
    result = anonymise(ladders, k=k)
    generalised = {
        c: LEVEL_NAMES.get(c, ("som registrert", "utelatt"))[level]
        for c, level in zip(columns, result.levels, strict=True)
        if level
    }
    with transaction.atomic():
        ResearchExtract.objects.create(
            project=project,
            requested_by=actor.name,
            columns=list(columns),
            years=f"{first_year}-{last_year}",
            rows=len(result.rows),
            reserved_persons=reserved,
            purpose=request.purpose,
            k=k,
            generalised={"columns": generalised, "suppressed": result.suppressed},
            created_at=at,
        )

    def rows() -> Iterator[list[str]]:
        for i, row in zip(result.kept, result.rows, strict=True):
            yield [pseudonym(key, numbers[i]), *row]

    return Extract(
        ["pseudonym", *columns],
        rows(),
        ExtractReport(len(result.rows), reserved, result.suppressed, k, generalised),
    )
