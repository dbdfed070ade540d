"""Termination reasons (rules.md §6) and the automatic termination (rules.md §4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation


# No slots: RuleConfig extends several parameter classes, and only one base may have them.
@dataclass(frozen=True)
class TerminationParameters:
    """What this module's rules read from configuration; ``RuleConfig`` extends it."""

    # Automatic termination end date = frist + this (0: the frist; -1: the day before).
    automatic_end_offset_days: int = 0


class OutcomeClass(StrEnum):
    """How a reason counts in direct goal attainment (måloppnåelse)."""

    WORK = "work"
    EDUCATION = "education"
    WORK_AND_EDUCATION = "work_and_education"
    OTHER = "other"  # in the denominator, not the numerator
    EXCLUDED = "excluded"  # left out of the outcome figures altogether
    NOT_REGISTERED = "not_registered"  # set by the system; stays in the denominator

    @property
    def is_success(self) -> bool:
        return self in (
            OutcomeClass.WORK,
            OutcomeClass.EDUCATION,
            OutcomeClass.WORK_AND_EDUCATION,
        )

    @property
    def in_denominator(self) -> bool:
        return self is not OutcomeClass.EXCLUDED


@dataclass(frozen=True, slots=True)
class TerminationReason:
    code: str
    label_nb: str
    outcome: OutcomeClass
    external_code: str  # the code in IMDi's list, through the mapping table
    set_by_system_only: bool = False


IKKE_REGISTRERT = "ikke_registrert"
STANS = "stans"

TERMINATION_REASONS = MappingProxyType(
    {
        r.code: r
        for r in (
            TerminationReason("arbeid", "Arbeid (hel- eller deltid)", OutcomeClass.WORK, "ARB"),
            TerminationReason(
                "utdanning_vgo", "Videregående opplæring", OutcomeClass.EDUCATION, "VGO"
            ),
            TerminationReason(
                "utdanning_hoyere",
                "Høyere utdanning (også kompletterende og godkjenning)",
                OutcomeClass.EDUCATION,
                "HOY",
            ),
            TerminationReason(
                "arbeid_og_utdanning",
                "Arbeid og utdanning",
                OutcomeClass.WORK_AND_EDUCATION,
                "ARB_UTD",
            ),
            TerminationReason(
                "grunnskole", "Grunnskoleopplæring for voksne", OutcomeClass.OTHER, "GRS"
            ),
            TerminationReason(
                "nav_tiltak", "NAV-tiltak eller annen oppfølging", OutcomeClass.OTHER, "NAV"
            ),
            TerminationReason(
                "flyttet", "Flyttet til en annen kommune", OutcomeClass.EXCLUDED, "FLYTT"
            ),
            TerminationReason(STANS, "Varig stans (§ 18)", OutcomeClass.OTHER, "STANS"),
            TerminationReason("avbrutt", "Avbrutt etter eget ønske", OutcomeClass.OTHER, "AVBR"),
            TerminationReason("helse", "Sykdom eller helse", OutcomeClass.OTHER, "SYK"),
            TerminationReason(
                "foreldrepermisjon", "Foreldre- eller omsorgssituasjon", OutcomeClass.OTHER, "PERM"
            ),
            TerminationReason("utvandret", "Utvandret", OutcomeClass.EXCLUDED, "UTV"),
            TerminationReason("dod", "Død", OutcomeClass.EXCLUDED, "DOD"),
            TerminationReason(
                "tid_utlopt", "Programtiden gikk ut uten overgang", OutcomeClass.OTHER, "TID"
            ),
            TerminationReason("annet", "Annet", OutcomeClass.OTHER, "ANNET"),
            TerminationReason(
                IKKE_REGISTRERT,
                "Avslutningsårsak ikke registrert",
                OutcomeClass.NOT_REGISTERED,
                "IKKE_REG",
                set_by_system_only=True,
            ),
        )
    }
)

BASIS_REASON = LegalBasis(
    "termination.reason_catalogue",
    "IMDis registreringskrav i NIR: deltakerens hovedaktivitet ved avslutning",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/nir-og-bosetting/nasjonalt-introduksjonsregister-nir/"
    "dette-skal-kommunen-registrere-i-nir/",
)


def catalogue_reason[R](
    catalogue: Mapping[str, R], code: str, *, rule_code: str, message: str, basis: LegalBasis
) -> R:
    """The entry for ``code`` in an end-reason catalogue (the programme's, or the
    Norwegian-training scheme's); an unknown code is refused naming the valid ones."""
    reason = catalogue.get(code)
    if reason is None:
        raise RuleViolation(
            field="reason",
            code=rule_code,
            message=message,
            basis=basis,
            params={"reason": code, "choices": sorted(catalogue)},
        )
    return reason


def termination_reason(code: str, *, by_system: bool = False) -> TerminationReason:
    """The catalogue entry for ``code``; users may not choose the system's own reason."""
    reason = catalogue_reason(
        TERMINATION_REASONS,
        code,
        rule_code="termination.unknown_reason",
        message=f"«{code}» er ikke en gyldig avslutningsårsak.",
        basis=BASIS_REASON,
    )
    if reason.set_by_system_only and not by_system:
        raise RuleViolation(
            field="reason",
            code="termination.reason_system_only",
            message=(
                "«Avslutningsårsak ikke registrert» settes bare av registeret selv; "
                "registrer deltakerens hovedaktivitet ved avslutning."
            ),
            basis=BASIS_REASON,
            params={"reason": code},
        )
    return reason


BASIS_AUTOMATIC = LegalBasis(
    "termination.automatic",
    "IMDis praksis i NIR: avslutning med «avslutningsårsak ikke registrert» når fristen er passert",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/arkiv/arkiverte-nyheter/registrering-av-avslutningsarsak-i-nir/",
)
BASIS_LIFTED = LegalBasis(
    "termination.automatic_lifted",
    "Registerets regel: en ny frist som ikke er passert, opphever den automatiske avslutningen",
    BasisKind.BESLUTNING,
)
BASIS_MOVED = LegalBasis(
    "termination.automatic_moved",
    "Registerets regel: den automatiske avslutningen står, med sluttdato lik ny frist",
    BasisKind.BESLUTNING,
)


class AutomaticAction(StrEnum):
    NONE = "none"  # nothing to do
    END = "end"  # end the participation as ikke_registrert
    LIFT = "lift"  # remove the automatic termination: the new frist has not passed
    MOVE = "move"  # keep the automatic termination, with the new end date


# A participation's status, the one enum of it: the rules decide by it, the register derives
# it from a participation (Participation.status), and the API and the pages show it. No
# docstring: the API's schema would take it as its description.
class ParticipationStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"  # with a reason a user or case system registered
    ENDED_BY_SYSTEM = "ended_by_system"  # by the register, as ikke_registrert


@dataclass(frozen=True, slots=True)
class AutomaticDecision:
    action: AutomaticAction
    end_date: dt.date | None
    basis: LegalBasis | None


def automatic_end_date(frist: dt.date, config: TerminationParameters) -> dt.date:
    return frist + dt.timedelta(days=config.automatic_end_offset_days)


def decide_automatic_termination(
    *,
    frist: dt.date,
    current: ParticipationStatus,
    current_end_date: dt.date | None,
    as_of: dt.date,
    config: TerminationParameters,
) -> AutomaticDecision:
    """What the register does itself, today, with a participation and its frist.

    Ends it when today is after the frist and nothing is registered; lifts its own
    termination when a new frist has not passed; moves its end date when the frist moved
    but has passed; never touches a real termination.
    """
    if current is ParticipationStatus.ENDED:
        return AutomaticDecision(AutomaticAction.NONE, current_end_date, None)
    passed = as_of > frist
    end_date = automatic_end_date(frist, config)
    if current is ParticipationStatus.ACTIVE:
        if passed:
            return AutomaticDecision(AutomaticAction.END, end_date, BASIS_AUTOMATIC)
        return AutomaticDecision(AutomaticAction.NONE, None, None)
    if not passed:
        return AutomaticDecision(AutomaticAction.LIFT, None, BASIS_LIFTED)
    if current_end_date != end_date:
        return AutomaticDecision(AutomaticAction.MOVE, end_date, BASIS_MOVED)
    return AutomaticDecision(AutomaticAction.NONE, current_end_date, None)


BASIS_END_DATE = LegalBasis(
    "termination.end_date",
    "Registerets regel: sluttdatoen ligger mellom oppstart og fristen for gjennomføring, "
    "og ikke fram i tid",
    BasisKind.BESLUTNING,
)


def check_end_date(
    end_date: dt.date, *, start_date: dt.date, frist: dt.date, as_of: dt.date
) -> dt.date:
    """A real termination's end date: not in the future, not before the start, and not past
    the frist (a programme that ran longer needs its leave or extension registered first)."""
    if end_date > as_of:
        raise RuleViolation(
            field="end_date",
            code="termination.future",
            message="Avslutning kan ikke registreres med en dato fram i tid.",
            basis=BASIS_END_DATE,
        )
    if end_date < start_date:
        raise RuleViolation(
            field="end_date",
            code="termination.before_start",
            message=f"Sluttdatoen kan ikke være før oppstart ({start_date:%d.%m.%Y}).",
            basis=BASIS_END_DATE,
            params={"start_date": start_date},
        )
    if end_date > frist:
        raise RuleViolation(
            field="end_date",
            code="termination.after_frist",
            message=(
                f"Sluttdatoen kan ikke være etter fristen for gjennomføring "
                f"({frist:%d.%m.%Y}). Registrer permisjon eller "
                "utvidet programtid først dersom programmet varte lenger."
            ),
            basis=BASIS_END_DATE,
            params={"frist": frist},
        )
    return end_date
