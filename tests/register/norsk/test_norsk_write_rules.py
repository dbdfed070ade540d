"""The Norwegian-training services' shared write rules: scope, the scheme's role, the
optimistic version, the two-month window, the end and the system's ends (N3-d, N6)."""

from __future__ import annotations

import datetime as dt

import pytest

from nir.register.models import HistoryEvent, Participation
from nir.register.norsk_models import NorskParticipation
from nir.register.selectors import norsk_frist_passed
from nir.register.services.context import (
    Actor,
    Channel,
    OutOfScope,
    OversightOnly,
    SchemeNotHeld,
    StaleVersion,
)
from nir.register.services.items import (
    FinalTestResultItem,
    FritakItem,
    LeaveItem,
    NorskEndItem,
    NorskmaalItem,
)
from nir.register.services.norsk import (
    NewNorskParticipation,
    end_norsk_by_system,
    end_norsk_participation,
    start_norsk_participation,
)
from nir.register.services.norsk_registrations import register_norsk_item
from nir.rules.errors import RuleViolation
from nir.rules.norsk.final_tests import FinalTestKind, FinalTestResult, ResultSource
from nir.rules.norsk.fritak import Fritak, FritakGround, FritakKind
from nir.rules.norsk.norskmaal import CefrLevel, Skill
from nir.rules.norsk.rights import PermitList
from nir.rules.schemes import Scheme
from tests.conftest import at
from tests.norsk_fixtures import START, switch_on_auto_end

D = dt.date


def _leave(actor, ordning, day=D(2022, 8, 1), **kwargs):
    return register_norsk_item(
        actor=actor,
        norsk_participation_id=ordning.pk,
        item=LeaveItem("foreldrepermisjon", day, day + dt.timedelta(days=60), day),
        **{"at": at(day), **kwargs},
    )


@pytest.mark.django_db
def test_the_ordning_starts_beside_the_programme_and_stays_out_of_its_rows(ordning):
    assert (ordning.frist, ordning.category, ordning.version) == (
        D(2023, 9, 10),
        "rett_og_plikt",
        1,
    )
    assert ordning.frist_derivation["basis"] and ordning.frist_derivation["explanation"]
    assert not Participation.objects.filter(person_id=ordning.person_id).exists()
    event = HistoryEvent.objects.get(norsk_participation=ordning)
    assert (event.action, event.kommune_id, event.person_id, event.participation_id) == (
        "norsk_participation_started",
        ordning.kommune_id,
        ordning.person_id,
        None,
    )


@pytest.mark.django_db
def test_another_municipality_and_the_programme_role_and_imdi_cannot_write(
    ordning, kommune_b, caseworker_b, caseworker_a, imdi_adviser
):
    bergen_norsk = Actor("nils@bergen", Channel.WEB, kommune_b.pk, frozenset({Scheme.NORSK}))
    for actor, refusal in (
        (bergen_norsk, OutOfScope),
        (caseworker_b, OutOfScope),
        (caseworker_a, SchemeNotHeld),  # Oslo's programme role only
        (imdi_adviser, OversightOnly),
    ):
        with pytest.raises(refusal):
            _leave(actor, ordning)
    refused = pytest.raises(SchemeNotHeld)
    with refused:
        start_norsk_participation(
            actor=caseworker_a,
            person_id=ordning.person_id,
            kommune_id=ordning.kommune_id,
            new=NewNorskParticipation(start_date=START, permit_list=PermitList.RETT_OG_PLIKT),
            at=at(START),
        )
    assert refused.excinfo.value.code == "access.scheme_role"
    assert "kommunenorskbruker" in refused.excinfo.value.message
    assert NorskParticipation.objects.get(pk=ordning.pk).version == 1


@pytest.mark.django_db
def test_a_user_with_both_roles_writes_both_schemes(ordning, kommune_a):
    both = Actor("berit@oslo", Channel.WEB, kommune_a.pk, frozenset(Scheme))
    assert _leave(both, ordning).frist == D(2023, 11, 10)  # N-1 with its 61 days of leave


@pytest.mark.django_db
def test_a_write_on_a_stale_version_is_refused(ordning, norsk_a):
    _leave(norsk_a, ordning, expected_version=1)
    with pytest.raises(StaleVersion):
        _leave(norsk_a, ordning, day=D(2022, 10, 3), expected_version=1)
    assert NorskParticipation.objects.get(pk=ordning.pk).version == 2


@pytest.mark.django_db
def test_the_two_month_window_holds_for_norwegian_training(ordning, norsk_a):
    with pytest.raises(RuleViolation) as refused:
        _leave(norsk_a, ordning, at=at(D(2022, 10, 3)))  # decided 2022-08-01
    assert refused.value.code == "registration_window.closed"
    _leave(norsk_a, ordning, at=at(D(2022, 10, 1)))


@pytest.mark.django_db
def test_the_end_takes_a_municipal_reason_and_refuses_the_systems(ordning, norsk_a):
    day = D(2023, 1, 5)
    with pytest.raises(RuleViolation) as refused:
        end_norsk_participation(
            actor=norsk_a,
            norsk_participation_id=ordning.pk,
            end=NorskEndItem(day, "fylt_67"),
            at=at(day),
        )
    assert refused.value.code == "norsk.end.reason_not_allowed"
    ended = end_norsk_participation(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        end=NorskEndItem(day, "avbrutt"),
        expected_version=1,
        at=at(day),
    )
    assert (ended.end_date, ended.end_reason, ended.end_set_by) == (day, "avbrutt", "municipality")
    with pytest.raises(RuleViolation) as again:
        _leave(norsk_a, ordning, day=day, at=at(day))
    assert again.value.code == "norsk.participation.ended"


@pytest.mark.django_db
def test_the_frist_passed_is_flagged_and_ends_the_ordning_only_behind_the_switch(
    ordning, monkeypatch
):
    """N3-d: from the day after the frist the ordning is on the work list; the system ends
    it with frist_utlopt only when auto_end_norsk_at_frist is on."""
    assert norsk_frist_passed(ordning.kommune_id, D(2023, 9, 10)) == []
    assert norsk_frist_passed(ordning.kommune_id, D(2023, 9, 11)) == [ordning]
    assert norsk_frist_passed(ordning.kommune_id + 1, D(2023, 9, 11)) == []
    assert end_norsk_by_system(D(2023, 9, 11), at(D(2023, 9, 11))) == 0
    switch_on_auto_end(monkeypatch)
    assert end_norsk_by_system(D(2023, 9, 11), at(D(2023, 9, 11))) == 1
    ended = NorskParticipation.objects.get(pk=ordning.pk)
    assert (ended.end_date, ended.end_reason, ended.end_set_by) == (
        D(2023, 9, 10),
        "frist_utlopt",
        "system",
    )
    assert norsk_frist_passed(None, D(2023, 9, 11)) == []
    assert end_norsk_by_system(D(2023, 9, 12), at(D(2023, 9, 12))) == 0  # idempotent


@pytest.mark.django_db
def test_the_system_ends_the_ordning_at_the_67th_birthday(norsk_a, kommune_a, make_person):
    person = make_person(birth_date=D(1956, 4, 2), permit_date=START)
    row = start_norsk_participation(
        actor=norsk_a,
        person_id=person.pk,
        kommune_id=kommune_a.pk,
        new=NewNorskParticipation(start_date=START, permit_list=PermitList.RETT_OG_PLIKT),
        at=at(START),
    )
    assert end_norsk_by_system(D(2023, 4, 1), at(D(2023, 4, 1))) == 0
    assert end_norsk_by_system(D(2023, 4, 3), at(D(2023, 4, 3))) == 1
    ended = NorskParticipation.objects.get(pk=row.pk)
    assert (ended.end_date, ended.end_reason) == (D(2023, 4, 2), "fylt_67")


B1 = {skill: CefrLevel.B1 for skill in Skill}


@pytest.mark.django_db
def test_the_norskmaal_reached_in_the_results_ends_the_ordning_by_the_system(ordning, norsk_a):
    """N2-b through the services: a versioned norskmaal, a manual result without its
    document refused, then results whose best per skill reach it; the system's end takes
    the day of the result that reached it."""
    register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=NorskmaalItem(START, tuple(B1.items())),
        at=at(START),
    )
    with pytest.raises(RuleViolation) as refused:
        register_norsk_item(
            actor=norsk_a,
            norsk_participation_id=ordning.pk,
            item=NorskmaalItem(START, tuple(B1.items())),
            at=at(START),
        )
    assert refused.value.code == "norsk.norskmaal.valid_from_not_after_previous"
    first, second = D(2022, 11, 1), D(2022, 12, 1)
    partly = {**B1, Skill.ORAL: CefrLevel.A2}
    with pytest.raises(RuleViolation):
        register_norsk_item(
            actor=norsk_a,
            norsk_participation_id=ordning.pk,
            item=FinalTestResultItem(
                FinalTestResult("r", FinalTestKind.NORSKPROVE, first, ResultSource.MANUAL, partly)
            ),
            at=at(first),
        )
    for day, levels in ((first, partly), (second, {Skill.ORAL: CefrLevel.B1})):
        register_norsk_item(
            actor=norsk_a,
            norsk_participation_id=ordning.pk,
            item=FinalTestResultItem(
                FinalTestResult(
                    "r",
                    FinalTestKind.NORSKPROVE,
                    day,
                    ResultSource.MANUAL,
                    levels,
                    document_ref="Vitnemål 42",
                )
            ),
            at=at(day),
        )
        if day == first:
            assert NorskParticipation.objects.get(pk=ordning.pk).end_date is None
            assert end_norsk_by_system(D(2022, 11, 15), at(D(2022, 11, 15))) == 0
    # The result that reaches the norskmaal ends the ordning in the same write, as the
    # system's end; the daily job then has nothing left to end.
    assert end_norsk_by_system(D(2022, 12, 2), at(D(2022, 12, 2))) == 0
    ended = NorskParticipation.objects.get(pk=ordning.pk)
    assert (ended.end_date, ended.end_reason, ended.end_set_by) == (
        second,
        "norskmal_nadd",
        "system",
    )


@pytest.mark.django_db
def test_a_training_exemption_that_ends_the_right_ends_the_ordning(ordning, norsk_a):
    day = D(2022, 6, 1)
    with pytest.raises(RuleViolation) as refused:  # a test exemption needs a medical statement
        register_norsk_item(
            actor=norsk_a,
            norsk_participation_id=ordning.pk,
            item=FritakItem(
                Fritak("f", FritakKind.PROVE_NORSK, FritakGround.HELSE_ELLER_TUNGTVEIENDE, day)
            ),
            at=at(day),
        )
    assert refused.value.code.startswith("norsk.fritak.")
    register_norsk_item(
        actor=norsk_a,
        norsk_participation_id=ordning.pk,
        item=FritakItem(
            Fritak(
                "f",
                FritakKind.OPPLAERING_NORSK,
                FritakGround.DOKUMENTERT_NORSK,
                day,
                ends_right=True,
            )
        ),
        at=at(day),
    )
    assert HistoryEvent.objects.filter(
        norsk_participation=ordning, action="norsk_exemption_registered"
    ).exists()
    # The exemption ends the ordning in the same write; the daily job finds nothing more.
    assert end_norsk_by_system(day, at(day)) == 0
    ended = NorskParticipation.objects.get(pk=ordning.pk)
    assert (ended.end_date, ended.end_reason) == (day, "fritak")
