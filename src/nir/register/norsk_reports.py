"""Reports of Norwegian training (reads only, scoped): the ordninger ended, with reasons,
and the person list with the scheme's filters, each with its export rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, DateField, F, Q, QuerySet, When
from django.utils.translation import gettext_lazy as _

from nir.register import labels
from nir.register.norsk_models import NorskParticipation
from nir.register.rule_config import rule_config
from nir.register.selectors import visible_norsk_participations
from nir.rules.norsk.hours import samf_modules_from
from nir.rules.norsk.rights import NorskCategory
from nir.rules.regime import Regime

NORSK_ENDED_COLUMNS = (
    _("Fødselsnummer/D-nummer"),
    _("Etternavn"),
    _("Fornavn"),
    _("Kommunenummer"),
    _("Kategori"),
    _("Oppstart"),
    _("Frist"),
    _("Sluttdato"),
    _("Avslutningsårsak"),
    _("Satt av"),
)
NORSK_PERSON_LIST_COLUMNS = (
    _("Fødselsnummer/D-nummer"),
    _("Etternavn"),
    _("Fornavn"),
    _("Kommunenummer"),
    _("Lovverk"),
    _("Kategori"),
    _("Samfunnskunnskap"),
    _("Oppstart"),
    _("Frist"),
    _("Sluttdato"),
)


def norsk_ended(kommune_id: int | None, year: int | None) -> QuerySet[NorskParticipation]:
    rows = visible_norsk_participations(kommune_id).filter(end_date__isnull=False)
    if year is not None:
        rows = rows.filter(end_date__year=year)
    return rows.order_by("-end_date", "pk")


def norsk_ended_by_reason(kommune_id: int | None, year: int | None) -> list[tuple[str, int]]:
    counts = norsk_ended(kommune_id, year).order_by().values("end_reason").annotate(n=Count("pk"))
    return sorted(
        ((labels.norsk_end_reason_label(c["end_reason"]), c["n"]) for c in counts),
        key=lambda pair: (-pair[1], pair[0]),
    )


def norsk_ended_rows(kommune_id: int | None, year: int | None) -> Iterator[tuple[Any, ...]]:
    for row in norsk_ended(kommune_id, year).iterator(chunk_size=2000):
        yield (
            row.person.identity_number,
            row.person.family_name,
            row.person.given_name,
            row.kommune.number,
            labels.label(labels.NORSK_CATEGORIES, row.category),
            row.start_date,
            row.frist,
            row.end_date,
            labels.norsk_end_reason_label(row.end_reason),
            labels.label(labels.NORSK_SET_BY, row.end_set_by),
        )


@dataclass(frozen=True, slots=True)
class NorskPersonListFilter:
    samf_scheme: str | None = None  # ny_75 | gammel_50
    kap6a: bool | None = None
    active_only: bool = False


def _samf_groups() -> Q:
    """The integreringsloven groups with a social-studies target in the hour rows."""
    return Q(
        regime=Regime.INTEGRERINGSLOVEN.value,
        category__in=[NorskCategory.RETT_OG_PLIKT.value, NorskCategory.PLIKT.value],
    )


def norsk_person_list(
    kommune_id: int | None, filters: NorskPersonListFilter
) -> QuerySet[NorskParticipation]:
    """The ordninger, annotated with the scheme date of Decision N1-e (the arrival date for
    a permit granted abroad, else the permit date) and filtered on the old or new
    social-studies scheme, kap. 6A and whether they are active."""
    rows = visible_norsk_participations(kommune_id).annotate(
        scheme_date=Case(
            When(
                permit_granted_abroad=True,
                person__arrival_date__isnull=False,
                then=F("person__arrival_date"),
            ),
            default=F("person__permit_date"),
            output_field=DateField(),
        )
    )
    cutoff = samf_modules_from(rule_config().norsk.hours) or dt.date.max
    if filters.samf_scheme == "ny_75":
        rows = rows.filter(_samf_groups(), scheme_date__gte=cutoff)
    elif filters.samf_scheme == "gammel_50":
        rows = rows.filter(_samf_groups(), scheme_date__lt=cutoff)
    if filters.kap6a is not None:
        kap6a = Q(regime=Regime.INTEGRERINGSLOVEN_KAP6A.value)
        rows = rows.filter(kap6a if filters.kap6a else ~kap6a)
    if filters.active_only:
        rows = rows.filter(end_date__isnull=True)
    return rows.order_by("person__family_name", "person__given_name", "pk")


def samf_scheme_of(row: Any, cutoff: dt.date | None) -> str:
    """The social-studies scheme a listed ordning is in, as the list's filter reads it."""
    in_groups = row.regime == Regime.INTEGRERINGSLOVEN.value and row.category in (
        NorskCategory.RETT_OG_PLIKT.value,
        NorskCategory.PLIKT.value,
    )
    if not in_groups or cutoff is None:
        return ""
    return "ny_75" if row.scheme_date >= cutoff else "gammel_50"


def norsk_person_list_rows(
    kommune_id: int | None, filters: NorskPersonListFilter
) -> Iterator[tuple[Any, ...]]:
    cutoff = samf_modules_from(rule_config().norsk.hours)
    for row in norsk_person_list(kommune_id, filters).iterator(chunk_size=2000):
        yield (
            row.person.identity_number,
            row.person.family_name,
            row.person.given_name,
            row.kommune.number,
            labels.label(labels.REGIMES, row.regime),
            labels.label(labels.NORSK_CATEGORIES, row.category),
            labels.label(labels.SAMF_SCHEMES, samf_scheme_of(row, cutoff)),
            row.start_date,
            row.frist,
            row.end_date,
        )
