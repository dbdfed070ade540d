"""Programme length by sluttmål (rules.md §2): the table as dated data rows.

A law change adds rows with a new ``effective_from``; old rows stay, so a participation
computes with the row in force on its start date, as it always did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.regime import Regime


class Sluttmaal(StrEnum):
    """End goals of the integration plan (integreringsloven §§ 13-14)."""

    ARBEID = "arbeid"
    HOYERE_UTDANNING = "hoyere_utdanning"
    GODKJENNING_UTDANNING = "godkjenning_utdanning"
    KOMPLETTERENDE_UTDANNING = "kompletterende_utdanning"
    FULLFORT_VIDEREGAENDE = "fullfort_videregaende"
    GRUNNSKOLE = "grunnskole"
    DELER_AV_VIDEREGAENDE = "deler_av_videregaende"


# Goals that presuppose upper-secondary education (§ 13) whatever else is known.
SLUTTMAAL_P13_ONLY = frozenset(
    {
        Sluttmaal.HOYERE_UTDANNING,
        Sluttmaal.GODKJENNING_UTDANNING,
        Sluttmaal.KOMPLETTERENDE_UTDANNING,
    }
)


class ProgrammeGroup(StrEnum):
    P13 = "p13"  # § 13: upper-secondary education or higher
    P14_UNDER_25 = "p14_under_25"  # § 14: under 25 without upper secondary
    P14_25_PLUS_VGO = "p14_25_pluss_vgo"  # § 14: 25 or over, aiming at completed vgo
    P14_ANDRE = "p14_andre"  # § 14: others (work, grunnskole, parts of vgo)
    INTRODUKSJONSLOVEN = "introduksjonsloven"


@dataclass(frozen=True, slots=True)
class ProgrammeLengthRow:
    row_id: str
    group: ProgrammeGroup
    regime: Regime
    base_months: int
    min_months: int
    extension_limit_months: int
    effective_from: dt.date
    effective_to: dt.date | None
    basis: LegalBasis

    @property
    def cap_months(self) -> int:
        return self.base_months + self.extension_limit_months

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


def _p(section: str, kap6a: bool = False) -> str:
    return f"integreringsloven § {section}" + (" jf. kap. 6A § 37 a" if kap6a else "")


INTEGRERINGSLOVEN_FROM = dt.date(2021, 1, 1)
KAP6A_FROM = dt.date(2022, 6, 15)
INTRODUKSJONSLOVEN_FROM = dt.date(2004, 9, 1)

# (group, base, minimum, extension limit, § reference)
_ORDINARY = (
    (ProgrammeGroup.P13, 6, 3, 6, "13"),
    (ProgrammeGroup.P14_UNDER_25, 36, 3, 12, "14 første ledd"),
    (ProgrammeGroup.P14_25_PLUS_VGO, 36, 3, 12, "14 andre ledd"),
    (ProgrammeGroup.P14_ANDRE, 24, 3, 12, "14 tredje ledd"),
)

DEFAULT_PROGRAMME_LENGTHS: tuple[ProgrammeLengthRow, ...] = (
    ProgrammeLengthRow(
        "introduksjonsloven.2004",
        ProgrammeGroup.INTRODUKSJONSLOVEN,
        Regime.INTRODUKSJONSLOVEN,
        24,
        0,
        12,
        INTRODUKSJONSLOVEN_FROM,
        None,
        LegalBasis("length.introduksjonsloven", "introduksjonsloven § 5", BasisKind.LOV),
    ),
    *(
        ProgrammeLengthRow(
            f"integreringsloven.{group.value}.2021",
            group,
            Regime.INTEGRERINGSLOVEN,
            base,
            minimum,
            limit,
            INTEGRERINGSLOVEN_FROM,
            None,
            LegalBasis(f"length.{group.value}", _p(section), BasisKind.LOV),
        )
        for group, base, minimum, limit, section in _ORDINARY
    ),
    # rules.md §2 Decision: kap. 6A uses the ordinary rows, keyed by the same sluttmål.
    # They are rows of their own so that an amendment of kap. 6A changes only these.
    *(
        ProgrammeLengthRow(
            f"kap6a.{group.value}.2022",
            group,
            Regime.INTEGRERINGSLOVEN_KAP6A,
            base,
            minimum,
            limit,
            KAP6A_FROM,
            None,
            LegalBasis(
                f"length.kap6a.{group.value}", _p(section, kap6a=True), BasisKind.BESLUTNING
            ),
        )
        for group, base, minimum, limit, section in _ORDINARY
    ),
)

BASIS_GROUP = LegalBasis(
    "length.group", "integreringsloven §§ 13-14 (sluttmål og varighet)", BasisKind.LOV
)
BASIS_MISSING_SLUTTMAAL = LegalBasis(
    "length.missing_sluttmaal",
    "integreringsloven § 15 (sluttmål skal fastsettes); registerets beslutning om frist "
    "uten sluttmål",
    BasisKind.BESLUTNING,
)


@dataclass(frozen=True, slots=True)
class GroupResult:
    group: ProgrammeGroup
    sluttmaal_missing: bool
    basis: LegalBasis


def determine_programme_group(
    *,
    regime: Regime,
    sluttmaal: Sluttmaal | None,
    has_upper_secondary: bool | None,
    age_at_start: int,
    group_without_sluttmaal: ProgrammeGroup,
) -> GroupResult:
    """The § 13/§ 14 group that the sluttmål in force (and education and age) point to.

    ``has_upper_secondary`` is None when the education background is not registered.
    Without a sluttmål an integreringsloven participation still gets a frist, from the
    configured group, flagged as missing so that the worklist asks for it.
    """
    if regime is Regime.INTRODUKSJONSLOVEN:
        if sluttmaal is not None:
            raise RuleViolation(
                field="sluttmaal",
                code="sluttmaal.not_for_introduksjonsloven",
                message="Deltakere etter introduksjonsloven skal ikke ha registrert sluttmål.",
                basis=BASIS_GROUP,
            )
        return GroupResult(
            ProgrammeGroup.INTRODUKSJONSLOVEN, False, DEFAULT_PROGRAMME_LENGTHS[0].basis
        )
    if sluttmaal is None:
        return GroupResult(group_without_sluttmaal, True, BASIS_MISSING_SLUTTMAAL)
    if sluttmaal in SLUTTMAAL_P13_ONLY:
        if has_upper_secondary is False:
            raise RuleViolation(
                field="sluttmaal",
                code="sluttmaal.requires_upper_secondary",
                message=(
                    "Sluttmålet forutsetter utdanning på videregående nivå eller høyere "
                    "(integreringsloven § 13), men deltakeren er registrert uten slik utdanning."
                ),
                basis=BASIS_GROUP,
                params={"sluttmaal": sluttmaal.value},
            )
        return GroupResult(ProgrammeGroup.P13, False, BASIS_GROUP)
    if sluttmaal is Sluttmaal.ARBEID and has_upper_secondary:
        return GroupResult(ProgrammeGroup.P13, False, BASIS_GROUP)
    if sluttmaal is Sluttmaal.FULLFORT_VIDEREGAENDE:
        group = ProgrammeGroup.P14_UNDER_25 if age_at_start < 25 else ProgrammeGroup.P14_25_PLUS_VGO
        return GroupResult(group, False, BASIS_GROUP)
    return GroupResult(ProgrammeGroup.P14_ANDRE, False, BASIS_GROUP)


BASIS_TABLE = LegalBasis("length.table", "rules.md §2 (varighetstabellen)", BasisKind.BESLUTNING)


def select_programme_length(
    *,
    regime: Regime,
    group: ProgrammeGroup,
    start_date: dt.date,
    table: Sequence[ProgrammeLengthRow],
) -> ProgrammeLengthRow:
    """The row for ``group`` under ``regime`` in force on the start date of the programme."""
    for row in table:
        if row.regime is regime and row.group is group and row.in_force_on(start_date):
            return row
    raise RuleViolation(
        field="start_date",
        code="length.no_rule_in_force",
        message=(
            f"Ingen regel for programtid etter {regime.value} ({group.value}) gjaldt "
            f"på startdatoen {start_date.isoformat()}."
        ),
        basis=BASIS_TABLE,
        params={"regime": regime.value, "group": group.value, "start_date": start_date},
    )
