"""Hour targets (timemaal) of Norwegian and social studies as dated rows (rules-norsk.md N1).

A row holds one target for one group and subject from its ``effective_from``; the row is
chosen by the person's scheme date (the permit date, or the arrival date for a permit
granted abroad, Decision N1-e), so a later change (say 80 hours) is one new row and old
participants keep the target they had (Decision N1-f).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.norsk.rights import IMDI_TIMER_INTRODUKSJONSLOVEN, NorskCategory, NorskPersonFacts
from nir.rules.regime import Regime

IMDI_SAMF_75 = (
    "https://www.imdi.no/imdinett/nasjonalt-introduksjonsregister-nir/ny-ordning-samfunnskunnskap/"
)


class Subject(StrEnum):
    NORSK = "norsk"
    SAMFUNNSKUNNSKAP = "samfunnskunnskap"


class HoursGroup(StrEnum):
    """The groups the hour tables distinguish."""

    INTEGRERINGSLOVEN_RETT_OG_PLIKT = "integreringsloven_rett_og_plikt"
    INTEGRERINGSLOVEN_PLIKT = "integreringsloven_plikt"
    KAP6A = "kap6a"
    INTRODUKSJONSLOVEN_RETT = "introduksjonsloven_rett"  # rett og plikt, or rett alone
    INTRODUKSJONSLOVEN_PLIKT = "introduksjonsloven_plikt"
    ASYLSOKER_MOTTAK = "asylsoker_mottak"


@dataclass(frozen=True, slots=True)
class HoursRow:
    row_id: str
    group: HoursGroup
    subject: Subject
    hours: int
    modules: int  # 1: registered as one figure; more: registered per module
    effective_from: dt.date
    effective_to: dt.date | None
    basis: LegalBasis
    max_hours: int | None = None  # introduksjonsloven: more hours on need, up to this total

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


BASIS_SAMF_50 = LegalBasis(
    "norsk.hours.samf_50",
    "integreringsloven § 33: 50 timer samfunnskunnskap for tillatelse eller ankomst før "
    "1.1.2022 (IMDis informasjon om ny ordning)",
    BasisKind.LOV,
    IMDI_SAMF_75,
)
BASIS_SAMF_75 = LegalBasis(
    "norsk.hours.samf_75",
    "integreringsloven § 33 og læreplan i samfunnskunnskap fra 1.1.2022: 75 timer fordelt på "
    "3 moduler",
    BasisKind.LOV,
    IMDI_SAMF_75,
)
BASIS_PLIKT_NORSK = LegalBasis(
    "norsk.hours.plikt_norsk",
    "integreringsloven §§ 28 og 33: plikten gjelder til norskmålet er nådd eller 250 timer "
    "norsk er gjennomført, 225 timer fra 1.1.2022 (IMDis informasjon om ny ordning)",
    BasisKind.LOV,
    IMDI_SAMF_75,
)
BASIS_MOTTAK = LegalBasis(
    "norsk.hours.mottak",
    "IMDis praksis i NIR: timemål 25 timer samfunnskunnskap for asylsøkere i mottak; "
    "opplæringen fortsetter etter at personen får oppholdstillatelse",
    BasisKind.PRAKSIS,
    IMDI_SAMF_75,
)
BASIS_INTRODUKSJONSLOVEN_HOURS = LegalBasis(
    "norsk.hours.introduksjonsloven",
    "introduksjonsloven § 17 og IMDis praksis: 550 timer norsk (250 for første tillatelse før "
    "1.1.2012 og for plikt alene), 50 timer samfunnskunnskap, ved behov inntil 3 000 timer",
    BasisKind.LOV,
    IMDI_TIMER_INTRODUKSJONSLOVEN,
)
BASIS_NO_NORSK_HOURS = LegalBasis(
    "norsk.hours.no_norsk_target",
    "integreringsloven § 31: kravet om et antall timer norsk er erstattet med et norskmål",
    BasisKind.LOV,
    "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=79466",
)
BASIS_KAP6A_NO_SAMF = LegalBasis(
    "norsk.hours.kap6a_no_samf",
    "Registerets regel: ingen timemål i samfunnskunnskap etter kap. 6A (ingen kilde oppgir et)",
    BasisKind.BESLUTNING,
)

INTEGRERINGSLOVEN_FROM = dt.date(2021, 1, 1)
SAMF_75_FROM = dt.date(2022, 1, 1)
INTRODUKSJONSLOVEN_FROM = dt.date(2004, 9, 1)
INTRODUKSJONSLOVEN_550_FROM = dt.date(2012, 1, 1)

_RP, _P = HoursGroup.INTEGRERINGSLOVEN_RETT_OG_PLIKT, HoursGroup.INTEGRERINGSLOVEN_PLIKT
_IR, _IP = HoursGroup.INTRODUKSJONSLOVEN_RETT, HoursGroup.INTRODUKSJONSLOVEN_PLIKT
_N, _S = Subject.NORSK, Subject.SAMFUNNSKUNNSKAP
_OLD, _NEW = (INTEGRERINGSLOVEN_FROM, SAMF_75_FROM), (SAMF_75_FROM, None)
_INTRO = (INTRODUKSJONSLOVEN_FROM, INTEGRERINGSLOVEN_FROM)
_INTRO_BEFORE_2012 = (INTRODUKSJONSLOVEN_FROM, INTRODUKSJONSLOVEN_550_FROM)
_INTRO_FROM_2012 = (INTRODUKSJONSLOVEN_550_FROM, INTEGRERINGSLOVEN_FROM)


def _row(
    row_id: str,
    group: HoursGroup,
    subject: Subject,
    hours: int,
    period: tuple[dt.date, dt.date | None],
    basis: LegalBasis,
    *,
    modules: int = 1,
    max_hours: int | None = None,
) -> HoursRow:
    return HoursRow(row_id, group, subject, hours, modules, *period, basis, max_hours)


_INTRO_BASIS = BASIS_INTRODUKSJONSLOVEN_HOURS
DEFAULT_HOURS_ROWS: tuple[HoursRow, ...] = (
    _row("integreringsloven.samf.50", _RP, _S, 50, _OLD, BASIS_SAMF_50),
    _row("integreringsloven.samf.75", _RP, _S, 75, _NEW, BASIS_SAMF_75, modules=3),
    _row("integreringsloven.plikt.samf.50", _P, _S, 50, _OLD, BASIS_SAMF_50),
    _row("integreringsloven.plikt.samf.75", _P, _S, 75, _NEW, BASIS_SAMF_75, modules=3),
    _row("integreringsloven.plikt.norsk.250", _P, _N, 250, _OLD, BASIS_PLIKT_NORSK),
    _row("integreringsloven.plikt.norsk.225", _P, _N, 225, _NEW, BASIS_PLIKT_NORSK),
    _row("mottak.samf.25", HoursGroup.ASYLSOKER_MOTTAK, _S, 25, _NEW, BASIS_MOTTAK),
    _row("introduksjonsloven.norsk.250", _IR, _N, 250, _INTRO_BEFORE_2012, _INTRO_BASIS),
    _row(
        "introduksjonsloven.norsk.550", _IR, _N, 550, _INTRO_FROM_2012, _INTRO_BASIS, max_hours=3000
    ),
    _row("introduksjonsloven.samf.50", _IR, _S, 50, _INTRO, _INTRO_BASIS),
    _row("introduksjonsloven.plikt.norsk.250", _IP, _N, 250, _INTRO, _INTRO_BASIS),
    _row("introduksjonsloven.plikt.samf.50", _IP, _S, 50, _INTRO, _INTRO_BASIS),
)


@dataclass(frozen=True, slots=True)
class HoursParams:
    rows: tuple[HoursRow, ...] = DEFAULT_HOURS_ROWS
    # Decision N1-c: no social-studies target under kap. 6A (None); a number adds one.
    kap6a_samf_hours: int | None = None
    # Decision N1-d: the reception-centre hours count toward the social-studies target.
    reception_hours_count: bool = True
    # integreringsloven, duty only: Norwegian and social studies together at most this.
    plikt_total_max_hours: int = 300


@dataclass(frozen=True, slots=True)
class HoursTarget:
    subject: Subject
    hours: int
    modules: int
    row_id: str
    basis: LegalBasis
    max_hours: int | None = None


@dataclass(frozen=True, slots=True)
class Timemaal:
    """The targets of one person; None where the subject has no hour target."""

    norsk: HoursTarget | None
    samfunnskunnskap: HoursTarget | None
    scheme_date: dt.date
    basis: tuple[LegalBasis, ...] = field(default=())

    @property
    def samf_new_scheme(self) -> bool:
        """The 75-hour scheme in modules, for the person list's filter on old or new scheme."""
        return self.samfunnskunnskap is not None and self.samfunnskunnskap.modules > 1


def scheme_date(facts: NorskPersonFacts) -> dt.date:
    """The date that picks the hour rows.

    Decision N1-e: the permit date in Norway, the arrival date for a permit granted abroad.
    Under introduksjonsloven the first permit's date decides (550 hours from 2012-01-01).
    """
    if facts.regime is Regime.INTRODUKSJONSLOVEN:
        return facts.permit_date
    if facts.permit_granted_abroad and facts.arrival_date is not None:
        return facts.arrival_date
    return facts.permit_date


def hours_group(regime: Regime, category: NorskCategory) -> HoursGroup | None:
    if regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        return HoursGroup.KAP6A
    if regime is Regime.INTRODUKSJONSLOVEN:
        if category is NorskCategory.PLIKT:
            return HoursGroup.INTRODUKSJONSLOVEN_PLIKT
        return HoursGroup.INTRODUKSJONSLOVEN_RETT if category.has_right else None
    if category is NorskCategory.RETT_OG_PLIKT:
        return HoursGroup.INTEGRERINGSLOVEN_RETT_OG_PLIKT
    if category is NorskCategory.PLIKT:
        return HoursGroup.INTEGRERINGSLOVEN_PLIKT
    return None


def select_hours_row(
    rows: Sequence[HoursRow], group: HoursGroup, subject: Subject, day: dt.date
) -> HoursRow | None:
    matching = [r for r in rows if r.group is group and r.subject is subject and r.in_force_on(day)]
    if len(matching) > 1:
        raise RuleViolation(
            field="hours_rows",
            code="norsk.hours.overlapping_rows",
            message=f"Flere timemål gjelder {day:%d.%m.%Y}: "
            + ", ".join(r.row_id for r in matching),
            basis=matching[0].basis,
            params={"day": day.isoformat(), "rows": [r.row_id for r in matching]},
        )
    return matching[0] if matching else None


def _target(row: HoursRow | None) -> HoursTarget | None:
    if row is None:
        return None
    return HoursTarget(row.subject, row.hours, row.modules, row.row_id, row.basis, row.max_hours)


def timemaal(
    facts: NorskPersonFacts, category: NorskCategory, params: HoursParams | None = None
) -> Timemaal:
    """The Norwegian and social-studies targets of a person in ``category``."""
    params = params or HoursParams()
    day = scheme_date(facts)
    group = hours_group(facts.regime, category)
    if group is HoursGroup.KAP6A:
        samf = None
        if params.kap6a_samf_hours is not None:
            samf = HoursTarget(
                Subject.SAMFUNNSKUNNSKAP,
                params.kap6a_samf_hours,
                1,
                "kap6a.samf",
                BASIS_KAP6A_NO_SAMF,
            )
        return Timemaal(None, samf, day, (BASIS_NO_NORSK_HOURS, BASIS_KAP6A_NO_SAMF))
    if group is None:
        return Timemaal(None, None, day)
    norsk = _target(select_hours_row(params.rows, group, Subject.NORSK, day))
    samf = _target(select_hours_row(params.rows, group, Subject.SAMFUNNSKUNNSKAP, day))
    basis = tuple(t.basis for t in (norsk, samf) if t is not None)
    if group is HoursGroup.INTEGRERINGSLOVEN_RETT_OG_PLIKT:
        basis = (BASIS_NO_NORSK_HOURS, *basis)
    return Timemaal(norsk, samf, day, basis)


def samf_hours_counted(
    module_hours: Sequence[int], reception_hours: int, params: HoursParams | None = None
) -> int:
    """Social-studies hours toward the target: the modules, and reception hours (N1-d)."""
    params = params or HoursParams()
    return sum(module_hours) + (reception_hours if params.reception_hours_count else 0)


Hours = int | Decimal  # hours are registered with one decimal


def plikt_hours_completed(
    target: Timemaal, *, norsk_hours: Hours, samf_hours: Hours, params: HoursParams | None = None
) -> bool:
    """Duty only: the duty is fulfilled when both hour targets are met (end reason
    ``timer_gjennomfort``); the Norwegian hours count up to the 300-hour total."""
    params = params or HoursParams()
    if target.norsk is None or target.samfunnskunnskap is None:
        return False
    samf_needed = target.samfunnskunnskap.hours
    norsk_needed = min(target.norsk.hours, params.plikt_total_max_hours - samf_needed)
    return norsk_hours >= norsk_needed and samf_hours >= samf_needed


@dataclass(frozen=True, slots=True)
class HoursDone:
    """Hours of one subject completed in a period ending on ``end_date`` (as registered)."""

    subject: Subject
    end_date: dt.date
    hours: Hours


@dataclass(frozen=True, slots=True)
class HoursCompleted:
    """The day a duty-only person's hour targets were both met: end reason
    ``timer_gjennomfort`` (N6), set by the system as soon as the hours show it."""

    on: dt.date
    basis: LegalBasis = BASIS_PLIKT_NORSK


def plikt_hours_completed_on(
    target: Timemaal,
    category: NorskCategory,
    done: Sequence[HoursDone],
    params: HoursParams | None = None,
) -> HoursCompleted | None:
    """Duty only (N1: «plikt til norskmålet er nådd eller 250/225 timer norsk er
    gjennomført», with the social-studies hours): the end of the first period after which
    the hours registered so far meet both targets (``plikt_hours_completed``), or None.
    A person with the right has the norskmaal as the goal, never the hours (N2)."""
    if category is not NorskCategory.PLIKT:
        return None
    norsk: Hours = 0
    samf: Hours = 0
    for day in sorted({d.end_date for d in done}):
        norsk = sum(
            (d.hours for d in done if d.end_date == day and d.subject is Subject.NORSK), norsk
        )
        samf = sum(
            (d.hours for d in done if d.end_date == day and d.subject is Subject.SAMFUNNSKUNNSKAP),
            samf,
        )
        if plikt_hours_completed(target, norsk_hours=norsk, samf_hours=samf, params=params):
            return HoursCompleted(day)
    return None


BASIS_HOURS_REGISTERED = LegalBasis(
    "norsk.hours.registered",
    "IMDis registreringskrav i NIR: gjennomførte timer i norsk og samfunnskunnskap, timer i "
    "samfunnskunnskap per modul i ordningen med 75 timer",
    BasisKind.PRAKSIS,
    IMDI_SAMF_75,
)


def check_hours_module(target: Timemaal, subject: Subject, module: int | None) -> None:
    """Hours are registered per module where the subject's timemaal is in modules (the
    75-hour social-studies scheme), and as one figure otherwise (N1)."""
    goal = target.norsk if subject is Subject.NORSK else target.samfunnskunnskap
    modules = goal.modules if goal is not None else 1
    if modules > 1 and (module is None or not 1 <= module <= modules):
        raise RuleViolation(
            field="module",
            code="norsk.hours.module_required",
            message=f"Timene registreres per modul (1-{modules}) i denne ordningen.",
            basis=BASIS_HOURS_REGISTERED,
            params={"modules": modules},
        )
    if modules == 1 and module is not None:
        raise RuleViolation(
            field="module",
            code="norsk.hours.no_modules",
            message="Timene registreres som ett tall, uten modul, i denne ordningen.",
            basis=BASIS_HOURS_REGISTERED,
            params={},
        )


def samf_modules_from(params: HoursParams | None = None) -> dt.date | None:
    """The first day the social-studies target is in modules (the 75-hour scheme) for the
    integreringsloven groups: the person list's «new scheme» is a scheme date from it
    (Decision N1-e), taken from the rows so a new row moves it."""
    params = params or HoursParams()
    starts = [
        r.effective_from
        for r in params.rows
        if r.subject is Subject.SAMFUNNSKUNNSKAP
        and r.modules > 1
        and r.group
        in (HoursGroup.INTEGRERINGSLOVEN_RETT_OG_PLIKT, HoursGroup.INTEGRERINGSLOVEN_PLIKT)
    ]
    return min(starts) if starts else None
