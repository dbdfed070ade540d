"""The worklist: what a caseworker must do next, soonest first, a page at a time (reads only).

Built on the scoped selectors (``nir.jobs.selectors``, shared with the reminder job, which
also word the tasks). The tasks come from seven streams (frist soon, the
reason's window still open, lacking a sluttmål, a decision or measures, and the follow-ups:
a start decision longer than the sluttmål gives, a reason a grant admits), each a query
ordered by a column its due date grows with. A page merges the next rows of each stream
after a cursor (keyset pagination), so a page costs the same few queries on page one or
page fifty, in a municipality of ten participants or a hundred thousand. A page, with its
counts on top, is cached until one of the municipality's participations changes, or the
reader writes (``nir.web.counts``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import translation

from nir.jobs.selectors import (
    GRANT_UNTIL,
    expiring_grants,
    frist_soon,
    frist_task_text,
    granted_reason_task_text,
    lacking_registration,
    missing_registrations,
    programme_time_mismatch,
    programme_time_short,
    programme_time_task_text,
    reason_granted,
    reason_task_text,
    reason_window_open,
)
from nir.register import triage
from nir.register.missing_messages import missing_message
from nir.register.models import (
    LateRegistrationGrant,
    Participation,
)
from nir.register.rule_config import rule_config
from nir.register.selectors import (
    missing_for,
    programme_time_exceeded,
    sluttmaal_applies,
    visible_participations,
)
from nir.rules.registration_window import earliest_open_event, window_closes
from nir.web.counts import (
    cache_key,
    cached,
    cached_counts,
    last_change,
)

PAGE_SIZE = 25
NO_DUE = dt.date.max  # tasks with no due date come last


@dataclass(frozen=True, slots=True)
class Task:
    kind: str  # frist | reason | sluttmaal | decision | measures | programme_time | reason_granted
    due: dt.date | None
    participation: Participation
    text: str
    fix: str  # the registration kind that resolves it
    rank: int  # the stream's place among tasks due the same day
    key: dt.date  # the stream's ordering column

    @property
    def cursor(self) -> str:
        return f"{self.rank}-{self.key:%Y%m%d}-{self.participation.pk}"

    @property
    def sort_key(self) -> tuple[dt.date, int, dt.date, int]:
        return (self.due or NO_DUE, self.rank, self.key, self.participation.pk)


@dataclass
class Worklist:
    tasks: list[Task] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    grants: list[LateRegistrationGrant] = field(default_factory=list)
    page_number: int = 1
    next_cursor: str | None = None
    cache_key: str = ""  # see worklist_page

    @property
    def total(self) -> int:
        return sum(self.counts.get(kind, 0) for kind in STREAM_KINDS)

    @property
    def first_number(self) -> int:
        return (self.page_number - 1) * PAGE_SIZE + 1 if self.tasks else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.tasks) - 1 if self.tasks else 0

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


@dataclass(frozen=True)
class _Stream:
    kind: str
    fix: str
    key: str  # the column the stream is ordered by; the due date never falls as it grows
    rows: QuerySet[Participation]
    # The smallest key whose due date is on or after a day (None: every row qualifies).
    lowest_key: Callable[[dt.date], dt.date | None]
    task: Callable[[Participation], Task]


def _frist_task(p: Participation) -> Task:
    return Task("frist", p.frist, p, frist_task_text(p.frist), "avslutning", 0, p.frist)


def _reason_task(p: Participation) -> Task:
    assert p.end_date is not None  # the stream holds ended participations only
    closes = window_closes(p.end_date, rule_config())
    text = reason_task_text(p.end_date, closes)
    return Task("reason", closes, p, text, "avslutning", 1, p.end_date)


def _missing_task(
    code: str, fix: str, rank: int, key: str, as_of: dt.date
) -> Callable[[Participation], Task]:
    def make(p: Participation) -> Task:
        # The message and due date are the rule's (nir.rules.missing): the sluttmål and
        # the decision are due when the start's registration window closes. Each item
        # depends on its own flag only, so the stream's row needs only that one flag:
        # the others are set as present, which leaves this item as the rule gives it.
        for flag in FLAGS.values():
            setattr(p, flag, flag != FLAGS[code])
        setattr(p, "decided_programme_months", None)  # noqa: B010 - another card counts these
        item = next(m for m in missing_for(p, as_of) if m.code == code)
        text = missing_message(item, as_of)
        return Task(code, item.due, p, text, fix, rank, getattr(p, key))

    return make


def _streams(
    kommune_id: int | None, as_of: dt.date, grants: list[LateRegistrationGrant] | None = None
) -> list[_Stream]:
    config = rule_config()

    def by_window(day: dt.date) -> dt.date:
        # window_closes is monotone, so "closes on or after day" is "event on or after this".
        return earliest_open_event(day, config)

    def missing(code: str, fix: str, rank: int, key: str) -> Callable[[Participation], Task]:
        return _missing_task(code, fix, rank, key, as_of)

    return [
        _Stream(
            "frist", "avslutning", "frist", frist_soon(kommune_id, as_of), lambda d: d, _frist_task
        ),
        _Stream(
            "reason",
            "avslutning",
            "end_date",
            reason_window_open(kommune_id, as_of),
            by_window,
            _reason_task,
        ),
        _Stream(
            "sluttmaal",
            "sluttmaal",
            "start_date",
            lacking_registration(kommune_id, "sluttmaal"),
            by_window,
            missing("sluttmaal", "sluttmaal", 2, "start_date"),
        ),
        _Stream(
            "decision",
            "vedtak",
            "start_date",
            lacking_registration(kommune_id, "decision"),
            by_window,
            missing("decision", "vedtak", 3, "start_date"),
        ),
        _Stream(
            "measures",
            "tiltak",
            "frist",
            lacking_registration(kommune_id, "measures"),
            lambda d: None,
            missing("measures", "tiltak", 4, "frist"),
        ),
        *_followup_streams(kommune_id, as_of, 5, grants),
    ]


# --- The follow-up streams: a start decision longer than the sluttmål gives, and reasons
# a late-registration grant admits. Each is due on its key (the frist; the grant's last day).


def _programme_time_task(rank: int) -> Callable[[Participation], Task]:
    def make(p: Participation) -> Task:
        text = programme_time_task_text(programme_time_mismatch(p))
        return Task("programme_time", p.frist, p, text, "utvidelse", rank, p.frist)

    return make


def _granted_reason_task(rank: int) -> Callable[[Participation], Task]:
    def make(p: Participation) -> Task:
        assert p.end_date is not None  # the stream holds ended participations only
        until: dt.date = getattr(p, GRANT_UNTIL)
        text = granted_reason_task_text(p.end_date, until)
        return Task("reason_granted", until, p, text, "avslutning", rank, until)

    return make


def _followup_streams(
    kommune_id: int | None,
    as_of: dt.date,
    first_rank: int,
    grants: list[LateRegistrationGrant] | None,
) -> list[_Stream]:
    return [
        _Stream(
            "programme_time",
            "utvidelse",
            "frist",
            programme_time_short(kommune_id),
            lambda d: d,
            _programme_time_task(first_rank),
        ),
        _Stream(
            "reason_granted",
            "avslutning",
            GRANT_UNTIL,
            reason_granted(kommune_id, as_of, grants),
            lambda d: d,
            _granted_reason_task(first_rank + 1),
        ),
    ]


# The streams whose due date is their key.
DUE_IS_KEY = ("frist", "programme_time", "reason_granted")


STREAM_KINDS = (
    "frist",
    "reason",
    "sluttmaal",
    "decision",
    "measures",
    "programme_time",
    "reason_granted",
)
# What a task row shows and its rule reads: fewer columns than a whole participation (whose
# frist derivation alone is a JSON document) for the rows a page looks at.
ROW_FIELDS = (
    "id",
    "kommune__number",
    "kommune__display_name",
    "person__given_name",
    "person__family_name",
    "person__has_upper_secondary",
    "regime",
    "start_date",
    "frist",
    "end_date",
    "termination_source",
)
# The flag (with_registration_flags) for each registration whose absence is a task.
FLAGS = {"sluttmaal": "has_sluttmaal", "decision": "has_decision", "measures": "has_measures"}


@dataclass(frozen=True, slots=True)
class _Cursor:
    """Where the page before ended: a task's place in (due, rank, key, id)."""

    due: dt.date
    rank: int
    key: dt.date
    pk: int


def _parse_cursor(value: str | None, streams: list[_Stream]) -> _Cursor | None:
    """``rank-yyyymmdd-id`` of the last task shown; anything else starts from the top. The
    task need not exist any more (resolved meanwhile): its place is enough."""
    try:
        rank_text, day, pk = (value or "").split("-")
        rank = int(rank_text)
        key = dt.datetime.strptime(day, "%Y%m%d").date()  # noqa: DTZ007 - a date, no zone
        stream = streams[rank]
    except (ValueError, IndexError):
        return None
    return _Cursor(_due_of(stream, key), rank, key, int(pk))


def _due_of(stream: _Stream, key: dt.date) -> dt.date:
    """A task's due date from its stream's key, as its task will say (NO_DUE for none)."""
    if stream.kind in DUE_IS_KEY:
        return key
    if stream.kind == "measures":
        return NO_DUE
    # The reason's window from the end; the sluttmål's and decision's from the start.
    return window_closes(key, rule_config())


def _after(stream: _Stream, rank: int, cursor: _Cursor) -> QuerySet[Participation]:
    """The stream's rows that sort after the cursor in (due, rank, key, id)."""
    rows = stream.rows
    if rank == cursor.rank:
        # Within a stream that order is (key, id), as the due date never falls as key grows.
        return rows.filter(
            Q(**{f"{stream.key}__gt": cursor.key}) | Q(**{stream.key: cursor.key}, pk__gt=cursor.pk)
        )
    # A stream ranked before the cursor's continues after its due day; one ranked after it
    # continues from that day.
    due = cursor.due
    if rank < cursor.rank:
        if due == NO_DUE:
            return rows.none()
        due += dt.timedelta(days=1)
    # (A cursor among the undated tasks, which come last, is never followed by a dated one.)
    lowest = stream.lowest_key(due)
    return rows if lowest is None else rows.filter(**{f"{stream.key}__gte": lowest})


def _page_of(stream: _Stream, rank: int, cursor: _Cursor | None) -> QuerySet[Participation]:
    """The stream's rows a page reads: the next PAGE_SIZE + 1 after the cursor, in order."""
    rows = _after(stream, rank, cursor) if cursor else stream.rows
    return rows.only(*ROW_FIELDS).order_by(stream.key, "pk")[: PAGE_SIZE + 1]


def page_queries(
    kommune_id: int | None, as_of: dt.date, after: str | None = None
) -> dict[str, QuerySet[Participation]]:
    """Each stream's query for the page after the cursor, as ``worklist_page`` runs it (for
    the query-plan tests, which explain these)."""
    streams = _streams(kommune_id, as_of)
    cursor = _parse_cursor(after, streams)
    return {stream.kind: _page_of(stream, rank, cursor) for rank, stream in enumerate(streams)}


def worklist_page(
    kommune_id: int | None,
    as_of: dt.date,
    after: str | None = None,
    page_number: int = 1,
    changed: str | None = None,
) -> Worklist:
    """One page of tasks, soonest first, after the cursor (the last task of the page before),
    cached until the municipality's participations change (``nir.web.counts``; ``changed``:
    their ``last_change``, where the caller has read it): its ``cache_key`` also keys the
    page's rendered table."""
    # The valid grants, read once for the granted reasons' stream and the cache keys.
    grants = list(triage.valid_grants(kommune_id, as_of))
    signature = triage.grants_signature(kommune_id, as_of, grants)
    # The tasks' texts are worded in the reader's language.
    extra = f"{PAGE_SIZE}:{after}:{page_number}:{signature}:{translation.get_language()}"
    changed = last_change(kommune_id) if changed is None else changed
    key = cache_key("worklist_page", kommune_id, as_of, extra, changed)
    worklist = cached(
        key, lambda: _worklist_page(kommune_id, as_of, after, page_number, grants, changed)
    )
    worklist.cache_key = key
    return worklist


def _worklist_page(
    kommune_id: int | None,
    as_of: dt.date,
    after: str | None,
    page_number: int,
    grants: list[LateRegistrationGrant],
    changed: str,
) -> Worklist:
    streams = _streams(kommune_id, as_of, grants)
    cursor = _parse_cursor(after, streams)
    # Sort the candidates by their place alone; build the tasks (the rule's messages) only
    # for the rows the page shows.
    candidates: list[tuple[tuple[dt.date, int, dt.date, int], _Stream, Participation]] = []
    counts = worklist_counts(kommune_id, as_of, grants, changed)
    for rank, stream in enumerate(streams):
        if not counts[stream.kind]:
            # Nothing lacking a decision, say: skip the query, which would have to look at
            # every open participation to find that out.
            continue
        for p in _page_of(stream, rank, cursor):
            key = getattr(p, stream.key)
            candidates.append(((_due_of(stream, key), rank, key, p.pk), stream, p))
    candidates.sort(key=lambda c: c[0])
    worklist = Worklist(page_number=max(1, page_number) if cursor else 1)
    worklist.tasks = [stream.task(p) for _, stream, p in candidates[:PAGE_SIZE]]
    if len(candidates) > PAGE_SIZE:
        worklist.next_cursor = worklist.tasks[-1].cursor
    worklist.counts = counts
    if kommune_id is not None:
        worklist.grants = list(expiring_grants(kommune_id, as_of))
    return worklist


def worklist_counts(
    kommune_id: int | None,
    as_of: dt.date,
    grants: list[LateRegistrationGrant] | None = None,
    changed: str | None = None,
) -> dict[str, int]:
    """The counts on top: one count per stream, cached until the municipality changes
    (``changed``: its ``last_change``, where the caller has read it)."""

    def compute() -> dict[str, int]:
        counts = {
            "frist": frist_soon(kommune_id, as_of).count(),
            "reason": reason_window_open(kommune_id, as_of).count(),
        }
        # Start decisions granting more months than the sluttmål gives, no extension yet.
        counts["programme_time"] = programme_time_exceeded(
            visible_participations(kommune_id)
        ).count()
        # Every participation the register ended, by whether its reason can still be
        # registered: the same rule and counts as the report of ended participants.
        ended = visible_participations(kommune_id).filter(triage.ENDED_BY_REGISTER)
        counts.update(
            {
                f"reason_{status}": n
                for status, n in triage.status_counts(ended, kommune_id, as_of).items()
            }
        )
        # One aggregate for the three counts; the flags are annotations, hence the Q objects.
        counts.update(
            missing_registrations(kommune_id).aggregate(
                missing=Count("pk"),
                sluttmaal=Count("pk", filter=Q(has_sluttmaal=False) & sluttmaal_applies()),
                decision=Count("pk", filter=Q(has_decision=False)),
                measures=Count("pk", filter=Q(has_measures=False)),
            )
        )
        return counts

    extra = triage.grants_signature(kommune_id, as_of, grants)
    return dict(cached_counts("worklist", kommune_id, as_of, compute, extra, changed))
