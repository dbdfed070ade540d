"""rules-norsk.md N8: the related items as dated records, and their warnings."""

import datetime as dt

import pytest

from nir.rules.errors import RuleViolation
from nir.rules.norsk.related_items import (
    ItemSource,
    ItemStatus,
    RelatedItem,
    RelatedItemKind,
    check_related_item,
    foreldreveiledning_status,
    programme_decision_warnings,
)
from nir.rules.regime import Regime

D = dt.date
KART = RelatedItemKind.KOMPETANSEKARTLEGGING
DONE = ItemStatus.GJENNOMFORT


@pytest.mark.parametrize(
    ("item", "regime", "code"),
    [
        pytest.param(
            RelatedItem(KART, DONE),
            Regime.INTEGRERINGSLOVEN,
            "norsk.related.completion_date",
            id="completed-without-date",
        ),
        pytest.param(
            RelatedItem(KART, ItemStatus.PABEGYNT, D(2023, 1, 1)),
            Regime.INTEGRERINGSLOVEN,
            "norsk.related.completion_date",
            id="date-not-completed",
        ),
        pytest.param(
            RelatedItem(
                RelatedItemKind.LIVSMESTRING, DONE, D(2023, 1, 1), ItemSource.IMDINETT_READONLY
            ),
            Regime.INTEGRERINGSLOVEN,
            "norsk.related.not_read_from_imdinett",
            id="livsmestring-not-from-imdinett",
        ),
        pytest.param(
            RelatedItem(RelatedItemKind.INTEGRERINGSKONTRAKT, ItemStatus.IKKE_STARTET),
            Regime.INTRODUKSJONSLOVEN,
            "norsk.related.no_contract_for_regime",
            id="no-contract-under-introduksjonsloven",
        ),
    ],
)
def test_a_record_that_cannot_be_true_is_refused(item, regime, code):
    with pytest.raises(RuleViolation) as refused:
        check_related_item(item, regime)
    assert refused.value.code == code


def test_records_that_can_be_true_are_accepted_and_collapse_to_the_flag():
    read = RelatedItem(KART, DONE, D(2023, 1, 1), ItemSource.IMDINETT_READONLY)
    check_related_item(read, Regime.INTEGRERINGSLOVEN)
    check_related_item(
        RelatedItem(RelatedItemKind.INTEGRERINGSKONTRAKT, DONE, D(2023, 1, 1)),
        Regime.INTEGRERINGSLOVEN_KAP6A,
    )
    assert [s.as_flag for s in ItemStatus] == [False, False, True, False, False]


@pytest.mark.parametrize(
    ("items", "regime", "permit", "settled", "codes"),
    [
        pytest.param(
            [],
            Regime.INTEGRERINGSLOVEN,
            D(2022, 1, 1),
            None,
            ["norsk.related.kartlegging_missing"],
            id="N8-b-missing-is-a-warning",
        ),
        pytest.param(
            [RelatedItem(KART, DONE, D(2023, 3, 1))],
            Regime.INTEGRERINGSLOVEN,
            D(2022, 1, 1),
            None,
            [],
            id="mapped-before-decision",
        ),
        pytest.param(
            [RelatedItem(KART, DONE, D(2023, 3, 2))],
            Regime.INTEGRERINGSLOVEN,
            D(2022, 1, 1),
            None,
            ["norsk.related.kartlegging_missing"],
            id="mapped-after-decision",
        ),
        pytest.param(
            [],
            Regime.INTEGRERINGSLOVEN,
            D(2022, 1, 1),
            D(2022, 11, 30),
            ["norsk.related.kartlegging_missing", "norsk.related.kartlegging_late"],
            id="past-three-months-after-settlement",
        ),
        pytest.param(
            [],
            Regime.INTEGRERINGSLOVEN,
            D(2022, 1, 1),
            D(2022, 12, 1),
            ["norsk.related.kartlegging_missing"],
            id="within-three-months",
        ),
        pytest.param(
            [],
            Regime.INTRODUKSJONSLOVEN,
            D(2020, 1, 1),
            None,
            [],
            id="not-under-introduksjonsloven",
        ),
        pytest.param(
            [], Regime.INTEGRERINGSLOVEN, D(2020, 12, 31), None, [], id="permit-before-2021"
        ),
    ],
)
def test_a_programme_decision_without_kartlegging_warns_but_is_not_refused(
    items, regime, permit, settled, codes
):
    warnings = programme_decision_warnings(
        items,
        regime=regime,
        permit_date=permit,
        decision_date=D(2023, 3, 1),
        settled_or_claimed_on=settled,
    )
    assert [w.code for w in warnings] == codes


@pytest.mark.parametrize(
    ("children", "marked", "item", "status"),
    [
        pytest.param([], False, None, ItemStatus.IKKE_AKTUELT, id="no-children"),
        pytest.param([D(2005, 3, 2)], False, None, ItemStatus.IKKE_AKTUELT, id="child-turned-18"),
        pytest.param([D(2005, 3, 3)], False, None, ItemStatus.IKKE_STARTET, id="child-under-18"),
        pytest.param([], True, None, ItemStatus.IKKE_STARTET, id="marked-applicable"),
        pytest.param(
            [D(2020, 1, 1)],
            False,
            RelatedItem(RelatedItemKind.FORELDREVEILEDNING, DONE, D(2023, 1, 1)),
            DONE,
            id="done",
        ),
    ],
)
def test_N8_c_foreldreveiledning_is_not_applicable_without_a_child_under_18(
    children, marked, item, status
):
    assert (
        foreldreveiledning_status(
            item, child_birth_dates=children, as_of=D(2023, 3, 2), marked_applicable=marked
        )
        is status
    )
