"""The catalogue of history events: every action the register writes, the entity it is
about and the keys of the state it records before and after.

Every writer of history takes its shapes from here: the services (through
``history.history_row``, which refuses a state with other keys), the seed loader and the
sweep, whose SQL is generated from ``TERMINATION_STATE`` and ``AUTOMATIC_TERMINATION``.
The cut-off figures read the termination state back from the history, so it is spelled
once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

from nir.register.models import PERSON_UPDATED_ACTION
from nir.rules.termination import AutomaticAction

# A participation's termination as the history records it before and after a change.
TERMINATION_STATE = ("frist", "end_date", "termination_reason", "termination_source")
# The termination state of an open participation, beside its frist.
OPEN_TERMINATION = {"end_date": None, "termination_reason": "", "termination_source": ""}
# A person's facts as the history records them; names and the identity number stay out
# (they are in the person row, and retention blanks the history's copy).
PERSON_STATE = (
    "identity_kind",
    "duf_number",
    "birth_date",
    "sex",
    "permit_type",
    "permit_date",
    "arrival_date",
    "settlement_date",
    "settled_by_agreement",
    "has_upper_secondary",
    "research_reservation",
)
# The registration row's own fields (each model's), not a fixed list.
ROW = ("<row>",)
CUTOFF_STATE = ("year", "cutoff_date", "reason")
# The figures stored at a year's cut-off: which year and counting, the cut-off they are
# drawn at and the rules' version they were counted under (no counts: they are in the row).
FIGURES_STATE = ("year", "counting", "cutoff_date", "config_version")


@dataclass(frozen=True, slots=True)
class EventKind:
    """One kind of history event. ``before``/``after`` name the keys of the recorded state
    (``None``: none recorded; ``ROW``: the registration row's fields). ``in_feed``: the
    API's change feed gives it (an event of no municipality, IMDi's own, it does not)."""

    action: str
    entity: str
    before: tuple[str, ...] | None = None
    after: tuple[str, ...] | None = None
    in_feed: bool = True


PARTICIPATION_CREATED = EventKind(
    "participation_created",
    "participation",
    after=("regime", "category", "start_date", "case_id"),
)
# What the seed loader wrote before it registered through the services (it now writes
# PARTICIPATION_CREATED on the seed channel); kept so a register seeded then reads its history.
PARTICIPATION_SEEDED = EventKind(
    "participation_seeded", "participation", after=("regime", "start_date", *TERMINATION_STATE)
)
FRIST_RECOMPUTED = EventKind(
    "frist_recomputed", "participation", before=("frist",), after=("frist", "derivation")
)
AUTOMATIC_TERMINATION = {
    action: EventKind(
        f"automatic_termination_{action.value}",
        "participation",
        before=TERMINATION_STATE,
        after=TERMINATION_STATE,
    )
    for action in AutomaticAction
    if action is not AutomaticAction.NONE
}
TERMINATION_REGISTERED = EventKind(
    "termination_registered", "participation", TERMINATION_STATE, TERMINATION_STATE
)
TERMINATION_REPLACED_AUTOMATIC = EventKind(
    "termination_replaced_automatic", "participation", TERMINATION_STATE, TERMINATION_STATE
)
TERMINATION_CANCELLED = EventKind(
    "termination_cancelled", "participation", TERMINATION_STATE, (*TERMINATION_STATE, "reason")
)
PERSON_REGISTERED = EventKind("person_registered", "person", after=PERSON_STATE)
PERSON_UPDATED = EventKind(PERSON_UPDATED_ACTION, "person", PERSON_STATE, PERSON_STATE)
PERSON_ANONYMISED = EventKind("person_anonymised", "person", after=("last_end", "years"))
SLUTTMAAL_REGISTERED = EventKind("sluttmaal_registered", "sluttmaal", after=ROW)
DECISION_REGISTERED = EventKind("decision_registered", "decision", after=ROW)
MEASURE_REGISTERED = EventKind("measure_registered", "measure", after=ROW)
LEAVE_REGISTERED = EventKind("leave_registered", "leave", after=ROW)
ABSENCE_REGISTERED = EventKind("absence_registered", "absence", after=ROW)
EXTENSION_REGISTERED = EventKind("extension_registered", "extension", after=ROW)
STOP_REGISTERED = EventKind("stop_registered", "stop", after=ROW)
# An intro participant's kartlegging, veiledning, kontrakt or course (rules-norsk.md N8).
RELATED_ITEM_REGISTERED = EventKind("related_item_registered", "related_item", after=ROW)
# The entity is the cancelled registration's (sluttmaal, leave, ...), named when written.
REGISTRATION_CANCELLED = EventKind("registration_cancelled", "<registration>", ROW, ("reason",))
LATE_REGISTRATION_GRANTED = EventKind(
    "late_registration_granted",
    "grant",
    after=("kommune", "covers_from", "covers_to", "expires_on", "reason"),
    in_feed=False,
)
LATE_REGISTRATION_REVOKED = EventKind(
    "late_registration_revoked", "grant", ("revoked_on",), ("revoked_on",), in_feed=False
)
ANNUAL_CUTOFF_SET = EventKind(
    "annual_cutoff_set", "annual_cutoff", CUTOFF_STATE, CUTOFF_STATE, in_feed=False
)
ANNUAL_CUTOFF_REMOVED = EventKind(
    "annual_cutoff_removed", "annual_cutoff", CUTOFF_STATE, CUTOFF_STATE, in_feed=False
)
FIGURES_STORED = EventKind(
    "figures_stored", "stored_figures", FIGURES_STATE, FIGURES_STATE, in_feed=False
)

# Training in Norwegian and social studies (services/norsk.py), in the API's change feed
# of a client that writes the scheme.
NORSK_END_STATE = ("frist", "end_date", "end_reason", "end_set_by")
# The end state of an open ordning, beside its frist.
NORSK_OPEN_END = {"end_date": None, "end_reason": "", "end_set_by": ""}
NORSK_PARTICIPATION_STARTED = EventKind(
    "norsk_participation_started",
    "norsk_participation",
    after=("regime", "category", "right_start", "start_date", "education_background", "case_id"),
)
NORSK_FRIST_RECOMPUTED = EventKind(
    "norsk_frist_recomputed",
    "norsk_participation",
    before=("frist",),
    after=("frist", "derivation"),
)
NORSK_LEAVE_REGISTERED = EventKind("norsk_leave_registered", "norsk_leave", after=ROW)
# Each § 43 g decision is a grant event: its row carries the amount (N3-c).
EXTENDED_NORWEGIAN_GRANTED = EventKind(
    "extended_norwegian_granted", "extended_norwegian", after=ROW
)
NORSKMAAL_REGISTERED = EventKind("norskmaal_registered", "norskmaal", after=ROW)
NORSK_TEST_RESULT_REGISTERED = EventKind(
    "norsk_test_result_registered", "norsk_test_result", after=ROW
)
NORSK_EXEMPTION_REGISTERED = EventKind("norsk_exemption_registered", "norsk_exemption", after=ROW)
NORSK_HOURS_REGISTERED = EventKind("norsk_hours_registered", "norsk_hours", after=ROW)
NORSK_EDUCATION_REGISTERED = EventKind(
    "norsk_education_registered",
    "norsk_participation",
    ("education_background",),
    ("education_background",),
)
# N3-d: the scheduler flags an open ordning whose frist has passed; a new frist lifts it.
NORSK_FRIST_PASSED = EventKind(
    "norsk_frist_passed",
    "norsk_participation",
    ("frist_flagged_on",),
    ("frist_flagged_on",),
)
NORSK_PARTICIPATION_ENDED = EventKind(
    "norsk_participation_ended",
    "norsk_participation",
    NORSK_END_STATE,
    NORSK_END_STATE,
)
# The municipality's end undone (services/corrections.py), with the reason given.
NORSK_END_CANCELLED = EventKind(
    "norsk_end_cancelled",
    "norsk_participation",
    NORSK_END_STATE,
    (*NORSK_END_STATE, "reason"),
)

CATALOGUE: tuple[EventKind, ...] = (
    PARTICIPATION_CREATED,
    PARTICIPATION_SEEDED,
    FRIST_RECOMPUTED,
    *AUTOMATIC_TERMINATION.values(),
    TERMINATION_REGISTERED,
    TERMINATION_REPLACED_AUTOMATIC,
    TERMINATION_CANCELLED,
    PERSON_REGISTERED,
    PERSON_UPDATED,
    PERSON_ANONYMISED,
    SLUTTMAAL_REGISTERED,
    DECISION_REGISTERED,
    MEASURE_REGISTERED,
    LEAVE_REGISTERED,
    ABSENCE_REGISTERED,
    EXTENSION_REGISTERED,
    STOP_REGISTERED,
    RELATED_ITEM_REGISTERED,
    REGISTRATION_CANCELLED,
    LATE_REGISTRATION_GRANTED,
    LATE_REGISTRATION_REVOKED,
    ANNUAL_CUTOFF_SET,
    ANNUAL_CUTOFF_REMOVED,
    NORSK_PARTICIPATION_STARTED,
    NORSK_FRIST_RECOMPUTED,
    NORSK_LEAVE_REGISTERED,
    EXTENDED_NORWEGIAN_GRANTED,
    NORSKMAAL_REGISTERED,
    NORSK_TEST_RESULT_REGISTERED,
    NORSK_EXEMPTION_REGISTERED,
    NORSK_HOURS_REGISTERED,
    NORSK_EDUCATION_REGISTERED,
    NORSK_FRIST_PASSED,
    NORSK_PARTICIPATION_ENDED,
    NORSK_END_CANCELLED,
)
