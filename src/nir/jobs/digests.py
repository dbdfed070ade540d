"""The daily digest: at most one e-mail a day per user, with links straight to each case.

The e-mail carries no names and no identity numbers: only the register's participation
number, the municipality's case id, the dates and a link. The recipient sees the rest in the
register after signing in.

Delivery goes through django.tasks with the database backend: the digest row and the task
that sends it are written in one transaction, and sending claims the row first, so a retry
never sends the same digest twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from nir.accounts.models import Role
from nir.jobs.models import (
    Digest,
    DigestStatus,
    Notice,
    NoticeKind,
    Reminder,
    ReminderKind,
    ReminderPreference,
)
from nir.register.models import Participation


def participation_link(pk: int) -> str:
    try:
        path = reverse("web:participation", kwargs={"participation_id": pk})
    except NoReverseMatch:
        path = f"/admin/register/participation/{pk}/change/"
    return f"{settings.NIR_BASE_URL.rstrip('/')}{path}"


@dataclass(frozen=True)
class DigestItem:
    participation_id: int | None
    case_id: str
    text: str
    link: str
    group: str  # "frist", "window", "notice"


def _items_for_kommune(kommune_id: int, today: dt.date) -> list[DigestItem]:
    reminders = list(
        Reminder.objects.filter(kommune_id=kommune_id, created_on=today).order_by(
            "due_date", "participation_id"
        )
    )
    notices = list(
        Notice.objects.filter(kommune_id=kommune_id, created_on=today)
        .select_related("grant")
        .order_by("due_date", "id")
    )
    case_ids = dict(
        Participation.objects.filter(
            pk__in={r.participation_id for r in reminders}
            | {n.participation_id for n in notices if n.participation_id}
        ).values_list("pk", "case_id")
    )
    # A participation reminded at 30 and 7 days on the same day appears once, at 7.
    shortest: dict[tuple[int, str], Reminder] = {}
    for reminder in reminders:
        key = (reminder.participation_id, reminder.kind)
        if key not in shortest or reminder.horizon_days < shortest[key].horizon_days:
            shortest[key] = reminder
    items = []
    for reminder in shortest.values():
        days = (reminder.due_date - today).days
        if reminder.kind == ReminderKind.FRIST:
            text = (
                f"Fristen for gjennomføring går ut {reminder.due_date:%d.%m.%Y} (om {days} "
                "dager). Registrer avslutning med årsak, permisjon eller utvidet programtid "
                "før fristen, ellers avslutter registeret deltakelsen uten årsak."
            )
            group = "frist"
        else:
            text = (
                f"Avsluttet av registeret uten årsak. Registrer avslutningsårsak innen "
                f"{reminder.due_date:%d.%m.%Y} (om {days} dager)."
            )
            group = "window"
        items.append(
            DigestItem(
                reminder.participation_id,
                case_ids.get(reminder.participation_id, ""),
                text,
                participation_link(reminder.participation_id),
                group,
            )
        )
    for notice in notices:
        if notice.kind == NoticeKind.AUTOMATIC_TERMINATION and notice.participation_id:
            text = (
                f"Deltakelsen er avsluttet av registeret fordi fristen gikk ut uten "
                f"registrert årsak. Vanlig frist for å registrere årsak: "
                f"{notice.due_date:%d.%m.%Y}."
            )
            items.append(
                DigestItem(
                    notice.participation_id,
                    case_ids.get(notice.participation_id, ""),
                    text,
                    participation_link(notice.participation_id),
                    "notice",
                )
            )
        elif notice.kind == NoticeKind.GRANT_EXPIRING and notice.grant is not None:
            grant = notice.grant
            text = (
                f"Tilgangen til etterregistrering for hendelser {grant.covers_from:%d.%m.%Y}"
                f"–{grant.covers_to:%d.%m.%Y} utløper {grant.expires_on:%d.%m.%Y}."
            )
            items.append(DigestItem(None, "", text, settings.NIR_BASE_URL, "notice"))
    return items


def _wanted(item: DigestItem, preference: ReminderPreference | None) -> bool:
    if preference is None:
        return True
    return {
        "frist": preference.frist_reminders,
        "window": preference.window_reminders,
        "notice": preference.notices,
    }[item.group]


def build_digests(today: dt.date) -> dict[str, int]:
    """One digest per municipal user with something to hear today, and its delivery task."""
    User = get_user_model()
    kommuner = set(Reminder.objects.filter(created_on=today).values_list("kommune_id", flat=True))
    kommuner |= set(Notice.objects.filter(created_on=today).values_list("kommune_id", flat=True))
    users = (
        User.objects.filter(is_active=True, role=Role.KOMMUNEINTROBRUKER, kommune_id__in=kommuner)
        .exclude(email="")
        .select_related("reminder_preference")
        .order_by("pk")
    )
    items_by_kommune: dict[int, list[DigestItem]] = defaultdict(list)
    created = 0
    for user in users:
        kommune_id = user.kommune_id
        assert kommune_id is not None  # municipal users always have one (a constraint)
        if kommune_id not in items_by_kommune:
            items_by_kommune[kommune_id] = _items_for_kommune(kommune_id, today)
        preference = getattr(user, "reminder_preference", None)
        items = [i for i in items_by_kommune[kommune_id] if _wanted(i, preference)]
        if not items:
            continue
        context = {
            "user": user,
            "today": today,
            "items": items,
            "settings_link": settings.NIR_BASE_URL,
        }
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    user=user,
                    day=today,
                    status=DigestStatus.PENDING,
                    subject=f"NIR: {len(items)} saker å følge opp {today:%d.%m.%Y}",
                    body_text=render_to_string("jobs/digest.txt", context),
                    body_html=render_to_string("jobs/digest.html", context),
                    items=len(items),
                )
                send_digest.enqueue(digest.pk)
        except IntegrityError:
            continue  # this user has today's digest already
        created += 1
    return {"digests": created}


@task()
def send_digest(digest_id: int) -> str:
    """Send one digest. Claiming it first means a second delivery of the task sends nothing."""
    claimed = Digest.objects.filter(pk=digest_id, status=DigestStatus.PENDING).update(
        status=DigestStatus.SENDING
    )
    if not claimed:
        return "already handled"
    digest = Digest.objects.select_related("user").get(pk=digest_id)
    message = EmailMultiAlternatives(
        subject=digest.subject, body=digest.body_text, to=[digest.user.email]
    )
    message.attach_alternative(digest.body_html, "text/html")
    try:
        message.send()
    except Exception as error:
        Digest.objects.filter(pk=digest_id).update(status=DigestStatus.FAILED, error=str(error))
        raise
    Digest.objects.filter(pk=digest_id).update(status=DigestStatus.SENT, sent_at=timezone.now())
    return "sent"


def drain_queue(worker_id: str | None = None) -> int:
    """Run every task waiting in the database queue, then return how many ran."""
    worker_id = worker_id or f"nir-{uuid.uuid4().hex[:8]}"
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with exclusive_transaction():
            task_result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if task_result is not None:
                task_result.claim(worker_id)
        if task_result is None:
            return ran
        worker.run_task(task_result)
        ran += 1
