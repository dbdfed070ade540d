"""Programme length by sluttmål (rules.md §2): the table as dated data rows.

A law change adds rows with a new ``effective_from``; old rows stay, so a participation
computes with the row in force on its start date, as it always did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from nir.rules.basis import (
    LOVDATA_INTEGRERINGSLOVEN,
    LOVDATA_INTRODUKSJONSLOVEN,
    TEXT_PROP81,
    BasisKind,
    LegalBasis,
)
from nir.rules.errors import RuleViolation
from nir.rules.regime import INTEGRERINGSLOVEN_IN_FORCE, KAP6A_IN_FORCE, Regime


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
    P14_DELER_VGO = "p14_deler_vgo"  # without vgo, aiming at parts of upper secondary
    P14_ANDRE = "p14_andre"  # without vgo: others (work, grunnskole)
    INTRODUKSJONSLOVEN = "introduksjonsloven"


# Why a group has its length, in a sentence: «6 måneder fordi deltakeren har …».
GROUP_REASONS_NB = {
    "p13": "deltakeren har utdanning på videregående nivå eller høyere fra før",
    "p14_under_25": (
        "deltakeren er under 25 år, har ikke videregående opplæring og har fullført "
        "videregående opplæring som sluttmål"
    ),
    "p14_25_pluss_vgo": (
        "deltakeren er 25 år eller eldre, har ikke videregående opplæring og har fullført "
        "videregående opplæring som sluttmål"
    ),
    "p14_deler_vgo": (
        "deltakeren har ikke videregående opplæring og har deler av videregående "
        "opplæring som sluttmål"
    ),
    "p14_andre": (
        "deltakeren har ikke videregående opplæring og har arbeid eller grunnskole som sluttmål"
    ),
    "introduksjonsloven": "deltakeren følger introduksjonsloven",
}


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
    # Said after the group's reason, e.g. that an amendment added a year.
    note_nb: str = ""

    @property
    def cap_months(self) -> int:
        return self.base_months + self.extension_limit_months

    @property
    def reason_nb(self) -> str:
        reason = GROUP_REASONS_NB[self.group.value]
        return f"{reason}{self.note_nb}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


INTRODUKSJONSLOVEN_FROM = dt.date(2004, 9, 1)

# The text in force from 2021 has every length and the extension in § 13; the amendment
# of Prop. 81 L (2024–2025) puts the group with upper secondary in § 13 and the others in
# § 14, and adds a year for a sluttmål of all or part of upper secondary.
# (group, base, minimum, extension limit, § in the 2021 text, § in the amended text)
_OrdinaryRow = tuple[ProgrammeGroup, int, int, int, str, str]
# Introduksjonsloven's one row: 24 months, extension up to 12 (§ 5).
_INTRODUKSJONSLOVEN: _OrdinaryRow = (ProgrammeGroup.INTRODUKSJONSLOVEN, 24, 0, 12, "", "")
_ORDINARY: tuple[_OrdinaryRow, ...] = (
    (ProgrammeGroup.P13, 6, 3, 6, "13", "13"),
    (ProgrammeGroup.P14_UNDER_25, 36, 3, 12, "13", "14"),
    (ProgrammeGroup.P14_25_PLUS_VGO, 36, 3, 12, "13", "14"),
    (ProgrammeGroup.P14_DELER_VGO, 24, 3, 12, "13", "14"),
    (ProgrammeGroup.P14_ANDRE, 24, 3, 12, "13", "14"),
)
# Groups whose sluttmål is all or part of upper secondary: one year more after Prop. 81 L.
PROP81_LONGER = frozenset(
    {ProgrammeGroup.P14_UNDER_25, ProgrammeGroup.P14_25_PLUS_VGO, ProgrammeGroup.P14_DELER_VGO}
)
PROP81_EXTRA_MONTHS = 12
PROP81_URL = "https://www.regjeringen.no/no/dokumenter/prop.-81-l-20242025/"


def _law(section: str) -> str:
    return f"integreringsloven § {section}"


def programme_length_table(prop81_in_force: dt.date | None) -> tuple[ProgrammeLengthRow, ...]:
    """The length rows: the 2021 text's, kap. 6A's and, from the date Prop. 81 L comes into
    force (configuration; None: not in force), the amended text's.

    The amended rows start on the in-force date and the 2021 rows end there; the row is
    chosen by the programme's start date, so a participation that started before keeps its
    row and computes as before. Every basis is made here, where the citation check finds it.
    """
    intro = LegalBasis(
        "length.introduksjonsloven",
        "introduksjonsloven § 5",
        BasisKind.LOV,
        f"{LOVDATA_INTRODUKSJONSLOVEN}/§5",
    )
    rows = [
        _row(
            _INTRODUKSJONSLOVEN,
            "introduksjonsloven.2004",
            Regime.INTRODUKSJONSLOVEN,
            (INTRODUKSJONSLOVEN_FROM, None),
            intro,
        )
    ]
    for ordinary in _ORDINARY:
        group, section_2021, section_prop81 = ordinary[0], ordinary[4], ordinary[5]
        basis_2021 = LegalBasis(
            f"length.{group.value}",
            _law(section_2021),
            BasisKind.LOV,
            f"{LOVDATA_INTEGRERINGSLOVEN}/§{section_2021}",
        )
        row_id = f"integreringsloven.{group.value}.2021"
        in_force = (INTEGRERINGSLOVEN_IN_FORCE, prop81_in_force)
        rows.append(_row(ordinary, row_id, Regime.INTEGRERINGSLOVEN, in_force, basis_2021))
        if prop81_in_force is not None:
            basis_prop81 = LegalBasis(
                f"length.{group.value}.prop81",
                f"{_law(section_prop81)} (endret etter Prop. 81 L (2024–2025))",
                BasisKind.LOV,
                PROP81_URL,
                TEXT_PROP81,
            )
            rows.append(_row_prop81(ordinary, prop81_in_force, basis_prop81))
    # Decision: kap. 6A uses the ordinary rows of the 2021 text, keyed by the same
    # sluttmål (the enacted kap. 6A lengths were not found). They are rows of their own so
    # that IMDi can replace them by configuration without touching the ordinary rows.
    for ordinary in _ORDINARY:
        group, section_2021 = ordinary[0], ordinary[4]
        basis_kap6a = LegalBasis(
            f"length.kap6a.{group.value}",
            f"Registerets regel: kap. 6A-deltakere får programtiden etter "
            f"{_law(section_2021)}, da lengdene i kap. 6A ikke er funnet",
            BasisKind.BESLUTNING,
            f"{LOVDATA_INTEGRERINGSLOVEN}/§{section_2021}",
        )
        row_id = f"kap6a.{group.value}.2022"
        in_force = (KAP6A_IN_FORCE, None)
        rows.append(_row(ordinary, row_id, Regime.INTEGRERINGSLOVEN_KAP6A, in_force, basis_kap6a))
    return tuple(rows)


def _row(
    ordinary: _OrdinaryRow,
    row_id: str,
    regime: Regime,
    effective: tuple[dt.date, dt.date | None],
    basis: LegalBasis,
) -> ProgrammeLengthRow:
    group, base, minimum, limit, _, _ = ordinary
    return ProgrammeLengthRow(row_id, group, regime, base, minimum, limit, *effective, basis)


def _row_prop81(
    ordinary: _OrdinaryRow, prop81_in_force: dt.date, basis: LegalBasis
) -> ProgrammeLengthRow:
    group, base, minimum, limit, _, _ = ordinary
    longer = group in PROP81_LONGER
    return ProgrammeLengthRow(
        f"integreringsloven.{group.value}.prop81",
        group,
        Regime.INTEGRERINGSLOVEN,
        base + (PROP81_EXTRA_MONTHS if longer else 0),
        minimum,
        limit,
        prop81_in_force,
        None,
        basis,
        (
            "; lovendringen etter Prop. 81 L (2024–2025) gir ett år lenger "
            "programtid når sluttmålet er hele eller deler av videregående "
            "opplæring"
            if longer
            else ""
        ),
    )


DEFAULT_PROGRAMME_LENGTHS: tuple[ProgrammeLengthRow, ...] = programme_length_table(None)

BASIS_GROUP = LegalBasis(
    "length.group",
    "integreringsloven § 13 (sluttmål og varighet etter utdanning og alder)",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§13",
)
BASIS_MISSING_SLUTTMAAL = LegalBasis(
    "length.missing_sluttmaal",
    "Registerets regel: uten registrert sluttmål (integreringsloven § 15) beregnes fristen "
    "med standard programtid til sluttmålet er registrert",
    BasisKind.BESLUTNING,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§15",
)


@dataclass(frozen=True, slots=True)
class GroupResult:
    group: ProgrammeGroup
    sluttmaal_missing: bool
    basis: LegalBasis


BASIS_INTRODUKSJONSLOVEN = DEFAULT_PROGRAMME_LENGTHS[0].basis


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
        return GroupResult(ProgrammeGroup.INTRODUKSJONSLOVEN, False, BASIS_INTRODUKSJONSLOVEN)
    if sluttmaal is None:
        return GroupResult(group_without_sluttmaal, True, BASIS_MISSING_SLUTTMAAL)
    if sluttmaal in SLUTTMAAL_P13_ONLY:
        if has_upper_secondary is False:
            raise RuleViolation(
                field="sluttmaal",
                code="sluttmaal.requires_upper_secondary",
                message=(
                    "Sluttmålet forutsetter utdanning på videregående nivå eller høyere, "
                    "men deltakeren er registrert uten slik utdanning."
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
    if sluttmaal is Sluttmaal.DELER_AV_VIDEREGAENDE:
        return GroupResult(ProgrammeGroup.P14_DELER_VGO, False, BASIS_GROUP)
    return GroupResult(ProgrammeGroup.P14_ANDRE, False, BASIS_GROUP)


BASIS_TABLE = LegalBasis(
    "length.table",
    "Registerets regel: programtiden følger tabellen over regler i bruk på startdatoen",
    BasisKind.BESLUTNING,
)


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
            f"Ingen regel for programtid gjaldt på startdatoen {start_date:%d.%m.%Y} for "
            "deltakerens lovverk og gruppe."
        ),
        basis=BASIS_TABLE,
        params={"regime": regime.value, "group": group.value, "start_date": start_date},
    )
