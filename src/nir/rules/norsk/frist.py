"""The deadline of Norwegian training, frist for gjennomfoering (rules-norsk.md N3).

frist = add_months(anchor, base + extended months), in one step from the anchor, plus the
calendar days of approved leave counted as the introduction programme's frist counts them
(``nir.rules.frist.add_leave_days``: inside the period, overlaps once, until stable).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.dates import DateInterval, add_months
from nir.rules.errors import RuleViolation
from nir.rules.frist import ClockStop, ClockStopContribution, add_leave_days
from nir.rules.norsk.norskmaal import IMDI_VARIGHET
from nir.rules.norsk.rights import BASIS_NOT_IN_GROUP, IMDI_NIR_KAP6A, NorskCategory
from nir.rules.regime import Regime

IMDI_FRIST_2022 = "https://www.imdi.no/imdinett/frist-for-a-oppdatere-opplysninger-i-nir-for-2022/"
IMDI_LOVENDRINGER = (
    "https://www.imdi.no/imdinett/nasjonalt-introduksjonsregister-nir/endringer-nir-lovendringer/"
)


class AnchorRule(StrEnum):
    """Decision N3-a: where the months of the ordinary rules count from."""

    RIGHT_START = "right_start"  # the day the right and duty started (N1)
    FIRST_DECISION_START = "first_decision_start"  # the first decision's start date


@dataclass(frozen=True, slots=True)
class FristParams:
    months_with_upper_secondary: int = 18
    months_without_upper_secondary: int = 36
    kap6a_months: int = 12
    ordinary_anchor: AnchorRule = AnchorRule.RIGHT_START
    # integreringsforskriften § 43 g (Decision N3-c).
    extended_max_months: int = 6
    extended_window_months: int = 2
    extended_max_count_with_upper_secondary: int = 1
    extended_max_count_without_upper_secondary: int = 4
    extended_grant_nok: int = 27_450
    extended_valid_from: dt.date = dt.date(2023, 7, 1)
    # The provision was set to lapse on this day; None: prolonged (not found, N10 6).
    extended_valid_to: dt.date | None = dt.date(2024, 7, 1)
    # Decision N3-e: introduksjonsloven's duty and free right, from the permit or arrival.
    introduksjonsloven_duty_months: int = 36
    introduksjonsloven_free_months: int = 60
    # Decision N3-d: end the ordning automatically when the frist has passed.
    auto_end_norsk_at_frist: bool = False


@dataclass(frozen=True, slots=True)
class ExtendedNorwegian:
    """A decision on extended Norwegian training (integreringsforskriften § 43 g)."""

    ref: str
    decision_date: dt.date
    months: int


@dataclass(frozen=True, slots=True)
class NorskFristFacts:
    regime: Regime
    category: NorskCategory
    right_start: dt.date | None  # N1's start (permit, arrival, renewal, settlement, krav)
    first_decision_start: dt.date | None  # start date of the first training decision
    has_upper_secondary: bool | None
    leaves: Sequence[ClockStop] = ()
    extended: Sequence[ExtendedNorwegian] = ()


@dataclass(frozen=True, slots=True)
class FristNotComputable:
    """Why no frist can be shown yet, in the words shown to the caseworker."""

    code: str
    message_nb: str
    basis: LegalBasis


@dataclass(frozen=True, slots=True)
class NorskFristDerivation:
    anchor: dt.date
    anchor_rule: AnchorRule
    base_months: int
    extended: tuple[ExtendedNorwegian, ...]
    months_total: int
    months_date: dt.date
    clock_stops: tuple[ClockStopContribution, ...]
    leave_days: int
    frist: dt.date
    free_right_until: dt.date | None  # introduksjonsloven: the free right's last day
    basis: tuple[LegalBasis, ...]

    def explain_nb(self) -> list[str]:
        lines = [f"Regnes fra {self.anchor:%d.%m.%Y}; {self.base_months} måneder."]
        lines += [
            f"Utvidet opplæring i norsk {e.months} måneder (vedtak {e.decision_date:%d.%m.%Y})."
            for e in self.extended
        ]
        lines.append(f"{self.months_total} måneder gir {self.months_date:%d.%m.%Y}.")
        if self.leave_days:
            lines.append(f"Godkjent permisjon legger til {self.leave_days} dager.")
        lines.append(f"Frist for gjennomføring: {self.frist:%d.%m.%Y}.")
        if self.free_right_until is not None:
            lines.append(f"Gratis opplæring til {self.free_right_until:%d.%m.%Y}.")
        return lines


BASIS_ORDINARY = LegalBasis(
    "norsk.frist.ordinary",
    "integreringsloven § 32: rett og plikt til norsk i inntil tre år, 18 måneder med "
    "utdanning på videregående nivå; godkjent permisjon legges til fristen",
    BasisKind.LOV,
    IMDI_VARIGHET,
)
BASIS_ANCHOR = LegalBasis(
    "norsk.frist.anchor",
    "Registerets regel: fristen regnes fra den dagen retten og plikten inntrådte",
    BasisKind.BESLUTNING,
)
BASIS_ANCHOR_DECISION = LegalBasis(
    "norsk.frist.anchor_first_decision",
    "Registerets regel: fristen regnes fra startdato i første vedtak om opplæring",
    BasisKind.BESLUTNING,
)
BASIS_KAP6A = LegalBasis(
    "norsk.frist.kap6a",
    "integreringsloven § 37 d og IMDis praksis i NIR: frist 12 måneder fra startdato i "
    "første vedtak, utvidet med permisjoner",
    BasisKind.LOV,
    IMDI_NIR_KAP6A,
)
BASIS_LEAVE = LegalBasis(
    "norsk.frist.leave_day_for_day",
    "IMDis veileder om varighet og omfang: godkjent permisjon legges til fristen; "
    "registerets regel: dag for dag, som for introduksjonsprogrammet",
    BasisKind.PRAKSIS,
    IMDI_VARIGHET,
)
BASIS_EDUCATION_MISSING = LegalBasis(
    "norsk.frist.education_missing",
    "IMDis praksis i NIR: utdanningsbakgrunn registreres fordi den avgjør fristen på "
    "18 måneder eller 3 år",
    BasisKind.PRAKSIS,
    IMDI_FRIST_2022,
)
BASIS_PLIKT_NO_LIMIT = LegalBasis(
    "norsk.frist.plikt_no_limit",
    "Registerets regel: ingen frist er funnet for personer med bare plikt etter "
    "integreringsloven § 28",
    BasisKind.BESLUTNING,
)
BASIS_INTRODUKSJONSLOVEN = LegalBasis(
    "norsk.frist.introduksjonsloven",
    "introduksjonsloven § 17: plikten oppfylles innen tre år, gratis opplæring i fem år fra "
    "tillatelse eller ankomst; registerets regel: permisjon legges ikke til",
    BasisKind.LOV,
    "https://www.imdi.no/norskopplaring/timer-prover-og-fritak/",
)
BASIS_EXTENDED = LegalBasis(
    "norsk.frist.extended_norwegian",
    "integreringsforskriften § 43 g: vedtak om utvidet opplæring i norsk i inntil 6 måneder "
    "av gangen, tilskudd per vedtak; IMDis praksis i NIR: vedtaksdato innen to måneder før "
    "og etter fristen, antall vedtak etter utdanningsbakgrunn",
    BasisKind.FORSKRIFT,
    IMDI_LOVENDRINGER,
)
BASIS_FRIST_PASSED = LegalBasis(
    "norsk.frist.passed",
    "Registerets regel: når fristen er passert, får ordningen status «frist utløpt» og "
    "personen settes på arbeidslisten; automatisk avslutning bare når det er slått på",
    BasisKind.BESLUTNING,
)


def _not_computable(code: str, message: str, basis: LegalBasis) -> FristNotComputable:
    return FristNotComputable(f"norsk.frist.{code}", message, basis)


def _plan(
    facts: NorskFristFacts, params: FristParams
) -> tuple[dt.date, AnchorRule, int, list[LegalBasis]] | FristNotComputable:
    """Anchor, anchor rule, base months and bases for the person's regime and category."""
    if facts.regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        if facts.first_decision_start is None:
            return _not_computable(
                "no_decision", "Fristen beregnes fra første vedtak om opplæring.", BASIS_KAP6A
            )
        rule = AnchorRule.FIRST_DECISION_START
        return facts.first_decision_start, rule, params.kap6a_months, [BASIS_KAP6A]
    if facts.regime is Regime.INTRODUKSJONSLOVEN:
        if facts.right_start is None:
            return _not_computable(
                "no_anchor", "Tillatelses- eller ankomstdato mangler.", BASIS_INTRODUKSJONSLOVEN
            )
        months = params.introduksjonsloven_duty_months
        return facts.right_start, AnchorRule.RIGHT_START, months, [BASIS_INTRODUKSJONSLOVEN]
    if facts.category is NorskCategory.PLIKT:
        return _not_computable(
            "plikt_no_limit",
            "Ingen frist gjelder for personer med bare plikt.",
            BASIS_PLIKT_NO_LIMIT,
        )
    if facts.category is not NorskCategory.RETT_OG_PLIKT:
        return _not_computable(
            "no_right", "Personen har ingen rett og plikt til opplæring.", BASIS_NOT_IN_GROUP
        )
    if facts.has_upper_secondary is None:
        return _not_computable(
            "education_missing",
            "Fristen kan ikke beregnes: registrer utdanningsbakgrunn.",
            BASIS_EDUCATION_MISSING,
        )
    rule = params.ordinary_anchor
    anchor = facts.right_start if rule is AnchorRule.RIGHT_START else facts.first_decision_start
    anchor_basis = BASIS_ANCHOR if rule is AnchorRule.RIGHT_START else BASIS_ANCHOR_DECISION
    if anchor is None:
        return _not_computable("no_anchor", "Datoen fristen regnes fra mangler.", anchor_basis)
    months = (
        params.months_with_upper_secondary
        if facts.has_upper_secondary
        else params.months_without_upper_secondary
    )
    return anchor, rule, months, [BASIS_ORDINARY, anchor_basis]


def compute_norsk_frist(
    facts: NorskFristFacts, params: FristParams | None = None
) -> NorskFristDerivation | FristNotComputable:
    """The frist of the person's Norwegian training, or why it cannot be computed yet.

    Never a silent default: without the education flag the frist is not computable
    (Decision N3-b). Under introduksjonsloven no leave is added (Decision N3-e).
    """
    params = params or FristParams()
    plan = _plan(facts, params)
    if isinstance(plan, FristNotComputable):
        return plan
    anchor, rule, base_months, basis = plan
    extended = tuple(sorted(facts.extended, key=lambda e: (e.decision_date, e.ref)))
    if extended:
        basis.append(BASIS_EXTENDED)
    months_total = base_months + sum(e.months for e in extended)
    months_date = add_months(anchor, months_total)
    free_until: dt.date | None = None
    stops = sorted(facts.leaves, key=lambda s: (s.interval, s.ref))
    if facts.regime is Regime.INTRODUKSJONSLOVEN:
        stops = []
        free_until = add_months(anchor, params.introduksjonsloven_free_months)
    frist, days, shares = add_leave_days(anchor, months_date, stops)
    if days:
        basis.append(BASIS_LEAVE)
    contributions = tuple(
        ClockStopContribution(s.ref, s.kind, s.label or s.kind, s.interval, s.extends_deadline, n)
        for s, n in zip(stops, shares, strict=True)
    )
    return NorskFristDerivation(
        anchor=anchor,
        anchor_rule=rule,
        base_months=base_months,
        extended=extended,
        months_total=months_total,
        months_date=months_date,
        clock_stops=contributions,
        leave_days=days,
        frist=frist,
        free_right_until=free_until,
        basis=tuple(basis),
    )


def norsk_derivation_as_json(
    result: NorskFristDerivation | FristNotComputable,
) -> dict[str, Any]:
    """The derivation as stored beside the frist, in the programme's shape where the two
    agree (months, clock stops, basis, explanation); a frist not computable says why."""
    if isinstance(result, FristNotComputable):
        return {
            "frist": None,
            "not_computable": {"code": result.code, "message": result.message_nb},
            "basis": [result.basis.as_json()],
            "explanation": [result.message_nb],
        }
    return {
        "start": result.anchor.isoformat(),
        "anchor_rule": result.anchor_rule.value,
        "base_months": result.base_months,
        "extensions": [
            {"ref": e.ref, "months": e.months, "decided_on": e.decision_date.isoformat()}
            for e in result.extended
        ],
        "months_total": result.months_total,
        "months_date": result.months_date.isoformat(),
        "clock_stops": [c.as_json() for c in result.clock_stops],
        "leave_days": result.leave_days,
        "frist": result.frist.isoformat(),
        "free_right_until": (
            result.free_right_until.isoformat() if result.free_right_until else None
        ),
        "basis": [b.as_json() for b in dict.fromkeys(result.basis)],
        "explanation": result.explain_nb(),
    }


def extended_decision_window(frist: dt.date, params: FristParams | None = None) -> DateInterval:
    """The dates a § 43 g decision may carry: two months before to two months after the frist."""
    params = params or FristParams()
    months = params.extended_window_months
    return DateInterval(add_months(frist, -months), add_months(frist, months))


@dataclass(frozen=True, slots=True)
class ExtendedNorwegianGrant:
    """An accepted § 43 g decision: the frist it moves to and the grant it triggers."""

    frist: dt.date
    grant_nok: int
    basis: LegalBasis


def _refuse_extended(code: str, *, message: str, **params: object) -> RuleViolation:
    return RuleViolation(
        field="extended_norwegian",
        code=f"norsk.frist.extended.{code}",
        message=message,
        basis=BASIS_EXTENDED,
        params=params,
    )


def _extended_count_limit(facts: NorskFristFacts, params: FristParams) -> int:
    if facts.regime is not Regime.INTEGRERINGSLOVEN_KAP6A:
        raise _refuse_extended(
            "kap6a_only",
            message="Utvidet opplæring i norsk gis bare etter kap. 6A.",
            regime=facts.regime,
        )
    if facts.has_upper_secondary is None:
        raise _refuse_extended(
            "education_missing",
            message=(
                "Registrer først om personen har utdanning på videregående nivå: det avgjør "
                "hvor mange vedtak om utvidet opplæring som kan registreres."
            ),
        )
    if facts.has_upper_secondary:
        return params.extended_max_count_with_upper_secondary
    return params.extended_max_count_without_upper_secondary


def check_extended_norwegian(
    facts: NorskFristFacts, decision: ExtendedNorwegian, params: FristParams | None = None
) -> ExtendedNorwegianGrant:
    """Decision N3-c: accept a § 43 g decision against the frist the earlier ones give."""
    params = params or FristParams()
    limit = _extended_count_limit(facts, params)
    if not 1 <= decision.months <= params.extended_max_months:
        raise _refuse_extended(
            "months",
            message=(
                f"Et vedtak om utvidet opplæring kan gjelde 1 til {params.extended_max_months} "
                "måneder."
            ),
            months=decision.months,
            max_months=params.extended_max_months,
        )
    if len(facts.extended) + 1 > limit:
        raise _refuse_extended(
            "count",
            message=f"Høyst {limit} vedtak om utvidet opplæring kan registreres.",
            limit=limit,
        )
    valid_to = params.extended_valid_to
    if decision.decision_date < params.extended_valid_from or (
        valid_to is not None and decision.decision_date >= valid_to
    ):
        raise _refuse_extended(
            "provision_not_in_force",
            message=(
                f"Integreringsforskriften § 43 g gjaldt ikke {decision.decision_date:%d.%m.%Y}."
            ),
            decision_date=decision.decision_date.isoformat(),
        )
    current = compute_norsk_frist(facts, params)
    if isinstance(current, FristNotComputable):
        raise _refuse_extended(current.code.rsplit(".", 1)[-1], message=current.message_nb)
    window = extended_decision_window(current.frist, params)
    if not window.contains(decision.decision_date):
        raise _refuse_extended(
            "decision_date_window",
            message=(
                f"Vedtaksdatoen må ligge mellom {window.start:%d.%m.%Y} og "
                f"{window.end:%d.%m.%Y}, to måneder før og etter fristen {current.frist:%d.%m.%Y}."
            ),
            frist=current.frist.isoformat(),
            earliest=window.start.isoformat(),
            latest=window.end.isoformat(),
        )
    moved = compute_norsk_frist(replace(facts, extended=(*facts.extended, decision)), params)
    assert isinstance(moved, NorskFristDerivation)  # the facts were computable a line above
    return ExtendedNorwegianGrant(moved.frist, params.extended_grant_nok, BASIS_EXTENDED)


class OrdningStatus(StrEnum):
    AKTIV = "aktiv"
    AVSLUTTET = "avsluttet"
    FRIST_UTLOPT = "frist_utlopt"


@dataclass(frozen=True, slots=True)
class FristState:
    """Decision N3-d: what the passing of the frist does on ``as_of``."""

    status: OrdningStatus
    on_worklist: bool  # «frist passed without an end registered»
    end_automatically: bool  # only behind ``auto_end_norsk_at_frist``
    basis: LegalBasis


def frist_state(
    frist: dt.date, as_of: dt.date, *, ended: bool, params: FristParams | None = None
) -> FristState:
    """From the day after the frist an open ordning is flagged and put on the work list;
    it is ended (reason ``frist_utlopt``) only when the switch is on."""
    params = params or FristParams()
    if ended:
        return FristState(OrdningStatus.AVSLUTTET, False, False, BASIS_FRIST_PASSED)
    if as_of <= frist:
        return FristState(OrdningStatus.AKTIV, False, False, BASIS_FRIST_PASSED)
    return FristState(
        OrdningStatus.FRIST_UTLOPT, True, params.auto_end_norsk_at_frist, BASIS_FRIST_PASSED
    )
