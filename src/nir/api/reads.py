"""The API's reads: the caller, one participant, and the lists a case system pages through.

Every read is within the caller's municipality (nir.api.selectors) and every read that
shows persons' records is logged, as in the web UI. The operations are declared, with the
replies they give, in nir.api.v1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from ninja import Query, Schema
from pydantic import Field

from nir.api import mapping, norsk_mapping
from nir.api import selectors as api_selectors
from nir.api.auth import Principal, principal, scheme_principal
from nir.api.http_headers import etag
from nir.api.problems import NotFound, ValidationFailed, schema_error
from nir.api.schemas.norsk import NorskParticipantOut, NorskParticipantPage
from nir.api.schemas.replies import (
    ChangePage,
    Cursor,
    DeadlinesOut,
    GrantsOut,
    MeOut,
    ParticipantOut,
    ParticipantPage,
    ReconciliationItem,
    ReconciliationPage,
)
from nir.api.schemas.value_sets import AuthMethod
from nir.audit.access_log import Reader, described, log_access
from nir.register.services.upsert.norsk_canonical import norsk_content_hash
from nir.rules.schemes import Scheme


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
        schemes=sorted(caller.schemes),
    )


# How long a participant's reply is kept: its key holds every version it reads, so the
# limit bounds only the memory of participants nobody reads again.
PARTICIPANT_SECONDS = 300


def get_participation(request: HttpRequest, case_id: str, response: HttpResponse) -> ParticipantOut:
    """One participant: frist and its derivation, status, what is missing, the stored record.

    The ETag is the participation's version; send it as If-Match when you change it.
    """
    caller = scheme_principal(request, Scheme.INTRODUKSJONSPROGRAM)
    found = api_selectors.participation_by_case_id(caller.kommune_id, case_id, with_record=False)
    if found is None:
        raise NotFound("No participant with this case id in your municipality.")
    _log_read(request, caller, "api_view_participant", [found.person_id])
    response["ETag"] = etag(found.version)
    today = timezone.localdate()
    # The reply, cached on what changes it: every write to the participation or its
    # registrations (a person's facts included, which recompute its frist) gives it a new
    # version, and the person's own (anonymisation) a new person version; its messages are
    # in the caller's language (Accept-Language).
    key = (
        f"nir:api:participant:{found.pk}:{found.version}:{found.person.version}:"
        f"{today:%Y%m%d}:{caller.kommune_number}:{translation.get_language()}"
    )
    reply: ParticipantOut | None = cache.get(key)
    if reply is None:
        record = api_selectors.with_stored_record(found)
        reply = mapping.participant_out(record, caller.kommune_number, today)
        cache.set(key, reply, PARTICIPANT_SECONDS)
    return reply


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


def _id_page(
    request: HttpRequest,
    caller: Principal,
    page: PageQuery,
    rows_of: Callable[[int, int], list[Any]],
    action: str,
) -> tuple[list[Any], str, bool]:
    """One page of a list in id order (either scheme's): its rows, the next cursor and
    whether more follow; the read logged."""
    after = _id_cursor(page.after)
    rows, has_more = _page(rows_of(after, page.limit + 1), page.limit)
    _log_read(request, caller, action, [p.person_id for p in rows])
    return rows, str(rows[-1].pk if rows else after), has_more


def list_participations(
    request: HttpRequest, page: Query[PageQuery], active: bool = False
) -> ParticipantPage:
    """The municipality's participants, in id order, a page at a time."""
    caller = scheme_principal(request, Scheme.INTRODUKSJONSPROGRAM)
    rows, cursor, more = _id_page(
        request,
        caller,
        page,
        lambda after, limit: api_selectors.participation_page(
            caller.kommune_id, after=after, limit=limit, active_only=active
        ),
        "api_list_participants",
    )
    return ParticipantPage(
        items=[mapping.participant_summary_out(p) for p in rows],
        next_cursor=cursor,
        has_more=more,
    )


def _reconciliation(
    request: HttpRequest,
    caller: Principal,
    page: PageQuery,
    rows_of: Callable[..., list[Any]],
    item_of: Callable[[Any], ReconciliationItem],
) -> ReconciliationPage:
    """Either scheme's reconciliation list: each row's case id, version and content hash."""
    rows, cursor, more = _id_page(
        request,
        caller,
        page,
        lambda after, limit: rows_of(caller.kommune_id, after=after, limit=limit),
        "api_reconciliation",
    )
    return ReconciliationPage(items=[item_of(p) for p in rows], next_cursor=cursor, has_more=more)


def list_reconciliation(request: HttpRequest, page: Query[PageQuery]) -> ReconciliationPage:
    """Every participant's case id, version and content hash, a page at a time.

    Compare with the hashes you were given when you wrote: an unequal hash is a participant
    that changed in the register (a caseworker's correction, the sweep) since then.
    """
    return _reconciliation(
        request,
        scheme_principal(request, Scheme.INTRODUKSJONSPROGRAM),
        page,
        api_selectors.reconciliation_page,
        mapping.reconciliation_out,
    )


def list_changes(request: HttpRequest, page: Query[ChangesQuery]) -> ChangePage:
    """Everything that happened to the municipality's participants after the cursor, in
    the schemes the client writes (the Norwegian-training ordninger' events too, with
    scheme norsk)."""
    caller = principal(request)
    after = _id_cursor(page.after)
    events, has_more = _page(
        api_selectors.changes(
            caller.kommune_id, after=after, limit=page.limit + 1, schemes=caller.schemes
        ),
        page.limit,
    )
    _log_read(request, caller, "api_changes", [e.person_id for e in events if e.person_id])
    return ChangePage.model_construct(  # its items built as mapping.change_out says
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


def _deadlines(
    request: HttpRequest,
    caller: Principal,
    query: DeadlineQuery,
    rows_of: Callable[[int, api_selectors.DeadlineWindow], list[api_selectors.Deadline]],
) -> DeadlinesOut:
    """Either scheme's coming frister, soonest first, a page at a time."""
    as_of = timezone.localdate()
    window = api_selectors.DeadlineWindow(
        as_of, query.within_days, _parse_deadline_cursor(query.after), query.limit + 1
    )
    rows, has_more = _page(rows_of(caller.kommune_id, window), query.limit)
    _log_read(request, caller, "api_deadlines", [p.person_id for p in rows])
    cursor = _deadline_cursor(rows[-1].frist, rows[-1].id) if rows else query.after
    return mapping.deadlines_out(rows, as_of, query.within_days, cursor, has_more)


def list_deadlines(request: HttpRequest, query: Query[DeadlineQuery]) -> DeadlinesOut:
    """Open participations whose frist falls within the coming days, soonest first, a page at
    a time: register an end, leave or extension before the register ends them as «ikke
    registrert»."""
    return _deadlines(
        request,
        scheme_principal(request, Scheme.INTRODUKSJONSPROGRAM),
        query,
        api_selectors.upcoming_deadlines,
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


# --- Training in Norwegian and social studies ------------------------------------------------


def get_norsk_participation(
    request: HttpRequest, case_id: str, response: HttpResponse
) -> NorskParticipantOut:
    """One Norwegian-training ordning: the frist and its derivation (or why it cannot be
    computed yet), the status, what is missing, the stored record.

    The ETag is the ordning's version; send it as If-Match when you change it.
    """
    caller = scheme_principal(request, Scheme.NORSK)
    found = api_selectors.norsk_by_case_id(caller.kommune_id, case_id)
    if found is None:
        raise NotFound("No Norwegian-training ordning with this case id in your municipality.")
    _log_read(request, caller, "api_view_norsk_participation", [found.person_id])
    response["ETag"] = etag(found.version)
    return norsk_mapping.norsk_participant_out(found, caller.kommune_number, timezone.localdate())


def list_norsk_participations(
    request: HttpRequest, page: Query[PageQuery], active: bool = False
) -> NorskParticipantPage:
    """The municipality's Norwegian-training ordninger, in id order, a page at a time."""
    caller = scheme_principal(request, Scheme.NORSK)
    as_of = timezone.localdate()
    rows, cursor, more = _id_page(
        request,
        caller,
        page,
        lambda after, limit: api_selectors.norsk_page(
            caller.kommune_id, after=after, limit=limit, active_only=active
        ),
        "api_list_norsk_participations",
    )
    return NorskParticipantPage(
        items=[norsk_mapping.norsk_summary_out(p, as_of) for p in rows],
        next_cursor=cursor,
        has_more=more,
    )


def list_norsk_reconciliation(request: HttpRequest, page: Query[PageQuery]) -> ReconciliationPage:
    """Every ordning's case id, version and content hash, a page at a time: compare with the
    hashes your writes returned."""
    return _reconciliation(
        request,
        scheme_principal(request, Scheme.NORSK),
        page,
        api_selectors.norsk_reconciliation_page,
        lambda row: mapping.reconciliation_out(row, norsk_content_hash),
    )


def list_norsk_deadlines(request: HttpRequest, query: Query[DeadlineQuery]) -> DeadlinesOut:
    """Open ordninger whose frist falls within the coming days, soonest first, a page at a
    time. The register does not end an ordning at its frist (it is flagged «frist utløpt»
    the day after): register an end, leave or § 43 g decision before then."""
    return _deadlines(
        request,
        scheme_principal(request, Scheme.NORSK),
        query,
        api_selectors.norsk_upcoming_deadlines,
    )
