"""The API's reads: the caller, one participant, and the lists a case system pages through.

Every read is within the caller's municipality (nir.api.selectors) and every read that
shows persons' records is logged, as in the web UI. The operations are declared, with the
replies they give, in nir.api.v1.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Schema
from pydantic import Field

from nir.api import mapping
from nir.api import selectors as api_selectors
from nir.api.auth import Principal, principal
from nir.api.http_headers import etag
from nir.api.problems import NotFound, ValidationFailed, schema_error
from nir.api.schemas.replies import (
    ChangePage,
    Cursor,
    DeadlinesOut,
    GrantsOut,
    MeOut,
    ParticipantOut,
    ParticipantPage,
    ReconciliationPage,
)
from nir.api.schemas.value_sets import AuthMethod
from nir.audit.access_log import Reader, described, log_access


def _log_read(request: HttpRequest, caller: Principal, action: str, person_ids: list[int]) -> None:
    """Every read that shows persons' records is logged (rules.md §9), as in the web UI."""
    if person_ids:
        log_access(
            reader=Reader(actor=caller.name, organisation=caller.kommune_number, channel="api"),
            action=action,
            what=described(request.path, request.GET),
            person_ids=person_ids,
        )


def get_me(request: HttpRequest) -> MeOut:
    """The caller as the register sees it: which municipality it acts for."""
    caller = principal(request)
    return MeOut(
        name=caller.name,
        method=AuthMethod(caller.method),
        kommune=caller.kommune_number,
        kommune_name=caller.kommune_name,
    )


def get_participation(request: HttpRequest, case_id: str, response: HttpResponse) -> ParticipantOut:
    """One participant: frist and its derivation, status, what is missing, the stored record.

    The ETag is the participation's version; send it as If-Match when you change it.
    """
    caller = principal(request)
    found = api_selectors.participation_by_case_id(caller.kommune_id, case_id)
    if found is None:
        raise NotFound("No participant with this case id in your municipality.")
    _log_read(request, caller, "api_view_participant", [found.person_id])
    response["ETag"] = etag(found.version)
    return mapping.participant_out(found, caller.kommune_number, timezone.localdate())


# --- pages ------------------------------------------------------------------------------------


class PageQuery(Schema):
    after: Cursor = Field("0", description="Cursor: next_cursor of your last call.")
    limit: int = Field(500, ge=1, le=1000)


class ChangesQuery(Schema):
    after: Cursor = Field("0", description="Cursor: next_cursor of your last call.")
    limit: int = Field(100, ge=1, le=1000)


class DeadlineQuery(Schema):
    within_days: int = Field(30, ge=0, le=366)
    after: Cursor = Field("0", description="Cursor: next_cursor of your last call.")
    limit: int = Field(500, ge=1, le=1000)


def _bad_cursor() -> ValidationFailed:
    return ValidationFailed(
        "The cursor is not one this list gave.",
        errors=[schema_error("after", "schema.cursor", "after: not a cursor from this list")],
    )


def _id_cursor(after: str) -> int:
    """The cursor of a list in id order: the last id seen, in decimal."""
    if not after.isdigit():
        raise _bad_cursor()
    return int(after)


def _page(rows: list[Any], limit: int) -> tuple[list[Any], bool]:
    """One page from ``limit + 1`` rows read: whether another follows is known exactly, so a
    full last page says has_more false and no empty page ever follows."""
    return rows[:limit], len(rows) > limit


def list_participations(
    request: HttpRequest, page: Query[PageQuery], active: bool = False
) -> ParticipantPage:
    """The municipality's participants, in id order, a page at a time."""
    caller = principal(request)
    after = _id_cursor(page.after)
    rows, has_more = _page(
        api_selectors.participation_page(
            caller.kommune_id, after=after, limit=page.limit + 1, active_only=active
        ),
        page.limit,
    )
    _log_read(request, caller, "api_list_participants", [p.person_id for p in rows])
    return ParticipantPage(
        items=[mapping.participant_summary_out(p) for p in rows],
        next_cursor=str(rows[-1].pk if rows else after),
        has_more=has_more,
    )


def list_reconciliation(request: HttpRequest, page: Query[PageQuery]) -> ReconciliationPage:
    """Every participant's case id, version and content hash, a page at a time.

    Compare with the hashes you were given when you wrote: an unequal hash is a participant
    that changed in the register (a caseworker's correction, the sweep) since then.
    """
    caller = principal(request)
    after = _id_cursor(page.after)
    rows, has_more = _page(
        api_selectors.reconciliation_page(caller.kommune_id, after=after, limit=page.limit + 1),
        page.limit,
    )
    _log_read(request, caller, "api_reconciliation", [p.person_id for p in rows])
    return ReconciliationPage(
        items=[mapping.reconciliation_out(p) for p in rows],
        next_cursor=str(rows[-1].pk if rows else after),
        has_more=has_more,
    )


def list_changes(request: HttpRequest, page: Query[ChangesQuery]) -> ChangePage:
    """Everything that happened to the municipality's participants after the cursor."""
    caller = principal(request)
    after = _id_cursor(page.after)
    events, has_more = _page(
        list(api_selectors.changes(caller.kommune_id, after=after, limit=page.limit + 1)),
        page.limit,
    )
    _log_read(request, caller, "api_changes", [e.person_id for e in events if e.person_id])
    return ChangePage(
        items=[mapping.change_out(e) for e in events],
        next_cursor=str(events[-1].pk if events else after),
        has_more=has_more,
    )


def _deadline_cursor(frist: dt.date, pk: int) -> str:
    """(frist, id) as one cursor of digits: the frist as its day number, then the id."""
    return f"{frist.toordinal()}-{pk}"


def _parse_deadline_cursor(after: str) -> tuple[dt.date, int] | None:
    if after == "0":
        return None  # the start of every list
    day, dash, pk = after.partition("-")
    if not dash:
        raise _bad_cursor()
    ordinal = int(day)
    if ordinal < 1:
        return None  # before every frist: the first page
    return dt.date.fromordinal(min(ordinal, dt.date.max.toordinal())), int(pk)


def list_deadlines(request: HttpRequest, query: Query[DeadlineQuery]) -> DeadlinesOut:
    """Open participations whose frist falls within the coming days, soonest first, a page at
    a time: register an end, leave or extension before the register ends them as «ikke
    registrert»."""
    caller = principal(request)
    as_of = timezone.localdate()
    after = _parse_deadline_cursor(query.after)
    rows, has_more = _page(
        api_selectors.upcoming_deadlines(
            caller.kommune_id,
            as_of=as_of,
            within_days=query.within_days,
            after=after,
            limit=query.limit + 1,
        ),
        query.limit,
    )
    _log_read(request, caller, "api_deadlines", [p.person_id for p in rows])
    return DeadlinesOut(
        as_of=as_of,
        within_days=query.within_days,
        items=[mapping.deadline_out(p, as_of) for p in rows],
        next_cursor=_deadline_cursor(rows[-1].frist, rows[-1].pk) if rows else query.after,
        has_more=has_more,
    )


def list_grants(request: HttpRequest, page: Query[PageQuery]) -> GrantsOut:
    """The municipality's late-registration grants from IMDi, in the order they were given,
    a page at a time: which event dates each covers and until when it can be used. A
    registration of an event whose two-month window has closed is accepted only while a
    grant covering its date is active (and the event is at most 12 months back)."""
    caller = principal(request)
    as_of = timezone.localdate()
    after = _id_cursor(page.after)
    rows, has_more = _page(
        api_selectors.kommune_grants(caller.kommune_id, after=after, limit=page.limit + 1),
        page.limit,
    )
    return GrantsOut(
        as_of=as_of,
        items=[mapping.grant_out(g, as_of) for g in rows],
        next_cursor=str(rows[-1].pk if rows else after),
        has_more=has_more,
    )
