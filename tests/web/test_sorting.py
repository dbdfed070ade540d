"""Every paged list sorts on the server by any column: the order holds across a page
boundary, the pages and the filters keep it, the CSV/XLSX export follows it, ties keep one
stable order, and a sort key the list does not know gives the default order, never an error.
Run on SQLite and PostgreSQL alike (``DATABASE_URL``)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.utils import timezone

from nir.imdi.views import grants as grant_views
from nir.imdi.views import support as support_views
from nir.register.services.context import Actor, Channel
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.register.services.sweep import run_sweep
from nir.rules.dates import add_months
from nir.support.services import NewSupportRequest, file_request
from nir.web import search_results
from nir.web.views import reports as report_views
from tests.web.builders import add_participation

pytestmark = pytest.mark.django_db

IMDI = Actor("ingrid@imdi", Channel.WEB, None)
# Family names out of alphabetical order of creation, two alike: the tie is broken the
# same way on every page.
FAMILIES = ["Nilsen", "Berg", "Aas", "Olsen", "Dahl", "Berg", "Moe"]
ROW = re.compile(r'<a href="/deltakelse/(\d+)/">([^<]+)</a>')


@pytest.fixture
def oslo(kommune_a):
    return Actor("kari@oslo", Channel.WEB, kommune_a.pk)


def _links(body: str) -> list[tuple[int, str]]:
    table = body.rsplit("<tbody>", 1)[1].split("</tbody>", 1)[0]  # the list, last on the page
    return [(int(pk), html.unescape(name)) for pk, name in ROW.findall(table)]


def _walk(client, url: str) -> list[tuple[int, str]]:
    """Every row of every page, following the page's own «Neste side» link."""
    rows: list[tuple[int, str]] = []
    while True:
        body = client.get(url).content.decode()
        rows += _links(body)
        following = re.search(r'<a href="([^"]+)" rel="next">', body)
        if following is None:
            return rows
        url = url.split("?", 1)[0] + html.unescape(following.group(1))


@pytest.fixture
def searchable(oslo, kommune_a, monkeypatch):
    today = timezone.localdate()
    for n, family in enumerate(FAMILIES):
        add_participation(
            oslo,
            kommune_a,
            f"Person{n}",
            family,
            start=today - dt.timedelta(days=30 + (n * 3) % 7),
            birth=dt.date(1980 + (n * 5) % 7, 1 + n, 1),
        )
    monkeypatch.setattr(search_results, "PAGE_SIZE", 3)


def test_the_search_sorts_by_name_across_pages_both_ways(searchable, client_a):
    ascending = _walk(client_a, "/deltakere/?status=aktiv&sortering=navn")
    names = [name for _, name in ascending]
    assert len(names) == len(FAMILIES)
    assert [n.split(",")[0] for n in names] == sorted(FAMILIES)
    # The tie (two Berg) is broken by the default order, then the id: stable, each once.
    assert len({pk for pk, _ in ascending}) == len(FAMILIES)
    descending = _walk(client_a, "/deltakere/?status=aktiv&sortering=-navn")
    assert [name.split(",")[0] for _, name in descending] == sorted(FAMILIES, reverse=True)


def test_the_search_sorts_by_birth_date_and_marks_the_sorted_column(searchable, client_a):
    from nir.register.models import Participation

    rows = _walk(client_a, "/deltakere/?status=aktiv&sortering=fodselsdato")
    births = {
        p.pk: p.person.birth_date for p in Participation.objects.select_related("person").all()
    }
    shown = [births[pk] for pk, _ in rows]
    assert shown == sorted(shown) and len(shown) == len(FAMILIES)
    body = client_a.get("/deltakere/?status=aktiv&sortering=fodselsdato").content.decode()
    # The sorted column says so to a screen reader; its link turns the direction; the
    # other columns' links sort ascending and keep the filter.
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a class="sort-link" '
        r'href="\?status=aktiv&amp;sortering=-fodselsdato">Fødselsdato',
        body,
    )
    assert 'href="?status=aktiv&amp;sortering=frist">Frist' in body
    assert body.count("aria-sort=") == 1
    # The pages keep the sort, and the filter form carries it.
    assert "sortering=fodselsdato&amp;side=2" in body
    assert '<input type="hidden" name="sortering" value="fodselsdato">' in body


@pytest.mark.parametrize("key", ["", "ukjent", "-", "--navn", "navn;drop", "<script>", "pk"])
def test_an_unknown_sort_key_gives_the_default_order(searchable, client_a, key):
    default = _walk(client_a, "/deltakere/?status=aktiv")
    response = client_a.get("/deltakere/", {"status": "aktiv", "sortering": key})
    assert response.status_code == 200
    assert _walk(client_a, f"/deltakere/?status=aktiv&sortering={key}") == default
    assert 'aria-sort="ascending"><a class="sort-link" href="?status=aktiv' in (
        response.content.decode()
    )


@pytest.fixture
def ended(oslo, kommune_a, monkeypatch):
    """Seven participations the register ended, on different days."""
    today = timezone.localdate()
    for n, family in enumerate(FAMILIES):
        end = today - dt.timedelta(days=5 + (n * 11) % 40)
        add_participation(oslo, kommune_a, f"Person{n}", family, start=add_months(end, -6))
    run_sweep(as_of=today)
    monkeypatch.setattr(report_views, "PAGE_SIZE", 3)


def _csv_names(client, url: str) -> list[str]:
    response = client.get(url)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    return [f"{row[2]}, {row[3]}" for row in table[1:]]


@pytest.mark.parametrize("sort", ["navn", "-navn", "sluttdato", "registrering"])
def test_the_report_of_ended_participants_and_its_export_keep_the_sort(ended, client_a, sort):
    rows = _walk(client_a, f"/rapporter/avsluttede/?aarsak=ikke_registrert&sortering={sort}")
    assert len(rows) == len(FAMILIES)
    assert _csv_names(
        client_a, f"/rapporter/avsluttede.csv?aarsak=ikke_registrert&sortering={sort}"
    ) == [name for _, name in rows]
    if sort.endswith("navn"):
        families = [name.split(",")[0] for _, name in rows]
        assert families == sorted(FAMILIES, reverse=sort.startswith("-"))
    if sort == "sluttdato":
        from nir.register.models import Participation

        ends = dict(Participation.objects.values_list("pk", "end_date"))
        shown = [ends[pk] for pk, _ in rows]
        assert shown == sorted(shown)


def test_the_national_report_sorts_by_municipality(ended, kommune_b, client_imdi):
    bergen = Actor("ola@bergen", Channel.WEB, kommune_b.pk)
    today = timezone.localdate()
    add_participation(
        bergen, kommune_b, "Bjarne", "Bergensen", start=add_months(today - dt.timedelta(days=9), -6)
    )
    run_sweep(as_of=today)
    rows = _walk(client_imdi, "/rapporter/avsluttede/?sortering=-kommune")
    # Oslo before Bergen, descending by name: the Bergen participant last.
    assert rows[-1][1] == "Bergensen, Bjarne" and len(rows) == len(FAMILIES) + 1
    rows = _walk(client_imdi, "/rapporter/avsluttede/?sortering=kommune")
    assert rows[0][1] == "Bergensen, Bjarne"


def _grant_rows(body: str) -> list[str]:
    table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td class="nowrap">(\d\d\.\d\d\.\d{4})</td>', table)


def test_imdis_grants_sort_by_expiry_across_pages(kommune_a, kommune_b, client_imdi, monkeypatch):
    today = timezone.localdate()
    expiries = [40, 10, 70, 25, 55]
    for n, days in enumerate(expiries):
        grant_late_registration(
            actor=IMDI,
            grant=NewGrant(
                kommune_id=(kommune_a if n % 2 else kommune_b).pk,
                covers_from=today - dt.timedelta(days=200 + n),
                covers_to=today - dt.timedelta(days=190 + n),
                expires_on=today + dt.timedelta(days=days),
                reason=f"Grunn {n}",
            ),
        )
    monkeypatch.setattr(grant_views, "PAGE_SIZE", 2)
    shown: list[str] = []
    for side in (1, 2, 3):
        body = client_imdi.get(f"/imdi/etterregistrering/?sortering=utloper&side={side}")
        shown += _grant_rows(body.content.decode())
    expected = [f"{today + dt.timedelta(days=d):%d.%m.%Y}" for d in sorted(expiries)]
    assert shown == expected
    body = client_imdi.get("/imdi/etterregistrering/?sortering=-utloper").content.decode()
    assert _grant_rows(body) == list(reversed(expected))[:2]
    # Filtering keeps the sort.
    filtered = client_imdi.get(
        f"/imdi/etterregistrering/?sortering=utloper&kommune={kommune_a.pk}"
    ).content.decode()
    assert _grant_rows(filtered) == [
        f"{today + dt.timedelta(days=d):%d.%m.%Y}" for d in sorted([10, 25])
    ]


def test_the_support_requests_sort_by_subject_across_pages(kommune_a, client_imdi, monkeypatch):
    oslo = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    subjects = ["Permisjon", "Avslutning", "Tiltak", "Frist", "Bosetting"]
    for subject in subjects:
        file_request(
            actor=oslo, request=NewSupportRequest(kind="question", subject=subject, body="Hjelp")
        )
    monkeypatch.setattr(support_views, "PAGE_SIZE", 2)
    shown: list[str] = []
    for side in (1, 2, 3):
        body = client_imdi.get(f"/henvendelser/?sortering=emne&side={side}").content.decode()
        table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        shown += re.findall(r'<a href="/henvendelser/\d+/">([^<]+)</a>', table)
    assert shown == sorted(subjects)


def test_the_sort_links_read_in_english(searchable, client_a):
    client_a.cookies["django_language"] = "en"
    body = client_a.get("/deltakere/?status=aktiv&sortering=navn").content.decode()
    assert "(sort descending)" in body and "(sort ascending)" in body
    assert "sorter stigende" not in body


def test_the_person_list_and_its_export_sort_by_frist(searchable, client_a, monkeypatch):
    from nir.register.models import Participation

    monkeypatch.setattr(report_views, "PAGE_SIZE", 3)
    rows = _walk(client_a, "/rapporter/personliste/?sortering=-frist")
    frists = dict(Participation.objects.values_list("pk", "frist"))
    shown = [frists[pk] for pk, _ in rows]
    assert len(shown) == len(FAMILIES) and shown == sorted(shown, reverse=True)
    export = client_a.get("/rapporter/personliste.csv?sortering=-frist")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [f"{row[2]}, {row[3]}" for row in table[1:]] == [name for _, name in rows]


def test_the_scheduler_runs_sort_by_attempts_across_pages(client_imdi, monkeypatch):
    from nir.imdi.views import reports as imdi_reports
    from nir.jobs.models import JobRun

    now = timezone.now()
    attempts = [3, 1, 4, 1, 5]
    for n, tries in enumerate(attempts):
        JobRun.objects.create(
            job="sweep",
            period=f"2026-01-0{n + 1}",
            status="succeeded",
            attempts=tries,
            worker="w",
            started_at=now - dt.timedelta(hours=n),
            lease_until=now,
            finished_at=now,
        )
    monkeypatch.setattr(imdi_reports, "PAGE_SIZE", 2)
    shown: list[int] = []
    for side in (1, 2, 3):
        body = client_imdi.get(f"/imdi/jobber/?sortering=forsok&side={side}").content.decode()
        table = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        shown += [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', table)]
    assert shown == sorted(attempts)


def test_the_requests_and_the_scheduler_runs_read_in_english(kommune_a, client_imdi):
    from nir.jobs.models import JobRun

    oslo = Actor("kari@oslo", Channel.WEB, kommune_a.pk)
    file_request(
        actor=oslo, request=NewSupportRequest(kind="question", subject="Permisjon", body="Hjelp")
    )
    now = timezone.now()
    JobRun.objects.create(
        job="sweep",
        period="2026-01-01",
        status="failed",
        worker="w",
        started_at=now,
        lease_until=now,
    )
    client_imdi.cookies["django_language"] = "en"
    requests = client_imdi.get("/henvendelser/?sortering=type").content.decode()
    assert ">Question<" in requests and ">Open<" in requests
    assert "Spørsmål" not in requests and ">Åpen<" not in requests
    runs = client_imdi.get("/imdi/jobber/?sortering=status").content.decode()
    assert ">Failed<" in runs and "Feilet" not in runs
