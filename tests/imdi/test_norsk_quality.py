"""IMDi's data quality per municipality for Norwegian training: what the open ordninger of
the year lack, and whose frist has passed with no end."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.norsk_quality import norsk_quality_by_kommune
from nir.register.services.context import Actor, Channel
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.rules.norsk.norskmaal import EducationBackground
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def _start(make_person, kommune, education, n):
    teacher = Actor("nina@oslo", Channel.WEB, kommune.pk, frozenset({Scheme.NORSK}))
    person = make_person(
        registered_on=D(2023, 3, 1),
        birth_date=D(1985, 3, 3 + n),
        permit_type="kollektiv_beskyttelse",
        permit_date=D(2022, 12, 1),
        settlement_date=D(2023, 1, 15),
    )
    return start_norsk_participation(
        actor=teacher,
        person_id=person.pk,
        kommune_id=kommune.pk,
        new=NewNorskParticipation(
            D(2023, 3, 1), PermitList.KOLLEKTIV_BESKYTTELSE, education_background=education
        ),
        at=at(D(2023, 3, 1)),
    )


def test_the_open_ordninger_count_what_they_lack(make_person, kommune_a, client_imdi):
    with_education = _start(make_person, kommune_a, EducationBackground.VIDEREGAENDE, 0)
    _start(make_person, kommune_a, None, 1)
    [oslo] = norsk_quality_by_kommune(2023, D(2023, 6, 1))
    assert (oslo.kommune, oslo.ordninger) == ("0301 Oslo", 2)
    assert oslo.without_education == 1
    assert oslo.without_norskmaal == 2  # none registered yet
    assert oslo.frist_passed_open == 0
    # Kap. 6A: 12 months from the first decision's start, education or not; in June 2024
    # both frists have passed and neither ordning has ended.
    assert with_education.frist == D(2024, 3, 1)
    [later] = norsk_quality_by_kommune(2024, D(2024, 6, 1))
    assert (later.frist_not_computable, later.frist_passed_open) == (0, 2)
    body = client_imdi.get("/imdi/datakvalitet/?aar=2023").content.decode()
    assert "Opplæring i norsk og samfunnskunnskap per kommune" in body
