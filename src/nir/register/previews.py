"""What a registration *would* do to a participation's frist, before anyone saves it.

A pure read: it loads the participation's facts, adds the hypothetical extension, leave or
sluttmål, and asks the rules (``derive_frist`` and ``decide_automatic_termination``) what
the frist and the automatic termination would become. It never writes, never locks and
never records history; the service that saves the registration recomputes everything
itself, so a preview can never disagree with what is stored for long.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from nir.register.models import Participation
from nir.register.rule_config import rule_config
from nir.register.services.participations import current_end
from nir.register.services.stores import participation_facts
from nir.rules import frist as frist_rules
from nir.rules.basis import LegalBasis
from nir.rules.decided_programme_time import START_DECISION_TYPES, check_decided_programme_time
from nir.rules.errors import RuleViolation
from nir.rules.extension import check_extension
from nir.rules.participation import DatedStop, ParticipationFacts, derive_frist
from nir.rules.programme_length import Sluttmaal
from nir.rules.termination import AutomaticAction, CurrentEnd, decide_automatic_termination


@dataclass(frozen=True, slots=True)
class FristPreview:
    """The frist today and with the hypothetical registration, and what the register would do."""

    current_frist: dt.date
    new_frist: dt.date
    explanation: list[str]
    automatic_action: AutomaticAction
    currently_ended_by_system: bool
    basis: tuple[LegalBasis, ...]
    # What the caseworker should register next (a start decision longer than the sluttmål).
    warning: str | None = None

    @property
    def frist_moves(self) -> bool:
        return self.new_frist != self.current_frist

    @property
    def lifts_automatic_termination(self) -> bool:
        return self.automatic_action is AutomaticAction.LIFT

    @property
    def keeps_automatic_termination(self) -> bool:
        return self.currently_ended_by_system and not self.lifts_automatic_termination

    @property
    def would_end_automatically(self) -> bool:
        return self.automatic_action is AutomaticAction.END


def _preview(
    participation: Participation, facts: ParticipationFacts, as_of: dt.date
) -> FristPreview:
    config = rule_config()
    result = derive_frist(facts, config)
    ended = current_end(participation)
    decision = decide_automatic_termination(
        frist=result.derivation.frist,
        current=ended,
        current_end_date=participation.end_date,
        as_of=as_of,
        config=config,
    )
    return FristPreview(
        current_frist=participation.frist,
        new_frist=result.derivation.frist,
        explanation=result.derivation.explain_nb(),
        automatic_action=decision.action,
        currently_ended_by_system=ended is CurrentEnd.SYSTEM,
        basis=(result.group.basis, *result.derivation.basis)
        + ((decision.basis,) if decision.basis else ()),
    )


def preview_extension(
    participation: Participation, *, months: int, decided_on: dt.date, as_of: dt.date
) -> FristPreview:
    """The frist with one more extension; refuses, like the service, past the row's limit."""
    facts = participation_facts(participation)
    current = derive_frist(facts, rule_config())
    check_extension(
        row=current.row,
        granted_months=[e.months for e in facts.extensions],
        requested_months=months,
    )
    hypothetical = frist_rules.Extension("preview", months, decided_on)
    facts = dataclasses.replace(facts, extensions=[*facts.extensions, hypothetical])
    return _preview(participation, facts, as_of)


def preview_leave(
    participation: Participation,
    *,
    leave_type: str,
    start_date: dt.date,
    end_date: dt.date,
    as_of: dt.date,
) -> FristPreview:
    if end_date < start_date:
        raise RuleViolation(
            field="end_date",
            code="period.end_before_start",
            message="Sluttdatoen kan ikke være før startdatoen.",
            basis=frist_rules.BASIS_LEAVE,
        )
    facts = participation_facts(participation)
    leave = DatedStop("preview", leave_type, start_date, end_date)
    facts = dataclasses.replace(facts, leaves=[*facts.leaves, leave])
    return _preview(participation, facts, as_of)


def preview_sluttmaal(
    participation: Participation, *, sluttmaal: str, as_of: dt.date
) -> FristPreview:
    """The frist with a new sluttmål in force (it recomputes from the original start)."""
    try:
        goal = Sluttmaal(sluttmaal)
    except ValueError:
        raise RuleViolation(
            field="sluttmaal",
            code="sluttmaal.invalid",
            message="Velg et gyldig sluttmål.",
            basis=frist_rules.BASIS_FRIST,
        ) from None
    facts = dataclasses.replace(participation_facts(participation), sluttmaal=goal)
    return _preview(participation, facts, as_of)


def preview_decision(
    participation: Participation,
    *,
    decision_type: str,
    programme_months: int | None,
    as_of: dt.date,
) -> FristPreview:
    """A decision does not move the frist; a start decision granting more months than the
    sluttmål gives is told before it is saved (nir.rules.decided_programme_time)."""
    preview = _preview(participation, participation_facts(participation), as_of)
    if decision_type not in START_DECISION_TYPES:
        return preview
    result = derive_frist(participation_facts(participation), rule_config())
    mismatch = check_decided_programme_time(
        decided_months=programme_months,
        base_months=result.derivation.base_months,
        extension_months=result.derivation.extension_months,
        frist=result.derivation.frist,
    )
    return dataclasses.replace(preview, warning=mismatch.message if mismatch else None)
