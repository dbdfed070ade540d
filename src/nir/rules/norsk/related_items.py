"""Items NIR records beside the programme of an integreringsloven participant (rules-norsk.md
N8): kompetansekartlegging, karriereveiledning, integreringskontrakt, livsmestring and
foreldreveiledning, each a dated record (Decision N8-a), and the warnings they give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from nir.rules.basis import LOVDATA_INTEGRERINGSLOVEN, BasisKind, LegalBasis
from nir.rules.dates import add_months
from nir.rules.errors import RuleViolation
from nir.rules.regime import INTEGRERINGSLOVEN_IN_FORCE, Regime

IMDI_NIR_INTRO = (
    "https://www.imdi.no/kvalifisering/regelverk/introduksjonsprogrammet/"
    "registrering-i-nir-etter-integreringsloven---introduksjonsprogrammet/"
)


class RelatedItemKind(StrEnum):
    KOMPETANSEKARTLEGGING = "kompetansekartlegging"
    KARRIEREVEILEDNING = "karriereveiledning"
    INTEGRERINGSKONTRAKT = "integreringskontrakt"
    LIVSMESTRING = "livsmestring"
    FORELDREVEILEDNING = "foreldreveiledning"


class ItemStatus(StrEnum):
    IKKE_STARTET = "ikke_startet"
    PABEGYNT = "pabegynt"
    GJENNOMFORT = "gjennomfort"
    IKKE_AKTUELT = "ikke_aktuelt"
    FRITATT = "fritatt"

    @property
    def as_flag(self) -> bool:
        """The register's export: «hvorvidt ... er gjennomført»."""
        return self is ItemStatus.GJENNOMFORT


class ItemSource(StrEnum):
    NIR = "nir"
    IMDINETT_READONLY = "imdinett_readonly"  # the mapping and guidance are kept in IMDinett


READ_FROM_IMDINETT = frozenset(
    {RelatedItemKind.KOMPETANSEKARTLEGGING, RelatedItemKind.KARRIEREVEILEDNING}
)


@dataclass(frozen=True, slots=True)
class RelatedItem:
    kind: RelatedItemKind
    status: ItemStatus
    date_completed: dt.date | None = None
    source: ItemSource = ItemSource.NIR


@dataclass(frozen=True, slots=True)
class RuleWarning:
    """A registration is accepted but the caseworker is told what the law expects."""

    code: str
    message_nb: str
    basis: LegalBasis
    # The values the message names, for its wording in another language.
    params: Mapping[str, str] = field(default_factory=dict)


BASIS_RECORD = LegalBasis(
    "norsk.related.record",
    "IMDis registreringskrav i NIR: hvorvidt kompetansekartlegging, karriereveiledning, "
    "foreldreveiledning og livsmestring er gjennomført; registerets regel: status og dato",
    BasisKind.PRAKSIS,
    IMDI_NIR_INTRO,
)
BASIS_KONTRAKT = LegalBasis(
    "norsk.related.integreringskontrakt",
    "integreringsloven § 16: integreringskontrakt; registreres ikke etter introduksjonsloven",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§16",
)
BASIS_KARTLEGGING_BEFORE_DECISION = LegalBasis(
    "norsk.related.kartlegging_before_decision",
    "integreringsloven §§ 6 og 10: kompetansekartlegging før vedtak om introduksjonsprogram; "
    "registerets regel: en advarsel, fordi NIR bare leser kartleggingen fra IMDinett",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§10",
)
BASIS_KARTLEGGING_DEADLINE = LegalBasis(
    "norsk.related.kartlegging_deadline",
    "integreringsloven § 10 (IMDis veileder): kartleggingen senest tre måneder etter bosetting "
    "eller krav om program",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§10",
)
BASIS_FORELDREVEILEDNING = LegalBasis(
    "norsk.related.foreldreveiledning",
    "IMDis fagressurs: foreldreveiledning er obligatorisk for deltakere i "
    "introduksjonsprogrammet som har eller får barn under 18 år; registerets regel: ellers "
    "ikke aktuelt",
    BasisKind.PRAKSIS,
    "https://introduksjonsprogrammet.imdi.no/nytt-obligatorisk-innhold-i-introduksjonsprogrammet/",
)


def check_related_item(item: RelatedItem, regime: Regime) -> None:
    """A record that can be true: a completion date only when completed and always then;
    only the mapping and the guidance are read from IMDinett; no contract under
    introduksjonsloven."""
    if (item.status is ItemStatus.GJENNOMFORT) != (item.date_completed is not None):
        raise RuleViolation(
            field="date_completed",
            code="norsk.related.completion_date",
            message="Fullføringsdato registreres når, og bare når, tiltaket er gjennomført.",
            basis=BASIS_RECORD,
            params={"kind": item.kind.value, "status": item.status.value},
        )
    if item.source is ItemSource.IMDINETT_READONLY and item.kind not in READ_FROM_IMDINETT:
        raise RuleViolation(
            field="source",
            code="norsk.related.not_read_from_imdinett",
            message="Bare kompetansekartlegging og karriereveiledning leses fra IMDinett.",
            basis=BASIS_RECORD,
            params={"kind": item.kind.value, "source": item.source.value},
        )
    if item.kind is RelatedItemKind.INTEGRERINGSKONTRAKT and not regime.has_sluttmaal:
        raise RuleViolation(
            field=item.kind.value,
            code="norsk.related.no_contract_for_regime",
            message="Integreringskontrakt registreres ikke for personer etter introduksjonsloven.",
            basis=BASIS_KONTRAKT,
            params={"regime": regime.value},
        )


def _completed_by(items: Sequence[RelatedItem], kind: RelatedItemKind, day: dt.date) -> bool:
    return any(
        i.kind is kind and i.date_completed is not None and i.date_completed <= day for i in items
    )


def programme_decision_warnings(
    items: Sequence[RelatedItem],
    *,
    regime: Regime,
    permit_date: dt.date,
    decision_date: dt.date,
    settled_or_claimed_on: dt.date | None = None,
) -> list[RuleWarning]:
    """Decision N8-b: a programme decision without a completed kompetansekartlegging gives a
    warning, never a refusal (the data in IMDinett may lag); so does a mapping past its three
    months. Only for the target group with a permit from 2021-01-01."""
    if regime is Regime.INTRODUKSJONSLOVEN or permit_date < INTEGRERINGSLOVEN_IN_FORCE:
        return []
    kind = RelatedItemKind.KOMPETANSEKARTLEGGING
    if _completed_by(items, kind, decision_date):
        return []
    warnings = [
        RuleWarning(
            "norsk.related.kartlegging_missing",
            "Kompetansekartlegging er ikke registrert som gjennomført før vedtaket om "
            "introduksjonsprogram.",
            BASIS_KARTLEGGING_BEFORE_DECISION,
        )
    ]
    if settled_or_claimed_on is not None:
        deadline = add_months(settled_or_claimed_on, 3)
        if decision_date > deadline:
            warnings.append(
                RuleWarning(
                    "norsk.related.kartlegging_late",
                    f"Kompetansekartleggingen skulle vært gjennomført senest {deadline:%d.%m.%Y}.",
                    BASIS_KARTLEGGING_DEADLINE,
                    {"deadline": deadline.isoformat()},
                )
            )
    return warnings


def _under_18_on(birth_date: dt.date, day: dt.date) -> bool:
    return day < add_months(birth_date, 12 * 18)


def foreldreveiledning_status(
    item: RelatedItem | None,
    *,
    child_birth_dates: Sequence[dt.date],
    as_of: dt.date,
    marked_applicable: bool = False,
) -> ItemStatus:
    """Decision N8-c: ``ikke_aktuelt`` unless a child under 18 is registered or the
    caseworker marks it applicable; otherwise the record's status (``ikke_startet`` if none).
    """
    applicable = marked_applicable or any(
        b <= as_of and _under_18_on(b, as_of) for b in child_birth_dates
    )
    if not applicable:
        return ItemStatus.IKKE_AKTUELT
    return item.status if item is not None else ItemStatus.IKKE_STARTET


def foreldreveiledning_warning(
    item: RelatedItem | None, status: ItemStatus, *, marked_applicable: bool
) -> RuleWarning | None:
    """Decision N8-c told to the caseworker: a foreldreveiledning registered with a status
    while neither a child under 18 is registered nor the caseworker marked it applicable
    counts as «ikke aktuelt» (``status`` is what ``foreldreveiledning_status`` gave)."""
    if item is None or marked_applicable or item.status is status:
        return None
    return RuleWarning(
        "norsk.related.foreldreveiledning_not_applicable",
        "Foreldreveiledning regnes som ikke aktuelt: ingen barn under 18 år er registrert, og "
        "den er ikke markert som aktuell for deltakeren.",
        BASIS_FORELDREVEILEDNING,
    )
