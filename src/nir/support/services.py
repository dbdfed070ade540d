"""Support requests: a municipality asks, IMDi answers, grants or refuses, and either closes.

A request points to participants by the register's internal reference; its text may not
carry identity numbers, so personal data is not copied into a free-text thread.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from nir.register.models import Participation
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, OutOfScope, resolve_time
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.validation import invalid, parse_enum
from nir.rules.dates import DateInterval
from nir.rules.identity import parse_identity_number
from nir.rules.registration_window import check_late_registration_request
from nir.support.models import RequestKind, RequestStatus, SupportMessage, SupportRequest

ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6}\s?\d{5})(?!\d)")


def _refuse_identity_numbers(field: str, text: str) -> None:
    for match in ELEVEN_DIGITS.finditer(text):
        try:
            parse_identity_number(match.group(1).replace(" ", ""), allow_synthetic=True)
        except ValueError:
            continue
        raise invalid(
            field,
            "support.personal_data",
            "Teksten ser ut til å inneholde et fødselsnummer eller D-nummer. Pek på deltakeren "
            "med registerets referanse (deltakelsesnummeret) i stedet.",
        )


def _check_text(field: str, text: str) -> str:
    if not text.strip():
        raise invalid(field, f"{field}.required", "Feltet må fylles ut.")
    _refuse_identity_numbers(field, text)
    return text.strip()


def _locked(actor: Actor, request_id: int) -> SupportRequest:
    request = SupportRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None or not actor.may_act_for(request.kommune_id):
        raise OutOfScope(entity="support_request")
    return request


@dataclass(frozen=True, slots=True)
class NewSupportRequest:
    """What a municipality asks: its kind, subject and first message, the participations it
    is about, and for late registration the period the events belong to."""

    kind: str
    subject: str
    body: str
    participation_ids: Sequence[int] = ()
    period_from: dt.date | None = None
    period_to: dt.date | None = None


def file_request(
    *, actor: Actor, request: NewSupportRequest, at: dt.datetime | None = None
) -> SupportRequest:
    if actor.kommune_id is None:
        raise invalid("kommune", "support.kommune_required", "Henvendelser sendes fra en kommune.")
    at, as_of = resolve_time(at)
    request_kind = parse_enum(RequestKind, request.kind, "kind")
    subject = _check_text("subject", request.subject)
    body = _check_text("body", request.body)
    period_from, period_to = request.period_from, request.period_to
    participation_ids = request.participation_ids
    if request_kind is RequestKind.LATE_REGISTRATION and (period_from is None or period_to is None):
        raise invalid(
            "period_from",
            "support.period_required",
            "Oppgi perioden hendelsene som skal etterregistreres gjelder.",
        )
    if period_from and period_to and period_to < period_from:
        raise invalid(
            "period_to", "period.end_before_start", "Perioden kan ikke slutte før den begynner."
        )
    if request_kind is RequestKind.LATE_REGISTRATION and period_from and period_to:
        check_late_registration_request(
            period=DateInterval(period_from, period_to), as_of=as_of, config=rule_config()
        )
    own = set(
        Participation.objects.filter(
            pk__in=participation_ids, kommune_id=actor.kommune_id
        ).values_list("pk", flat=True)
    )
    if own != set(participation_ids):
        raise invalid(
            "participations",
            "support.unknown_participation",
            "En eller flere deltakelser finnes ikke i kommunen.",
        )
    with transaction.atomic():
        filed = SupportRequest.objects.create(
            kommune_id=actor.kommune_id,
            kind=request_kind.value,
            subject=subject,
            status=RequestStatus.OPEN,
            period_from=period_from,
            period_to=period_to,
            created_by=actor.name,
            created_at=at,
            updated_at=at,
        )
        filed.participations.set(own)
        SupportMessage.objects.create(
            request=filed, author=actor.name, from_imdi=False, body=body, created_at=at
        )
    return filed


def add_message(
    *, actor: Actor, request_id: int, body: str, at: dt.datetime | None = None
) -> SupportRequest:
    """A message in the thread; IMDi's reply marks the request answered."""
    at, _ = resolve_time(at)
    body = _check_text("body", body)
    with transaction.atomic():
        request = _locked(actor, request_id)
        if request.status == RequestStatus.CLOSED:
            raise invalid("body", "support.closed", "Henvendelsen er lukket.")
        from_imdi = actor.kommune_id is None
        SupportMessage.objects.create(
            request=request, author=actor.name, from_imdi=from_imdi, body=body, created_at=at
        )
        if from_imdi and request.status == RequestStatus.OPEN:
            request.status = RequestStatus.ANSWERED
        elif not from_imdi and request.status == RequestStatus.ANSWERED:
            request.status = RequestStatus.OPEN
        request.updated_at = at
        request.save(update_fields=["status", "updated_at"])
    return request


def _check_decidable(request: SupportRequest) -> tuple[dt.date, dt.date]:
    """A request IMDi may still decide: one for late registration, open or answered; the
    period it asks for."""
    if (
        request.kind != RequestKind.LATE_REGISTRATION
        or request.period_from is None
        or request.period_to is None
    ):
        raise invalid(
            "kind",
            "support.not_late_registration",
            "Henvendelsen gjelder ikke etterregistrering.",
        )
    if request.status not in (RequestStatus.OPEN, RequestStatus.ANSWERED):
        raise invalid(
            "grant",
            "support.already_decided",
            "Henvendelsen er allerede avgjort eller lukket.",
        )
    return request.period_from, request.period_to


def _check_within_request(asked: tuple[dt.date, dt.date], start: dt.date, end: dt.date) -> None:
    """A grant covers the period the municipality asked for, or a part of it."""
    asked_from, asked_to = asked
    if start < asked_from or end > asked_to:
        raise invalid(
            "covers_from" if start < asked_from else "covers_to",
            "grant.outside_request",
            f"Tilgangen kan bare gjelde perioden kommunen ba om, "
            f"{asked_from:%d.%m.%Y}–{asked_to:%d.%m.%Y}, eller en del av den.",
        )


@dataclass(frozen=True, slots=True)
class LateRegistrationDecision:
    """IMDi's answer to a request for late registration: ``grant`` or refuse, why, and for a
    grant when it expires and the part of the asked period it covers (all of it when None)."""

    grant: bool
    reason: str
    expires_on: dt.date | None = None
    covers_from: dt.date | None = None
    covers_to: dt.date | None = None


def decide_late_registration(
    *,
    actor: Actor,
    request_id: int,
    decision: LateRegistrationDecision,
    at: dt.datetime | None = None,
) -> SupportRequest:
    """IMDi grants (creating a time-limited grant for the period asked, or the part of it
    given by ``covers_from``/``covers_to``) or refuses."""
    if actor.kommune_id is not None:
        raise OutOfScope(entity="support_request")
    at, _ = resolve_time(at)
    reason = _check_text("reason", decision.reason)
    with transaction.atomic():
        request = _locked(actor, request_id)
        asked = _check_decidable(request)
        if decision.grant:
            if decision.expires_on is None:
                raise invalid("expires_on", "expires_on.required", "Oppgi når tilgangen utløper.")
            granted_from = decision.covers_from or asked[0]
            granted_to = decision.covers_to or asked[1]
            _check_within_request(asked, granted_from, granted_to)
            request.grant = grant_late_registration(
                actor=actor,
                grant=NewGrant(
                    request.kommune_id, granted_from, granted_to, decision.expires_on, reason
                ),
                at=at,
            )
            request.status = RequestStatus.GRANTED
        else:
            request.status = RequestStatus.REFUSED
        SupportMessage.objects.create(
            request=request, author=actor.name, from_imdi=True, body=reason, created_at=at
        )
        request.updated_at = at
        request.save(update_fields=["grant", "status", "updated_at"])
    return request


def close_request(*, actor: Actor, request_id: int, at: dt.datetime | None = None) -> None:
    at, _ = resolve_time(at)
    with transaction.atomic():
        request = _locked(actor, request_id)
        request.status = RequestStatus.CLOSED
        request.updated_at = at
        request.save(update_fields=["status", "updated_at"])
