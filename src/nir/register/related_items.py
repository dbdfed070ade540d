"""What an intro participant's related items (rules-norsk.md N8) stand at, and what the law
expects that they do not show: a read over the participation's records, shared by the
participant page, the API's participant read and its write replies.

The newest record of a kind holds (Decision N8-a); foreldreveiledning counts as «ikke
aktuelt» unless the caseworker marked it applicable (Decision N8-c; the register holds no
children); a start decision without a completed kompetansekartlegging is warned about,
never refused (Decision N8-b).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nir.register.models import Decision, Participation
from nir.register.related_item_models import RelatedItemRecord
from nir.rules.decided_programme_time import START_DECISION_TYPES
from nir.rules.norsk.related_items import (
    ItemSource,
    ItemStatus,
    RelatedItem,
    RelatedItemKind,
    RuleWarning,
    foreldreveiledning_status,
    foreldreveiledning_warning,
    programme_decision_warnings,
)
from nir.rules.regime import Regime


@dataclass(frozen=True)
class RelatedItemLine:
    """One kind of item: the record that holds (None: nothing registered) and the status
    the register counts."""

    kind: RelatedItemKind
    record: RelatedItemRecord | None
    status: ItemStatus


@dataclass(frozen=True)
class RelatedItemsState:
    lines: list[RelatedItemLine]
    warnings: list[RuleWarning]


def as_rule_item(record: RelatedItemRecord) -> RelatedItem:
    return RelatedItem(
        RelatedItemKind(record.item_kind),
        ItemStatus(record.status),
        record.date_completed,
        ItemSource(record.source),
    )


def kinds_for(regime: Regime) -> list[RelatedItemKind]:
    """The items a participant under the regime has: no integreringskontrakt under
    introduksjonsloven (integreringsloven § 16)."""
    return [
        k
        for k in RelatedItemKind
        if regime.has_sluttmaal or k is not RelatedItemKind.INTEGRERINGSKONTRAKT
    ]


def current_records(
    records: Iterable[RelatedItemRecord],
) -> dict[RelatedItemKind, RelatedItemRecord]:
    """The newest record of each kind (records come oldest first, by id)."""
    newest: dict[RelatedItemKind, RelatedItemRecord] = {}
    for record in sorted(records, key=lambda r: r.pk or 0):
        newest[RelatedItemKind(record.item_kind)] = record
    return newest


def first_start_decision(decisions: Iterable[Decision]) -> dt.date | None:
    return min(
        (d.decided_on for d in decisions if d.decision_type in START_DECISION_TYPES),
        default=None,
    )


def related_items_state(
    participation: Participation,
    records: Sequence[RelatedItemRecord],
    decisions: Iterable[Decision],
    as_of: dt.date,
) -> RelatedItemsState:
    """Each kind the participant has, its status and the warnings of N8-b and N8-c."""
    regime = Regime(participation.regime)
    newest = current_records(records)
    lines: list[RelatedItemLine] = []
    warnings: list[RuleWarning] = []
    for kind in kinds_for(regime):
        record = newest.get(kind)
        item = as_rule_item(record) if record is not None else None
        if kind is RelatedItemKind.FORELDREVEILEDNING:
            applicable = record is not None and record.marked_applicable
            status = foreldreveiledning_status(
                item, child_birth_dates=(), as_of=as_of, marked_applicable=applicable
            )
            warning = foreldreveiledning_warning(item, status, marked_applicable=applicable)
            if warning is not None:
                warnings.append(warning)
        else:
            status = item.status if item is not None else ItemStatus.IKKE_STARTET
        lines.append(RelatedItemLine(kind, record, status))
    decided_on = first_start_decision(decisions)
    if decided_on is not None:
        person = participation.person
        warnings[:0] = programme_decision_warnings(
            [as_rule_item(r) for r in records],
            regime=regime,
            permit_date=person.permit_date,
            decision_date=decided_on,
            settled_or_claimed_on=person.settlement_date,
        )
    return RelatedItemsState(lines, warnings)
