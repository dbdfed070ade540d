"""From the registered facts of a participation to its frist: the one path every writer uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.config import RuleConfig
from nir.rules.dates import DateInterval
from nir.rules.errors import RuleViolation
from nir.rules.frist import ClockStop, ExtensionFacts, FristDerivation, compute_frist
from nir.rules.programme_length import (
    GroupResult,
    ProgrammeLengthRow,
    Sluttmaal,
    determine_programme_group,
    select_programme_length,
)
from nir.rules.regime import Regime, age_on


@dataclass(frozen=True, slots=True)
class DatedStop:
    """A registered leave or dated absence, before its type is looked up."""

    ref: str
    type_code: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class ParticipationFacts:
    regime: Regime
    start: dt.date
    birth_date: dt.date
    has_upper_secondary: bool | None
    sluttmaal: Sluttmaal | None
    extensions: Sequence[ExtensionFacts] = ()
    leaves: Sequence[DatedStop] = ()
    dated_absences: Sequence[DatedStop] = ()


@dataclass(frozen=True, slots=True)
class FristResult:
    group: GroupResult
    row: ProgrammeLengthRow
    derivation: FristDerivation


BASIS_TYPES = LegalBasis(
    "frist.clock_stop_types",
    "Registerets regel: permisjonstypene og fraværstypene, og om de forlenger fristen",
    BasisKind.BESLUTNING,
)


def clock_stop(stop: DatedStop, *, leave: bool, config: RuleConfig) -> ClockStop:
    """The leave or absence with its type's ``extends_deadline`` flag from the config."""
    types = config.leave_types if leave else config.absence_types
    stop_type = types.get(stop.type_code)
    field = "leave_type" if leave else "absence_type"
    if stop_type is None:
        raise RuleViolation(
            field=field,
            code=f"{field}.unknown",
            message=f"«{stop.type_code}» er ikke en kjent type. Gyldige typer: "
            + ", ".join(sorted(types)),
            basis=BASIS_TYPES,
            params={"type": stop.type_code, "choices": sorted(types)},
        )
    return ClockStop(
        stop.ref,
        stop.type_code,
        DateInterval(stop.start, stop.end),
        stop_type.extends_deadline,
        stop_type.label_nb,
    )


def derive_frist(facts: ParticipationFacts, config: RuleConfig) -> FristResult:
    group = determine_programme_group(
        regime=facts.regime,
        sluttmaal=facts.sluttmaal,
        has_upper_secondary=facts.has_upper_secondary,
        age_at_start=age_on(facts.birth_date, facts.start),
        group_without_sluttmaal=config.group_without_sluttmaal,
    )
    row = select_programme_length(
        regime=facts.regime,
        group=group.group,
        start_date=facts.start,
        table=config.programme_lengths,
    )
    stops = [clock_stop(s, leave=True, config=config) for s in facts.leaves]
    stops += [clock_stop(s, leave=False, config=config) for s in facts.dated_absences]
    derivation = compute_frist(
        start=facts.start,
        row=row,
        extensions=facts.extensions,
        clock_stops=stops,
        sluttmaal_missing=group.sluttmaal_missing,
    )
    return FristResult(group, row, derivation)


def derivation_as_json(result: FristResult) -> dict[str, Any]:
    """The derivation as stored beside the frist and shown in the API and on screen."""
    d = result.derivation
    basis = (result.group.basis, *d.basis)
    return {
        "start": d.start.isoformat(),
        "group": result.group.group.value,
        "rule_row": d.row_id,
        "rule_reference": d.row_reference,
        "base_months": d.base_months,
        "extensions": [
            {"ref": e.ref, "months": e.months, "decided_on": e.decided_on.isoformat()}
            for e in d.extensions
        ],
        "extension_months": d.extension_months,
        "months_total": d.months_total,
        "months_date": d.months_date.isoformat(),
        "clock_stops": [c.as_json() for c in d.clock_stops],
        "leave_days": d.leave_days,
        "frist": d.frist.isoformat(),
        "sluttmaal_missing": d.sluttmaal_missing,
        "basis": [b.as_json() for b in dict.fromkeys(basis)],
        "explanation": d.explain_nb(),
    }
