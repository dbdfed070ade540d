"""Reads for IMDi's pages and the support pages, with the municipality scope applied once.

``scope`` is ``nir.web.access.scope_of(user)``: a municipality's id, or None for IMDi.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from nir.audit.models import UnusualAccess
from nir.jobs.models import JobRun
from nir.register.figures_models import PublishedReport
from nir.register.models import Kommune, LateRegistrationGrant
from nir.support.models import SupportMessage, SupportRequest

UKRAINA_MONTHLY = "ukraina_monthly"


@dataclass(frozen=True, slots=True)
class RequestFilter:
    status: str | None = None
    kind: str | None = None
    kommune_id: int | None = None


def support_requests(scope: int | None, filters: RequestFilter) -> QuerySet[SupportRequest]:
    queryset = SupportRequest.objects.select_related("kommune").annotate(
        message_count=Count("messages")
    )
    if scope is not None:
        queryset = queryset.filter(kommune_id=scope)
    elif filters.kommune_id is not None:
        queryset = queryset.filter(kommune_id=filters.kommune_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return queryset.order_by("-updated_at", "-pk")


def support_request(scope: int | None, request_id: int) -> SupportRequest | None:
    """The request, or None when it does not exist or belongs to another municipality: the
    two answer alike (404), so a municipality learns nothing of another's requests."""
    queryset = SupportRequest.objects.select_related("kommune", "grant")
    if scope is not None:
        queryset = queryset.filter(kommune_id=scope)
    return queryset.filter(pk=request_id).first()


def thread(request: SupportRequest) -> QuerySet[SupportMessage]:
    return SupportMessage.objects.filter(request=request).order_by("created_at", "pk")


def referenced_participations(request: SupportRequest) -> list[int]:
    # References only: the thread never shows who the participants are.
    return sorted(request.participations.values_list("pk", flat=True))


GRANT_STATUSES = ("aktiv", "utlopt", "trukket")


def grant_status(grant: LateRegistrationGrant, as_of: dt.date) -> str:
    if grant.revoked_on is not None:
        return "trukket"
    return "utlopt" if grant.expires_on < as_of else "aktiv"


def grant_status_rank(as_of: dt.date) -> Case:
    """``grant_status`` as a number in SQL (active, expired, revoked), to order a list by."""
    return Case(
        When(revoked_on__isnull=False, then=Value(GRANT_STATUSES.index("trukket"))),
        When(expires_on__lt=as_of, then=Value(GRANT_STATUSES.index("utlopt"))),
        default=Value(GRANT_STATUSES.index("aktiv")),
        output_field=IntegerField(),
    )


def grants(
    scope: int | None, as_of: dt.date, *, status: str | None = None, kommune_id: int | None = None
) -> QuerySet[LateRegistrationGrant]:
    queryset = LateRegistrationGrant.objects.select_related("kommune")
    if scope is not None:
        queryset = queryset.filter(kommune_id=scope)
    elif kommune_id is not None:
        queryset = queryset.filter(kommune_id=kommune_id)
    if status == "trukket":
        queryset = queryset.filter(revoked_on__isnull=False)
    elif status == "utlopt":
        queryset = queryset.filter(revoked_on__isnull=True, expires_on__lt=as_of)
    elif status == "aktiv":
        queryset = queryset.filter(revoked_on__isnull=True, expires_on__gte=as_of)
    return queryset.order_by("-granted_on", "-pk")


def grant_counts(scope: int | None, as_of: dt.date) -> dict[str, int]:
    queryset = LateRegistrationGrant.objects.all()
    if scope is not None:
        queryset = queryset.filter(kommune_id=scope)
    return queryset.aggregate(
        aktiv=Count("pk", filter=Q(revoked_on__isnull=True, expires_on__gte=as_of)),
        utlopt=Count("pk", filter=Q(revoked_on__isnull=True, expires_on__lt=as_of)),
        trukket=Count("pk", filter=Q(revoked_on__isnull=False)),
    )


def ukraina_reports() -> QuerySet[PublishedReport]:
    # The workbook bytes stay in the database until someone downloads one.
    return PublishedReport.objects.filter(kind=UKRAINA_MONTHLY).defer("xlsx").order_by("-period")


def ukraina_report(month: str) -> PublishedReport | None:
    return PublishedReport.objects.filter(kind=UKRAINA_MONTHLY, period=month).first()


def job_runs() -> QuerySet[JobRun]:
    return JobRun.objects.order_by("-started_at", "-pk")


def unusual_access() -> QuerySet[UnusualAccess]:
    return UnusualAccess.objects.order_by("-day", "actor", "kind")


def kommune(kommune_id: int) -> Kommune | None:
    return Kommune.objects.filter(pk=kommune_id).first()
