"""The annual cut-off (rules.md §5): the day whose end the year's published figures are
drawn at, as data per year.

IMDi's deadline has been the last day of February of the year after since the 2018 figures,
but was 15 January for 2016 and 2017, and IMDi writes that late corrections «normalt» stay
out, so a year may need an exception: IMDi sets it, with a reason, and it is kept in the
history. Without a row or an exception a new year gets the default rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.dates import last_day_of_february
from nir.rules.errors import RuleViolation

_NEWS = "https://www.imdi.no/arkiv/arkiverte-nyheter/"


@dataclass(frozen=True, slots=True)
class CutoffRow:
    year: int
    day: dt.date
    basis: LegalBasis
    note_nb: str = ""


BASIS_CUTOFF_DEFAULT = LegalBasis(
    "statistics.annual_cutoff",
    "IMDis frist for oppdatering av NIR: siste dag i februar året etter (fra tallene for 2018)",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/om-imdi/aktuelt-na/frist-for-a-oppdatere-opplysninger-i-nir-for-2023/",
)
BASIS_CUTOFF_2016 = LegalBasis(
    "statistics.annual_cutoff.2016",
    "IMDis frist for registrering i NIR for 2016: 15. januar 2017",
    BasisKind.PRAKSIS,
    f"{_NEWS}nyheter-2016/har-du-registrert-alt-du-skal-i-nir/",
)
BASIS_CUTOFF_2017 = LegalBasis(
    "statistics.annual_cutoff.2017",
    "IMDis frist for registrering i NIR for 2017: 15. januar 2018, med ny kontroll til "
    "16. mars 2018",
    BasisKind.PRAKSIS,
    f"{_NEWS}nyheter-2018/sjekk-introresultater-i-nir/",
)
BASIS_CUTOFF_EXCEPTION = LegalBasis(
    "statistics.annual_cutoff.exception",
    "IMDis unntak for året: sene rettinger kommer «normalt» ikke med i de endelige tallene",
    BasisKind.PRAKSIS,
    f"{_NEWS}nyheter-2019/frist-for-a-registrere-i-nir-er-28.-februar-2019/",
)

# The published deadlines; other years follow the default rule (the same days for 2018-2023).
HISTORIC_CUTOFFS: Mapping[int, CutoffRow] = {
    2016: CutoffRow(2016, dt.date(2017, 1, 15), BASIS_CUTOFF_2016),
    2017: CutoffRow(
        2017,
        dt.date(2018, 1, 15),
        BASIS_CUTOFF_2017,
        "IMDi ba kommunene kontrollere tallene på nytt innen 16.03.2018 etter feil i NIR",
    ),
}


@dataclass(frozen=True, slots=True)
class CutoffException:
    """IMDi's own cut-off for one year, with why."""

    year: int
    day: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class Cutoff:
    year: int
    day: dt.date
    basis: LegalBasis
    source: str  # "historic", "default" or "exception"
    note_nb: str = ""


def annual_cutoff_for(year: int, exceptions: Mapping[int, CutoffException] | None = None) -> Cutoff:
    """The cut-off of ``year``: IMDi's exception, else the published date, else the rule."""
    exception = (exceptions or {}).get(year)
    if exception is not None:
        return Cutoff(year, exception.day, BASIS_CUTOFF_EXCEPTION, "exception", exception.reason)
    historic = HISTORIC_CUTOFFS.get(year)
    if historic is not None:
        return Cutoff(year, historic.day, historic.basis, "historic", historic.note_nb)
    return Cutoff(year, last_day_of_february(year + 1), BASIS_CUTOFF_DEFAULT, "default")


def check_cutoff_exception(*, year: int, day: dt.date, reason: str) -> None:
    """An exception lies after the year it closes, within the year after, and says why."""
    if not reason.strip():
        raise RuleViolation(
            field="reason",
            code="cutoff.reason_required",
            message="Et unntak fra fristen for årets tall må ha en begrunnelse.",
            basis=BASIS_CUTOFF_EXCEPTION,
        )
    if not dt.date(year + 1, 1, 1) <= day <= dt.date(year + 1, 12, 31):
        raise RuleViolation(
            field="cutoff_date",
            code="cutoff.outside_following_year",
            message=(
                f"Fristen for tallene for {year} må ligge i {year + 1}; "
                f"{day:%d.%m.%Y} gjør ikke det."
            ),
            basis=BASIS_CUTOFF_EXCEPTION,
            params={"year": year, "cutoff_date": day},
        )
