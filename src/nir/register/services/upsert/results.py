"""What an upsert answers for each record, and the refusal that becomes a rejected result."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from nir.register.services.validation import invalid
from nir.rules.errors import RuleViolation


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    # Nothing written, yet the record differs from the register in what an upsert does not
    # apply (a stored registration or termination it leaves out); the warnings say which.
    NOT_APPLIED = "not_applied"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class RecordError:
    """A refusal, with the field as a path inside the record (``leaves[0].start_date``)."""

    field: str
    violation: RuleViolation


@dataclass(slots=True)
class RecordResult:
    index: int
    case_id: str
    outcome: Outcome
    participation_id: int | None = None
    version: int | None = None
    content_hash: str | None = None
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)


@dataclass(slots=True)
class Applied:
    """One record written, either scheme's, before its result is told: the outcome, the
    row (the participation or the ordning), its registrations when known unchanged since
    they were read (no second read for the content hash), and the warnings."""

    outcome: Outcome
    row: Any
    items: dict[str, list[Any]] | None
    warnings: list[RecordError]

    def result(self, index: int, case_id: str, hash_of: Callable[[Any, Any], str]) -> RecordResult:
        return RecordResult(
            index,
            case_id,
            self.outcome,
            participation_id=self.row.pk,
            version=self.row.version,
            content_hash=hash_of(self.row, self.items),
            warnings=self.warnings,
        )


def settled(outcome: Outcome, wrote: bool, warnings: list[RecordError]) -> Outcome:
    """A stored record's outcome once written: updated when anything was written, else
    not_applied when it lacks what the register holds, else unchanged."""
    if outcome is not Outcome.UNCHANGED:
        return outcome
    if wrote:
        return Outcome.UPDATED
    return Outcome.NOT_APPLIED if warnings else Outcome.UNCHANGED


class Rejected(Exception):
    """The record is refused: raised on the first refusal, caught where its savepoint is."""

    def __init__(self, errors: list[RecordError]) -> None:
        super().__init__("record rejected")
        self.errors = errors


def reject(field: str, code: str, message: str, **params: object) -> Rejected:
    """A refusal of the record as a whole, on ``field`` of the record."""
    name = field.rsplit(".", 1)[-1]
    return Rejected([RecordError(field, invalid(name, code, message, **params))])


def on_field(prefix: str, call: Callable[[], Any], whole: Collection[str] = ()) -> Any:
    """Run one service call, naming the record's field on a refusal: the prefix and the
    rule's field, or the prefix alone (``leaves[0]``) where the rule names the item as a
    whole (one of ``whole``)."""
    try:
        return call()
    except RuleViolation as violation:
        name = prefix.rstrip(".") if violation.field in whole else f"{prefix}{violation.field}"
        raise Rejected([RecordError(name, violation)]) from violation
