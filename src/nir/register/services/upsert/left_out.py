"""What the register holds and a record lacks, which an upsert never removes: one warning
each, naming the operation that does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nir.register.models import Participation, StopKind
from nir.register.rule_messages import OPERATIONS
from nir.register.services.items import StopItem
from nir.register.services.upsert.canonical import jsonable, user_termination
from nir.register.services.upsert.records import (
    CORRECTION_ENTITY,
    CURRENT_ONLY,
    ITEM_KINDS,
    ParticipantRecord,
    record_items,
)
from nir.register.services.upsert.results import RecordError
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.termination import STANS

BASIS_LEFT_OUT = LegalBasis(
    "upsert.left_out",
    "Registerets regel: det en post utelater, står; en registrering annulleres og en "
    "avslutning angres bare med begrunnelse og historikk",
    BasisKind.BESLUTNING,
)


def _dated(item: Any) -> str:
    """The item's dates as a caseworker reads them: «01.12.2026–20.12.2026, vedtak 25.11.2026»
    (an item that wraps the rules' value, a test result or an exemption, by that value's)."""
    item = getattr(item, "result", None) or getattr(item, "fritak", None) or item
    parts = []
    valid_from = getattr(item, "valid_from", None)
    start, end = getattr(item, "start_date", None), getattr(item, "end_date", None)
    test_date = getattr(item, "test_date", None)
    decided_on = getattr(item, "decided_on", None) or getattr(item, "decision_date", None)
    if valid_from is not None:
        parts.append(f"fra {valid_from:%d.%m.%Y}")
    if start is not None:
        parts.append(f"{start:%d.%m.%Y}–{end:%d.%m.%Y}" if end else f"fra {start:%d.%m.%Y}")
    if test_date is not None:
        parts.append(f"prøve {test_date:%d.%m.%Y}")
    if decided_on is not None:
        parts.append(f"vedtak {decided_on:%d.%m.%Y}")
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class ItemKinds:
    """A scheme's lists of registrations as the upsert compares them: each kind's
    correction entity and the noun a message names it by, the key items compare by (the
    item where it is hashable), the item in the record's shape, and what the register does
    with one left out (the sentence, and the operation that removes it, or none)."""

    entities: Mapping[str, tuple[str, str]]
    key: Callable[[Any], Hashable]
    as_json: Callable[[Any], Any]
    remedy: Callable[[Any], tuple[str, str]]


def _programme_remedy(item: Any) -> tuple[str, str]:
    if isinstance(item, StopItem) and item.kind == StopKind.VARIG:
        return "Varig stans avsluttet deltakelsen og kan ikke annulleres.", ""
    return (
        f"Den står til den annulleres med {OPERATIONS['cancelRegistration']}, med en begrunnelse.",
        "cancelRegistration",
    )


PROGRAMME_KINDS = ItemKinds(
    {name: CORRECTION_ENTITY[name] for name in ITEM_KINDS if name not in CURRENT_ONLY},
    key=lambda item: item,
    as_json=jsonable,
    remedy=_programme_remedy,
)


def left_out_items(
    incoming: Mapping[str, Sequence[Any]],
    stored: Mapping[str, Sequence[Any]],
    kinds: ItemKinds,
) -> list[RecordError]:
    """The stored registrations the record lacks (as a multiset of each kind), one warning
    each: leaving out is not a cancellation."""
    warnings: list[RecordError] = []
    for name, (entity, noun) in kinds.entities.items():
        left = Counter(kinds.key(item) for item in incoming[name])
        for item in stored[name]:
            if left[kinds.key(item)] > 0:
                left[kinds.key(item)] -= 1
                continue
            how, operation = kinds.remedy(item)
            warnings.append(
                RecordError(
                    name,
                    RuleViolation(
                        field=name,
                        code="registration.not_in_record",
                        basis=BASIS_LEFT_OUT,
                        message=f"Registeret har {noun} ({_dated(item)}) som posten ikke har. "
                        "Å utelate en registrering annullerer den ikke. " + how,
                        params={
                            "entity": entity,
                            "item": kinds.as_json(item),
                            "operation": operation,
                        },
                    ),
                )
            )
    return warnings


def end_left_out(message: str, params: dict[str, Any]) -> RecordError:
    """The warning about a stored end (either scheme's) that the record leaves out."""
    return RecordError(
        "termination",
        RuleViolation(
            field="termination",
            code="termination.not_in_record",
            basis=BASIS_LEFT_OUT,
            message=message,
            params=params,
        ),
    )


def left_out(
    participation: Participation,
    record: ParticipantRecord,
    stored: dict[str, list[Hashable]],
) -> list[RecordError]:
    """What the register holds and the record lacks, which an upsert never removes: one
    warning each, naming the operation that does (a cancellation or an undone termination,
    each with its reason and history)."""
    warnings = left_out_items(record_items(record), stored, PROGRAMME_KINDS)
    stored_end = user_termination(participation)
    # A termination by permanent stop is the stop's: the record holds it with the stop, and
    # without the stop the stop's own warning says what stands.
    by_permanent_stop = stored_end is not None and stored_end.reason == STANS
    if stored_end is not None and record.termination is None and not by_permanent_stop:
        warnings.append(
            end_left_out(
                f"Registeret har avslutningen {stored_end.end_date:%d.%m.%Y} som posten ikke "
                "har. Å utelate avslutningen gjenåpner ikke deltakelsen; angre den med "
                f"{OPERATIONS['undoTermination']}, med en begrunnelse.",
                {"termination": jsonable(stored_end), "operation": "undoTermination"},
            )
        )
    return warnings
