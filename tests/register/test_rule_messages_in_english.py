"""The rules' refusals that carry numbers or dates read in English too, and none shows a
code: what a caseworker reads when the register refuses with a date, a limit or a type."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import translation

from nir.register.rule_messages import RULE_MESSAGES, rule_message
from nir.rules.config import DEFAULT_CONFIG
from nir.rules.dates import DateInterval
from nir.rules.errors import RuleViolation
from nir.rules.extension import check_extension
from nir.rules.master_data import master_data_violation
from nir.rules.participation import DatedStop, clock_stop
from nir.rules.programme_length import ProgrammeGroup, select_programme_length
from nir.rules.regime import Category, Regime, check_category
from nir.rules.registration_window import (
    GrantFacts,
    check_grant,
    check_registration_window,
)
from nir.rules.termination import termination_reason

RULES = Path(__file__).resolve().parents[2] / "src" / "nir" / "rules"
# A leftover bokmål word in an English refusal means the English is missing.
NORWEGIAN = re.compile(r"\b(og|ikke|måneder|gikk|deltakeren|Kommunen|Fristen|er)\b")


def _codes_of_worded_refusals() -> set[str]:
    """The codes of the rules' refusals whose wording is built from values (f-strings)."""
    codes: set[str] = set()
    for path in sorted(RULES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or getattr(node.func, "id", "") != "RuleViolation":
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            message, code = keywords.get("message"), keywords.get("code")
            if message is None or isinstance(message, ast.Constant) or code is None:
                continue
            if isinstance(code, ast.Constant):
                codes.add(str(code.value))
            elif isinstance(code, ast.Name):
                continue  # a code passed through from the caller, worded where it is made
            else:  # f"{field}.unknown" for the leave and absence types
                codes |= {"leave_type.unknown", "absence_type.unknown"}
    return codes


SERVICES = RULES.parent / "register" / "services"
# The services' helpers that make a refusal, with where their code and message stand.
_MAKERS = {"invalid": (1, 2), "reject": (1, 2)}


def _code_and_message(node: ast.Call) -> tuple[ast.expr | None, ast.expr | None]:
    name = getattr(node.func, "id", getattr(node.func, "attr", ""))
    keywords = {k.arg: k.value for k in node.keywords}
    if name in _MAKERS:
        code_at, message_at = _MAKERS[name]
        positional = node.args
        return (
            positional[code_at] if len(positional) > code_at else keywords.get("code"),
            positional[message_at] if len(positional) > message_at else keywords.get("message"),
        )
    if name in ("RuleViolation", "__init__"):
        return keywords.get("code"), keywords.get("message")
    return None, None


def _codes_of_services_worded_refusals() -> set[str]:
    """The codes of the services' refusals and warnings worded with values (f-strings)."""
    codes: set[str] = set()
    for path in sorted(SERVICES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            code, message = _code_and_message(node)
            if code is None or message is None or isinstance(message, ast.Constant):
                continue
            if isinstance(code, ast.Constant):
                codes.add(str(code.value))
    return codes


def test_every_refusal_worded_with_values_has_its_english():
    assert _codes_of_worded_refusals() - set(RULE_MESSAGES) == set()


def test_every_refusal_of_the_services_worded_with_values_has_its_english():
    found = _codes_of_services_worded_refusals()
    assert {"version.stale", "batch.too_large", "termination.not_in_record"} <= found
    assert found - set(RULE_MESSAGES) == set()


def _refusal(call) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        violation = call()
        if isinstance(violation, RuleViolation):
            raise violation
    return caught.value


def _window(as_of: dt.date, grants=()) -> RuleViolation:
    return _refusal(
        lambda: check_registration_window(
            event_date=dt.date(2026, 1, 10),
            as_of=as_of,
            grants=list(grants),
            config=DEFAULT_CONFIG,
            field="start_date",
        )
    )


def _in_english(violation: RuleViolation) -> str:
    with translation.override("en"):
        return rule_message(violation.code, violation.params, violation.message)


def test_a_closed_window_reads_in_english_with_its_dates():
    text = _in_english(_window(dt.date(2026, 4, 1)))
    assert text.startswith("The time for registering an event dated 10 January 2026 ran out")
    assert "10 March 2026" in text
    assert "possible until" in text
    assert not NORWEGIAN.search(text), text


def test_a_window_past_the_grants_reach_says_how_far_back_in_english():
    text = _in_english(_window(dt.date(2027, 6, 1)))
    assert "more than 12 months old" in text
    assert "not even with late registration" in text


def test_an_expired_and_a_withdrawn_grant_are_told_apart_in_english():
    covers = DateInterval(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    expired = GrantFacts("g1", covers, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    withdrawn = GrantFacts(
        "g2", covers, dt.date(2026, 4, 1), dt.date(2026, 6, 30), revoked_on=dt.date(2026, 4, 20)
    )
    assert "expired on 30 April 2026" in _in_english(_window(dt.date(2026, 5, 10), [expired]))
    assert "withdrawn on 20 April 2026" in _in_english(_window(dt.date(2026, 5, 10), [withdrawn]))


def test_the_extension_limit_reads_in_english_with_what_is_left():
    row = select_programme_length(
        regime=Regime.INTEGRERINGSLOVEN,
        group=ProgrammeGroup.P13,
        start_date=dt.date(2025, 1, 1),
        table=DEFAULT_CONFIG.programme_lengths,
    )
    violation = _refusal(
        lambda: check_extension(
            row=row, granted_months=[row.extension_limit_months], requested_months=3
        )
    )
    text = _in_english(violation)
    assert f"at most {row.extension_limit_months} months under" in text
    assert "at most 0 months can be granted" in text
    assert not NORWEGIAN.search(text), text


def test_no_rule_in_force_names_the_regime_and_group_in_words_in_both_languages():
    violation = _refusal(
        lambda: select_programme_length(
            regime=Regime.INTEGRERINGSLOVEN,
            group=ProgrammeGroup.P13,
            start_date=dt.date(1990, 1, 1),
            table=DEFAULT_CONFIG.programme_lengths,
        )
    )
    with translation.override("nb"):
        bokmaal = rule_message(violation.code, violation.params, violation.message)
    english = _in_english(violation)
    for text in (bokmaal, english):
        assert "integreringsloven" not in text and "p13" not in text, text
    assert "Integreringsloven" in bokmaal and "Med videregående" in bokmaal
    assert "Integration Act" in english


def test_an_unknown_leave_type_lists_the_types_by_their_labels():
    violation = _refusal(
        lambda: clock_stop(
            DatedStop("l1", "ferie", dt.date(2026, 1, 1), dt.date(2026, 1, 5)),
            leave=True,
            config=DEFAULT_CONFIG,
        )
    )
    with translation.override("nb"):
        bokmaal = rule_message(violation.code, violation.params, violation.message)
    assert "Foreldrepermisjon" in bokmaal and "foreldrepermisjon," not in bokmaal
    assert _in_english(violation).startswith("«ferie» is not a known type. Choose one of:")


@pytest.mark.parametrize(
    ("category", "age", "expected"),
    [
        (Category.RETT, 60, "aged 18 to 55"),
        (Category.RETT, 60, "choose «May be offered»"),
        (Category.KAN_TILBYS, 40, "aged 55 to 67"),
        (Category.KAN_TILBYS, 40, "choose «Right (ch. 6A)»"),
    ],
)
def test_the_kap6a_ages_read_in_english(category, age, expected):
    violation = _refusal(
        lambda: check_category(Regime.INTEGRERINGSLOVEN_KAP6A, category, age_at_permit=age)
    )
    assert expected in _in_english(violation)


def test_the_other_worded_refusals_read_in_english():
    too_far = _refusal(
        lambda: check_grant(
            covers=DateInterval(dt.date(2024, 1, 1), dt.date(2024, 2, 1)),
            granted_on=dt.date(2026, 1, 1),
            expires_on=dt.date(2026, 3, 1),
            config=DEFAULT_CONFIG,
        )
    )
    assert "at most 12 months back, that is from 1 January 2025" in _in_english(too_far)
    owned = master_data_violation(["given_name"], "Bergen")
    assert owned is not None
    assert _in_english(owned).startswith("The person is registered by Bergen.")
    unknown = _refusal(lambda: termination_reason("flyttet_til_mars"))
    assert _in_english(unknown) == "«flyttet_til_mars» is not a valid termination reason."


def test_a_stale_version_reads_in_english_with_both_versions():
    from nir.register.services.context import StaleVersion

    text = _in_english(StaleVersion(entity="participation", expected=3, current=4))
    assert "you had version 3, the register has version 4" in text
    assert not NORWEGIAN.search(text), text


@pytest.mark.parametrize(
    ("code", "params", "expected"),
    [
        ("programme_months.range", {"min": 1, "max": 36}, "between 1 and 36 months"),
        ("batch.too_large", {"max": 1000}, "at most 1000 records"),
        ("case_id.exists", {"case_id": "2026/7"}, "«2026/7» is already used"),
        ("case_id.duplicate_in_batch", {"case_id": "2026/7"}, "more than once"),
        ("case_id.identity_mismatch", {"case_id": "2026/7"}, "belongs to another person"),
        ("grant.already_revoked", {"revoked_on": dt.date(2026, 4, 20)}, "on 20 April 2026"),
        ("start_date.immutable", {"stored": dt.date(2026, 1, 5)}, "has 5 January 2026"),
        ("category.immutable", {"stored": "rett_og_plikt"}, "has «Right and duty»"),
        (
            "termination.not_in_record",
            {"termination": {"end_date": "2026-11-30"}, "operation": "undoTermination"},
            "termination of 30 November 2026",
        ),
        (
            "registration.not_in_record",
            {
                "entity": "measure",
                "item": {"start_date": "2026-12-01", "end_date": "2026-12-20"},
                "operation": "cancelRegistration",
            },
            "1 December 2026–20 December 2026",
        ),
    ],
)
def test_the_services_refusals_with_values_read_in_english(code, params, expected):
    with translation.override("en"):
        text = rule_message(code, params, "bokmål")
    assert expected in text, text
    assert not NORWEGIAN.search(text), text
