"""Every page and download that shows persons' records is logged (rules.md §9)."""

from __future__ import annotations

import pytest

from nir.audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _last() -> AccessLogEntry:
    return AccessLogEntry.objects.order_by("-id").first()


def _persons(entry: AccessLogEntry) -> set[int]:
    return set(entry.persons.values_list("person_id", flat=True))


def test_the_participant_page_is_logged_with_who_and_whom(register, client_a):
    p = register.overdue_a
    client_a.get(f"/person/{p.person_id}/")
    entry = _last()
    assert (entry.actor, entry.organisation, entry.channel) == ("oslo", "0301", "web")
    assert entry.action == "web_view_person"
    assert _persons(entry) == {p.person_id}


def test_lists_and_downloads_log_every_person_they_show(register, client_a):
    client_a.get("/")
    assert _persons(_last()) == {register.overdue_a.person_id, register.soon_a.person_id}
    b"".join(client_a.get("/rapporter/avsluttede.csv").streaming_content)
    entry = _last()
    assert entry.action == "web_export_terminated"
    assert _persons(entry) == {register.overdue_a.person_id}


def test_a_refused_read_logs_nothing(register, client_a):
    before = AccessLogEntry.objects.count()
    client_a.get(f"/person/{register.person_b.pk}/")
    assert AccessLogEntry.objects.count() == before


def test_imdi_reads_are_logged_as_imdi(register, client_imdi):
    client_imdi.get(f"/person/{register.person_b.pk}/")
    assert _last().organisation == "IMDi"
