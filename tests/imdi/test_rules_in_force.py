"""«Regler i bruk»: IMDi sees every rule the register computes with, today or on any date,
with its citation and its kind; the JSON says the same."""

import datetime as dt

import pytest

from nir.register.services.cutoffs import set_cutoff_exception

pytestmark = pytest.mark.django_db

PAGE = "/imdi/regler-i-bruk/"
JSON = "/imdi/regler-i-bruk.json"


def _rules(client, day, **settings_changes):
    body = client.get(JSON, {"dato": day}).json()
    return {r["rule_id"]: r for r in body["rules"]}


def test_the_page_lists_each_rule_with_its_citation_and_kind(client_imdi):
    body = client_imdi.get(PAGE, {"dato": "2024-05-01"}).content.decode()
    assert "Regler i bruk" in body
    assert "integreringsloven § 13" in body
    assert 'href="https://lovdata.no/lov/2020-11-06-127/§13"' in body
    assert "registerets regel" in body and "IMDis praksis" in body
    assert "Uten videregående, under 25 år, mål fullført videregående" in body
    assert "rules.md" not in body


def test_the_rows_in_force_follow_the_chosen_date(client_stat):
    in_2024 = _rules(client_stat, "2024-05-01")
    assert "kap6a.p13.2022" in in_2024
    assert in_2024["integreringsloven.p13.2021"]["value"].startswith("6 måneder")
    before_kap6a = _rules(client_stat, "2022-01-01")
    assert "kap6a.p13.2022" not in before_kap6a
    assert "integreringsloven.p13.2021" in before_kap6a
    assert in_2024["category.target_group"]["value"] == "18–55 år"
    assert in_2024["config.prop81_in_force"]["value"] == "ikke satt"
    kinds = {r["basis"]["kind"] for r in in_2024.values()}
    assert kinds == {"lov", "forskrift", "praksis", "beslutning"}


def test_with_prop81_set_the_amended_rows_and_age_band_show_from_the_date(client_stat, settings):
    settings.NIR_RULES = {**settings.NIR_RULES, "prop81_in_force": dt.date(2026, 1, 1)}
    before = _rules(client_stat, "2025-12-31")
    after = _rules(client_stat, "2026-01-01")
    assert "integreringsloven.p14_under_25.2021" in before
    assert "integreringsloven.p14_under_25.prop81" not in before
    row = after["integreringsloven.p14_under_25.prop81"]
    assert row["value"].startswith("48 måneder")
    assert row["basis"]["reference"].startswith("integreringsloven § 14")
    assert after["category.target_group.prop81"]["value"] == "18–60 år"
    assert after["config.prop81_in_force"]["value"] == "01.01.2026"


def test_the_cutoffs_of_recent_years_show_imdis_exception(client_imdi, imdi_adviser):
    set_cutoff_exception(
        actor=imdi_adviser, year=2023, cutoff_date=dt.date(2024, 3, 20), reason="Feil i NIR"
    )
    rules = client_imdi.get(JSON, {"dato": "2024-06-01"}).json()["rules"]
    cutoffs = {r["name"]: r["value"] for r in rules if r["section"] == "statistikk"}
    assert cutoffs["Frist for tallene for 2023"] == "20.03.2024 (Feil i NIR)"
    assert cutoffs["Frist for tallene for 2018"] == "28.02.2019"


def test_a_bad_date_is_refused_naming_the_field(client_imdi):
    response = client_imdi.get(JSON, {"dato": "31.02.2025"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["label"]) == ("dato", "Dato")
    page = client_imdi.get(PAGE, {"dato": "31.02.2025"})
    assert page.status_code == 400
    assert 'href="#id_dato"' in page.content.decode() or "id_dato" in page.content.decode()


def test_the_page_names_groups_and_reasons_in_words_and_the_json_keeps_their_codes(client_imdi):
    body = client_imdi.get(PAGE, {"dato": "2024-05-01"}).content.decode()
    assert "regnes som gruppen der deltakeren har ikke videregående opplæring" in body
    assert "Død, Flyttet til en annen kommune, Utvandret" in body
    assert "p14_andre" not in body and "dod, flyttet" not in body
    rules = _rules(client_imdi, "2024-05-01")
    assert rules["config.group_without_sluttmaal"]["codes"] == {"group": "p14_andre"}
    assert rules["config.outcome_excluded_reasons"]["codes"] == {"reasons": "dod,flyttet,utvandret"}


@pytest.mark.parametrize("day", ["2019-06-01", "2024-05-01"])
def test_in_english_every_rule_reads_in_english(client_imdi, day):
    from tests.web.test_user_facing_strings import _untranslated, _visible

    client_imdi.cookies["django_language"] = "en"
    body = client_imdi.get(PAGE, {"dato": day}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    text = _visible(body)
    assert "Rules in use" in text
    assert _untranslated(text) == []
    if day == "2024-05-01":
        assert "6 months, extension of at most 6 months (12 in all)" in text
        assert "Right and duty: age when the permit was granted" in text
        assert "18–55 years" in text
        assert "Cut-off for the figures for 2023" in text
        assert "counted as the group where the participant has no upper secondary" in text
        assert "Deceased, Emigrated, Moved to another municipality" in text
    else:
        assert "15.01.2018 (IMDi asked the municipalities to check the figures again" in text
    # The JSON, for programs, keeps the rules' own words.
    rules = _rules(client_imdi, day)
    assert any(r["name"] == "Programtid" for r in rules.values())


def test_every_rule_is_worded_in_the_catalogue():
    """A rule's name or value without numbers is marked; one with numbers has its wording."""
    from nir.register.in_force_messages import IN_FORCE_MESSAGES, STATIC_WORDINGS
    from nir.register.rule_config import rule_config
    from nir.rules.cutoff import HISTORIC_CUTOFFS, annual_cutoff_for
    from nir.rules.in_force import rules_in_force

    static, worded = set(), set()
    for day in (dt.date(2019, 6, 1), dt.date(2024, 5, 1)):
        cutoffs = tuple(annual_cutoff_for(y) for y in range(2015, 2024))
        for rule in rules_in_force(rule_config(), day, cutoffs=cutoffs):
            assert rule.wording, rule.rule_id
            for part, text in (("name", rule.name_nb), ("value", rule.value_nb)):
                key = f"in_force.{rule.wording}.{part}"
                (worded.add(key) if key in IN_FORCE_MESSAGES else static.add(text))
    notes = {row.note_nb for row in HISTORIC_CUTOFFS.values() if row.note_nb}
    assert static | notes == set(STATIC_WORDINGS)
    assert worded == set(IN_FORCE_MESSAGES)
