"""What a registration *would* do to a participation's frist, before anyone saves it.

A preview is the service that saves the registration, run on a copy of the participation
with a store that keeps its rows in memory (``MemoryRows``) and is thrown away: the window,
every rule of the registration, the recomputed frist and what the automatic termination
would do are the save's own, so a preview can never disagree with the save. It never
writes, never locks and never records history. The caller has checked that the reader may
see the participation (the scoped selectors); the name on the rows that are never written
does not matter.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from nir.register.missing_messages import programme_time_text
from nir.register.models import Participation
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, Channel, WriteContext
from nir.register.services.items import DecisionItem, Item
from nir.register.services.registrations import add_item
from nir.register.services.stores import MemoryRows
from nir.rules.basis import LegalBasis
from nir.rules.config import RuleConfig
from nir.rules.decided_programme_time import START_DECISION_TYPES, check_decided_programme_time
from nir.rules.participation import FristResult, derive_frist
from nir.rules.termination import (
    AutomaticAction,
    ParticipationStatus,
    decide_automatic_termination,
)


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


def preview(participation: Participation, item: Item, as_of: dt.date) -> FristPreview:
    """The frist and the automatic termination with ``item`` registered on ``as_of``;
    refuses exactly what saving it would refuse."""
    config = rule_config()
    store = MemoryRows()
    ctx = WriteContext(
        Actor("forhandsvisning", Channel.WEB, participation.kommune_id),
        timezone.now(),
        as_of,
        config,
        store,
    )
    draft = copy.copy(participation)
    add_item(ctx, draft, item)
    result = derive_frist(store.facts(draft), config)
    outcome = _outcome(participation, result, as_of, config)
    if isinstance(item, DecisionItem) and item.decision_type in START_DECISION_TYPES:
        # A decision does not move the frist; one granting more months than the sluttmål
        # gives is told before it is saved (nir.rules.decided_programme_time).
        mismatch = check_decided_programme_time(
            decided_months=item.programme_months,
            base_months=result.derivation.base_months,
            extension_months=result.derivation.extension_months,
            frist=result.derivation.frist,
        )
        outcome = dataclasses.replace(
            outcome, warning=programme_time_text(mismatch) if mismatch else None
        )
    return outcome


def _outcome(
    participation: Participation, result: FristResult, as_of: dt.date, config: RuleConfig
) -> FristPreview:
    status = participation.status
    decision = decide_automatic_termination(
        frist=result.derivation.frist,
        current=status,
        current_end_date=participation.end_date,
        as_of=as_of,
        config=config,
    )
    return FristPreview(
        current_frist=participation.frist,
        new_frist=result.derivation.frist,
        explanation=result.derivation.explain_nb(),
        automatic_action=decision.action,
        currently_ended_by_system=status is ParticipationStatus.ENDED_BY_SYSTEM,
        basis=(result.group.basis, *result.derivation.basis)
        + ((decision.basis,) if decision.basis else ()),
    )
