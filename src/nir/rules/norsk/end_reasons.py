"""Why a Norwegian-training ordning ends, and the ends the system registers (rules-norsk.md N6).

No official code list was found (Decision N6-a): the codes are the register's own, each
mapped to an external code. The system itself ends an ordning at the 67th birthday, when the
test results reach the norskmaal, when a duty-only person has completed the hours, on an
exemption that ends the right, and at the frist only behind ``auto_end_norsk_at_frist``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.norsk.final_tests import (
    BASIS_NORSKMAAL_REACHED,
    FinalTestResult,
    norskmaal_reached_on,
)
from nir.rules.norsk.frist import BASIS_FRIST_PASSED, FristParams, frist_state
from nir.rules.norsk.fritak import Fritak, fritak_ending_right
from nir.rules.norsk.hours import BASIS_PLIKT_NORSK
from nir.rules.norsk.norskmaal import Norskmaal
from nir.rules.norsk.rights import BASIS_ENDS_AT_67
from nir.rules.termination import TERMINATION_REASONS, catalogue_reason


class SetBy(StrEnum):
    MUNICIPALITY = "municipality"
    SYSTEM = "system"
    EITHER = "either"


@dataclass(frozen=True, slots=True)
class NorskEndReason:
    code: str
    label_nb: str
    external_code: str
    set_by: SetBy


def _programme_reason(code: str, set_by: SetBy) -> NorskEndReason:
    shared = TERMINATION_REASONS[code]
    return NorskEndReason(code, shared.label_nb, shared.external_code, set_by)


NORSKMAAL_NAADD = "norskmal_nadd"
TIMER_GJENNOMFORT = "timer_gjennomfort"
FRIST_UTLOPT = "frist_utlopt"
FRITAK = "fritak"
FYLT_67 = "fylt_67"

NORSK_END_REASONS: Mapping[str, NorskEndReason] = MappingProxyType(
    {
        r.code: r
        for r in (
            NorskEndReason(NORSKMAAL_NAADD, "Norskmålet er nådd", "NORSKMAL", SetBy.EITHER),
            NorskEndReason(
                TIMER_GJENNOMFORT,
                "Timene i norsk og samfunnskunnskap er gjennomført",
                "TIMER",
                SetBy.EITHER,
            ),
            NorskEndReason(FRIST_UTLOPT, "Fristen er utløpt", "FRIST", SetBy.SYSTEM),
            NorskEndReason(
                FRITAK, "Fritak som avslutter retten og plikten", "FRITAK", SetBy.EITHER
            ),
            NorskEndReason(FYLT_67, "Fylt 67 år", "67", SetBy.SYSTEM),
            NorskEndReason("avbrutt", "Avbrutt", "AVBR", SetBy.MUNICIPALITY),
            NorskEndReason("avvist", "Avvist deltakelse", "AVVIST", SetBy.MUNICIPALITY),
            # Where the law is the programme's (N6: «as rules.md §6»), the entry is too.
            _programme_reason("flyttet", SetBy.EITHER),
            _programme_reason("utvandret", SetBy.MUNICIPALITY),
            _programme_reason("dod", SetBy.MUNICIPALITY),
            _programme_reason("annet", SetBy.MUNICIPALITY),
        )
    }
)

BASIS_END_REASONS = LegalBasis(
    "norsk.end.reason_catalogue",
    "Registerets regel: avslutningsårsaker for opplæring i norsk og samfunnskunnskap, med "
    "tabell til eksterne koder (ingen offisiell kodeliste er funnet)",
    BasisKind.BESLUTNING,
)


def end_reason(code: str, *, by_system: bool, params: FristParams | None = None) -> NorskEndReason:
    """The catalogue entry; a user may not choose the system's reasons, and the system ends
    at the frist only when ``auto_end_norsk_at_frist`` is on (Decision N3-d)."""
    params = params or FristParams()
    reason = catalogue_reason(
        NORSK_END_REASONS,
        code,
        rule_code="norsk.end.unknown_reason",
        message=f"«{code}» er ikke en gyldig avslutningsårsak for opplæring i norsk.",
        basis=BASIS_END_REASONS,
    )
    wrong_actor = (reason.set_by is SetBy.SYSTEM and not by_system) or (
        reason.set_by is SetBy.MUNICIPALITY and by_system
    )
    switched_off = code == FRIST_UTLOPT and not params.auto_end_norsk_at_frist
    if wrong_actor or switched_off:
        raise RuleViolation(
            field="reason",
            code="norsk.end.reason_not_allowed",
            message=f"Avslutningsårsaken «{reason.label_nb}» kan ikke velges her.",
            basis=BASIS_FRIST_PASSED if switched_off else BASIS_END_REASONS,
            params={"reason": code, "by_system": by_system},
        )
    return reason


@dataclass(frozen=True, slots=True)
class SystemEndFacts:
    """What the system knows of an open ordning when it looks for an end."""

    birthday_67: dt.date  # from ``rights.rights_end`` (the 67th birthday)
    norskmaal: Sequence[Norskmaal] = ()
    results: Sequence[FinalTestResult] = ()
    fritak: Sequence[Fritak] = ()
    hours_completed_on: dt.date | None = None  # duty only: the day both hour targets were met
    frist: dt.date | None = None


@dataclass(frozen=True, slots=True)
class SystemEnd:
    reason: NorskEndReason
    end_date: dt.date
    basis: LegalBasis


def _candidates(
    facts: SystemEndFacts, as_of: dt.date, params: FristParams
) -> list[tuple[dt.date, str, LegalBasis]]:
    found: list[tuple[dt.date, str, LegalBasis]] = []
    if facts.birthday_67 <= as_of:
        found.append((facts.birthday_67, FYLT_67, BASIS_ENDS_AT_67))
    reached = norskmaal_reached_on(
        facts.norskmaal, [r for r in facts.results if r.test_date <= as_of]
    )
    if reached is not None:
        found.append((reached, NORSKMAAL_NAADD, BASIS_NORSKMAAL_REACHED))
    if facts.hours_completed_on is not None and facts.hours_completed_on <= as_of:
        found.append((facts.hours_completed_on, TIMER_GJENNOMFORT, BASIS_PLIKT_NORSK))
    ending = fritak_ending_right(facts.fritak, as_of)
    if ending is not None:
        found.append((ending.decision_date, FRITAK, ending.basis))
    if facts.frist is not None:
        state = frist_state(facts.frist, as_of, ended=False, params=params)
        if state.end_automatically:
            found.append((facts.frist, FRIST_UTLOPT, state.basis))
    return found


# When two ends fall on one day, the one the person reached wins over a lapse.
_PRIORITY = (NORSKMAAL_NAADD, TIMER_GJENNOMFORT, FRITAK, FYLT_67, FRIST_UTLOPT)


def system_end(
    facts: SystemEndFacts, as_of: dt.date, params: FristParams | None = None
) -> SystemEnd | None:
    """The earliest end the facts give by ``as_of``, or None while the ordning runs on."""
    params = params or FristParams()
    found = _candidates(facts, as_of, params)
    if not found:
        return None
    day, code, basis = min(found, key=lambda c: (c[0], _PRIORITY.index(c[1])))
    return SystemEnd(NORSK_END_REASONS[code], day, basis)
