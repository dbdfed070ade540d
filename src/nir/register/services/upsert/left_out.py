"""What the register holds and a record lacks, which an upsert never removes: one warning
each, naming the operation that does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable

from nir.register.models import Participation, StopKind
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
CANCEL_OPERATION = "cancelRegistration (POST /api/v1/corrections/cancel-registration)"
UNDO_OPERATION = "undoTermination (POST /api/v1/corrections/undo-termination)"


def _dated(item: Hashable) -> str:
    """The item's dates as a caseworker reads them: «01.12.2026–20.12.2026, vedtak 25.11.2026»."""
    parts = []
    valid_from = getattr(item, "valid_from", None)
    start, end = getattr(item, "start_date", None), getattr(item, "end_date", None)
    decided_on = getattr(item, "decided_on", None)
    if valid_from is not None:
        parts.append(f"fra {valid_from:%d.%m.%Y}")
    if start is not None:
        parts.append(f"{start:%d.%m.%Y}–{end:%d.%m.%Y}" if end else f"fra {start:%d.%m.%Y}")
    if decided_on is not None:
        parts.append(f"vedtak {decided_on:%d.%m.%Y}")
    return ", ".join(parts)


def left_out(
    participation: Participation,
    record: ParticipantRecord,
    stored: dict[str, list[Hashable]],
) -> list[RecordError]:
    """What the register holds and the record lacks, which an upsert never removes: one
    warning each, naming the operation that does (a cancellation or an undone termination,
    each with its reason and history)."""
    warnings: list[RecordError] = []
    incoming = record_items(record)
    for name in (n for n in ITEM_KINDS if n not in CURRENT_ONLY):
        entity, noun = CORRECTION_ENTITY[name]
        left = Counter(incoming[name])
        for item in stored[name]:
            if left[item] > 0:
                left[item] -= 1
                continue
            permanent = isinstance(item, StopItem) and item.kind == StopKind.VARIG
            how = (
                "Varig stans avsluttet deltakelsen og kan ikke annulleres."
                if permanent
                else f"Den står til den annulleres med {CANCEL_OPERATION}, med en begrunnelse."
            )
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
                            "item": jsonable(item),
                            "operation": "" if permanent else "cancelRegistration",
                        },
                    ),
                )
            )
    stored_end = user_termination(participation)
    # A termination by permanent stop is the stop's: the record holds it with the stop, and
    # without the stop the stop's own warning says what stands.
    by_permanent_stop = stored_end is not None and stored_end.reason == STANS
    if stored_end is not None and record.termination is None and not by_permanent_stop:
        warnings.append(
            RecordError(
                "termination",
                RuleViolation(
                    field="termination",
                    code="termination.not_in_record",
                    basis=BASIS_LEFT_OUT,
                    message=f"Registeret har avslutningen {stored_end.end_date:%d.%m.%Y} som "
                    "posten ikke har. Å utelate avslutningen gjenåpner ikke deltakelsen; angre den "
                    f"med {UNDO_OPERATION}, med en begrunnelse.",
                    params={"termination": jsonable(stored_end), "operation": "undoTermination"},
                ),
            )
        )
    return warnings
