"""List pages run a bounded number of queries, however many rows they list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nir.audit.models import UnusualAccess
from nir.jobs.models import JobRun
from nir.register.figures_models import PublishedReport
from nir.register.services.grants import NewGrant, grant_late_registration
from nir.support.services import NewSupportRequest, add_message, file_request
from tests.imdi.builders import IMDI

pytestmark = pytest.mark.django_db

MANY = 40


@pytest.fixture
def many_rows(kommune_a, kommune_b, caseworker_a, caseworker_b):
    today = timezone.localdate()
    now = timezone.now()
    for n in range(MANY):
        actor = caseworker_a if n % 2 else caseworker_b
        request = file_request(
            actor=actor,
            request=NewSupportRequest(kind="question", subject=f"Sak {n}", body="Hjelp"),
        )
        add_message(actor=IMDI, request_id=request.pk, body="Svar")
        grant_late_registration(
            actor=IMDI,
            grant=NewGrant(
                kommune_id=actor.kommune_id,
                covers_from=today - dt.timedelta(days=60),
                covers_to=today - dt.timedelta(days=30),
                expires_on=today + dt.timedelta(days=n),
                reason=f"Grunn {n}",
            ),
        )
        JobRun.objects.create(
            job="sweep",
            period=f"p{n}",
            status="succeeded",
            worker="w",
            started_at=now,
            lease_until=now,
            finished_at=now,
            counts={"ended": n},
        )
        UnusualAccess.objects.create(
            day=today, actor=f"bruker{n}", organisation="0301", kind="many", persons=n, detail="x"
        )
        PublishedReport.objects.create(
            kind="ukraina_monthly",
            period=f"{2000 + n}-01",
            cutoff=now,
            summary={"totals": {"I program ved utgangen av måneden": n}},
            xlsx=b"x" * 1000,
        )


# Session, user, the page's rows and their count, the filter form's municipalities.
BOUND = 8


@pytest.mark.parametrize(
    "persona, url",
    [
        ("imdi", "/henvendelser/?status="),
        ("oslo", "/henvendelser/"),
        ("imdi", "/imdi/etterregistrering/"),
        ("oslo", "/henvendelser/etterregistrering/"),
        ("imdi", "/imdi/jobber/"),
        ("imdi", "/imdi/innsyn/"),
        ("stat", "/imdi/ukraina/"),
    ],
)
def test_list_pages_run_a_bounded_number_of_queries(
    many_rows, clients, persona, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(BOUND):
        response = clients[persona].get(url)
    assert response.status_code == 200
