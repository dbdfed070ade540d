"""The start decision's programme time against the sluttmål's (IMDi's notice, the example)."""

import datetime as dt

from nir.rules.decided_programme_time import check_decided_programme_time


def test_twelve_months_decided_where_the_sluttmaal_gives_six() -> None:
    found = check_decided_programme_time(
        decided_months=12, base_months=6, extension_months=0, frist=dt.date(2023, 7, 31)
    )
    assert found is not None
    assert found.message == (
        "Vedtaket gir 12 måneder, sluttmålet gir 6: registrer vedtak om utvidet deltakelse, "
        "ellers avsluttes deltakeren 31.07.2023."
    )
    assert found.missing_extension_months == 6
    assert found.basis.reference.startswith("integreringsloven § 13")


def test_covered_by_extensions_or_no_length_stated_is_no_mismatch() -> None:
    frist = dt.date(2024, 1, 31)
    assert (
        check_decided_programme_time(
            decided_months=12, base_months=6, extension_months=6, frist=frist
        )
        is None
    )
    assert (
        check_decided_programme_time(
            decided_months=None, base_months=6, extension_months=0, frist=frist
        )
        is None
    )
    assert (
        check_decided_programme_time(
            decided_months=24, base_months=24, extension_months=0, frist=frist
        )
        is None
    )
    partly = check_decided_programme_time(
        decided_months=12, base_months=6, extension_months=2, frist=frist
    )
    assert partly is not None
    assert "sluttmålet gir 6 og utvidet programtid 2" in partly.message
