"""The daily digest: at most one e-mail a day per user, with links straight to each case.

Each digest is written in its reader's language (bokmål or English, chosen on the
notification page). The e-mail carries no names and no identity numbers: only the register's
participation number, the municipality's case id, the dates and a link. The recipient sees
the rest in the register after signing in.

Delivery goes through django.tasks with the database backend: the digest row and the task
that sends it are written in one transaction, and sending claims the row first, so a retry
never sends the same digest twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import ngettext, override
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from nir.jobs.models import (
    Digest,
    DigestStatus,
    EmailLanguage,
    Notice,
    NoticeKind,
    Reminder,
    ReminderKind,
    ReminderPreference,
)
from nir.jobs.selectors import (
    grant_expiry_text,
    norsk_reminders_of_day,
    reminder_text,
    termination_notice_text,
)
from nir.register.selectors import visible_participations
from nir.rules.schemes import Scheme


def participation_link(pk: int) -> str:
    try:
        path = reverse("web:participation", kwargs={"participation_id": pk})
    except NoReverseMatch:
        path = f"/admin/register/participation/{pk}/change/"
    return f"{settings.NIR_BASE_URL.rstrip('/')}{path}"


def preferences_link() -> str:
    """The page where the reader chooses what the digest holds and its language."""
    try:
        path = reverse("web:notifications")
    except NoReverseMatch:
        path = "/"
    return f"{settings.NIR_BASE_URL.rstrip('/')}{path}"


@dataclass(frozen=True)
class DigestItem:
    participation_id: int | None
    case_id: str
    text: str
    link: str
    group: str  # "frist", "window", "notice", "norsk_frist"


def _items_for_kommune(kommune_id: int, as_of: dt.date) -> list[DigestItem]:
    reminders = list(
        Reminder.objects.filter(
            kommune_id=kommune_id, created_on=as_of, participation__isnull=False
        ).order_by("due_date", "participation_id")
    )
    notices = list(
        Notice.objects.filter(kommune_id=kommune_id, created_on=as_of)
        .select_related("grant")
        .order_by("due_date", "id")
    )
    case_ids = dict(
        visible_participations(kommune_id)
        .filter(
            pk__in={r.participation_id for r in reminders if r.participation_id}
            | {n.participation_id for n in notices if n.participation_id}
        )
        .values_list("pk", "case_id")
    )
    return (
        _reminder_items(reminders, case_ids, as_of)
        + _notice_items(notices, case_ids)
        + _norsk_reminder_items(kommune_id, as_of)
    )


def _norsk_reminder_items(kommune_id: int, as_of: dt.date) -> list[DigestItem]:
    """A Norwegian-training ordning's frist reminders, linked to it on the participant page."""
    base = settings.NIR_BASE_URL.rstrip("/")
    return [
        DigestItem(
            None,
            "",
            reminder_text(r.kind, r.due_date, as_of),
            f"{base}{reverse('web:person', args=[person_id])}#norsk-{r.norsk_participation_id}",
            NORSK_GROUP,
        )
        for r, person_id in norsk_reminders_of_day(kommune_id, as_of)
    ]


def _item(participation_id: int, case_ids: dict[int, str], text: str, group: str) -> DigestItem:
    link = participation_link(participation_id)
    return DigestItem(participation_id, case_ids.get(participation_id, ""), text, link, group)


def _reminder_items(
    reminders: list[Reminder], case_ids: dict[int, str], as_of: dt.date
) -> list[DigestItem]:
    # A participation reminded at 30 and 7 days on the same day appears once, at 7.
    shortest: dict[tuple[int, str], Reminder] = {}
    for reminder in reminders:
        assert reminder.participation_id is not None  # the programme's (filtered above)
        key = (reminder.participation_id, reminder.kind)
        if key not in shortest or reminder.horizon_days < shortest[key].horizon_days:
            shortest[key] = reminder
    return [
        _item(
            key[0],
            case_ids,
            reminder_text(r.kind, r.due_date, as_of),
            "frist" if r.kind == ReminderKind.FRIST else "window",
        )
        for key, r in shortest.items()
    ]


def _notice_items(notices: list[Notice], case_ids: dict[int, str]) -> list[DigestItem]:
    items = []
    for notice in notices:
        if notice.kind == NoticeKind.AUTOMATIC_TERMINATION and notice.participation_id:
            assert notice.due_date is not None  # the day the termination's window closes
            text = termination_notice_text(notice.due_date)
            items.append(_item(notice.participation_id, case_ids, text, "notice"))
        elif notice.kind == NoticeKind.GRANT_EXPIRING and notice.grant is not None:
            text = grant_expiry_text(notice.grant)
            items.append(DigestItem(None, "", text, settings.NIR_BASE_URL, "notice"))
    return items


# The group of a Norwegian-training ordning's frist reminders: the kommunenorskbruker's.
NORSK_GROUP = "norsk_frist"


def _scheme_of(item: DigestItem) -> Scheme:
    """The scheme an item is about, whose role hears of it (the notices are the programme's)."""
    return Scheme.NORSK if item.group == NORSK_GROUP else Scheme.INTRODUKSJONSPROGRAM


def _wanted(item: DigestItem, preference: ReminderPreference | None) -> bool:
    if preference is None:
        return True
    return {
        "frist": preference.frist_reminders,
        NORSK_GROUP: preference.frist_reminders,
        "window": preference.window_reminders,
        "notice": preference.notices,
    }[item.group]


def build_digests(as_of: dt.date) -> dict[str, int]:
    """One digest per municipal user with something to hear today, and its delivery task,
    each written in its reader's language (``ReminderPreference.email_language``, bokmål
    unless they chose English): the subject, both parts and every text they carry (the
    texts are ``nir.jobs.selectors'``, worded under the reader's language)."""
    User = get_user_model()
    kommuner = set(Reminder.objects.filter(created_on=as_of).values_list("kommune_id", flat=True))
    kommuner |= set(Notice.objects.filter(created_on=as_of).values_list("kommune_id", flat=True))
    users = (
        User.objects.filter(is_active=True, kommune_id__in=kommuner)
        .exclude(email="")
        .select_related("reminder_preference")
        .order_by("pk")
    )
    # The day's items of a municipality, worded once per language its readers chose.
    items_by_kommune: dict[tuple[int, str], list[DigestItem]] = {}
    created = 0
    for user in users:
        schemes = user.schemes
        if not schemes:
            continue  # the reminders are about the schemes the municipality's roles register
        kommune_id = user.kommune_id
        assert kommune_id is not None  # a municipality's role needs one (User.save)
        preference = getattr(user, "reminder_preference", None)
        language = EmailLanguage.BOKMAAL if preference is None else preference.email_language
        with override(language):
            if (kommune_id, language) not in items_by_kommune:
                items_by_kommune[kommune_id, language] = _items_for_kommune(kommune_id, as_of)
            items = [
                i
                for i in items_by_kommune[kommune_id, language]
                if _wanted(i, preference) and _scheme_of(i) in schemes
            ]
            if not items:
                continue
            written = _written(user, as_of, items)
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    user=user, day=as_of, status=DigestStatus.PENDING, items=len(items), **written
                )
                send_digest.enqueue(digest.pk)
        except IntegrityError:
            continue  # this user has the day's digest already
        created += 1
    return {"digests": created}


def _written(user: Any, as_of: dt.date, items: list[DigestItem]) -> dict[str, str]:
    """The digest's subject, text and HTML, in the active language."""
    context = {
        "user": user,
        "today": as_of,
        "items": items,
        "settings_link": preferences_link(),
    }
    subject = ngettext(
        "NIR: %(n)s sak å følge opp %(day)s", "NIR: %(n)s saker å følge opp %(day)s", len(items)
    ) % {"n": len(items), "day": f"{as_of:%d.%m.%Y}"}
    return {
        "subject": subject,
        "body_text": render_to_string("jobs/digest.txt", context),
        "body_html": render_to_string("jobs/digest.html", context),
    }


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
