"""The person page explains the programme time in a sentence and shows each legal basis
with its kind and public page; a history entry written with an old citation is shown as the
rule now reads."""

import pytest

from nir.register.models import HistoryEvent

pytestmark = pytest.mark.django_db


def test_the_person_page_says_why_the_programme_time_is_what_it_is(register, client_a):
    p = register.overdue_a
    body = client_a.get(f"/person/{p.person_id}/").content.decode()
    assert "Programtid 6 måneder fordi deltakeren har utdanning på videregående nivå" in body
    assert '<a href="https://lovdata.no/lov/2020-11-06-127/§13" rel="external">' in body
    assert "(lov)" in body
    assert "rules.md" not in body


def test_an_old_history_entry_citing_our_docs_is_shown_as_the_rule_now_reads(register, client_a):
    p = register.overdue_a
    event = HistoryEvent.objects.filter(participation=p).first()
    event.legal_basis = [
        {
            "rule_id": "termination.automatic_lifted",
            "reference": "rules.md §4: ny frist opphever den automatiske avslutningen",
            "kind": "beslutning",
        }
    ]
    event.save()
    body = client_a.get(f"/person/{p.person_id}/").content.decode()
    assert "rules.md" not in body
    assert "Registerets regel: en ny frist som ikke er passert" in body
    assert "(registerets regel)" in body


def test_in_english_the_sentence_and_the_kinds_are_translated(register, client_a):
    p = register.overdue_a
    client_a.cookies["django_language"] = "en"
    body = client_a.get(f"/person/{p.person_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "because the participant already has education at upper secondary level" in body
    assert "(act)" in body
    # The basis says in English what the rule is; the law's name and section stay.
    assert "integreringsloven § 13 (end goal and duration by education and age)" in body
    assert "sluttmål og varighet" not in body


def test_every_basis_a_page_can_show_reads_in_english():
    from django.utils import translation

    from nir.register.basis_messages import BASIS_REFERENCES, reference_in_language
    from nir.register.legal_bases import every_legal_basis
    from tests.web.test_user_facing_strings import _untranslated

    references = {b.reference for b in every_legal_basis()}
    # Each basis is marked for the catalogue, and no mark is left of a basis reworded.
    assert references == set(BASIS_REFERENCES) - {"Registerets regel"}
    with translation.override("en"):
        english = {r: reference_in_language(r) for r in BASIS_REFERENCES}
    assert {r: e for r, e in english.items() if _untranslated(e)} == {}
    assert english["integreringsloven § 13"] == "integreringsloven § 13"
    with translation.override("nb"):
        assert all(reference_in_language(r) == r for r in references)
