"""The norskmaal: the participant's minimum level in Norwegian, per skill (rules-norsk.md N2).

The levels are the CEFR levels of integreringsforskriften § 26; the guiding minimum levels
(§§ 27-28) depend on the education background. The norskmaal is proposed from them, the
caseworker confirms it, and it is versioned like the sluttmaal: it should be raised when
progress is faster than expected and may be lowered when the level cannot be reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.regime import Regime

IMDI_VARIGHET = (
    "https://www.imdi.no/kvalifisering/regelverk/norsk-og-samfunnskunnskap/"
    "varighet-og-omfang-av-opplaring-i-norsk-og-samfunnskunnskap/"
)
IMDI_NIR_INTEGRERINGSLOVEN = (
    "https://www.imdi.no/imdinett/nasjonalt-introduksjonsregister-nir/"
    "ny-integreringslov---endringer-i-nir/"
)


class CefrLevel(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"

    @property
    def rank(self) -> int:
        return _LEVEL_ORDER.index(self)

    def reaches(self, target: CefrLevel) -> bool:
        return self.rank >= target.rank


_LEVEL_ORDER = (CefrLevel.A1, CefrLevel.A2, CefrLevel.B1, CefrLevel.B2, CefrLevel.C1)


class Skill(StrEnum):
    """The four skills (delferdigheter) the Norwegian test levels separately."""

    LISTENING = "lytteforstaaelse"
    READING = "leseforstaaelse"
    WRITING = "skriftlig_fremstilling"
    ORAL = "muntlig_kommunikasjon"


class EducationBackground(StrEnum):
    """Decision N2-a: three values; NIR's own field is only «videregående: yes/no»."""

    UTEN_GRUNNSKOLE = "uten_grunnskole"
    GRUNNSKOLE = "grunnskole"
    VIDEREGAENDE = "videregaende"  # at least upper secondary (GSU list level)


class NorskmaalKind(StrEnum):
    LEVELS = "levels"  # a level per skill
    NORSKPROVE_C1 = "norskprove_c1"  # the alternative goal: Norskprøve C1
    KARAKTER_2 = "karakter_2"  # the alternative goal: grade 2 in Norwegian


@dataclass(frozen=True, slots=True)
class GuidingLevels:
    """One row of the guiding minimum levels, in force from ``effective_from``."""

    row_id: str
    background: EducationBackground
    needs_b2: bool  # at least upper secondary and needs to document B2 in every skill
    levels: Mapping[Skill, CefrLevel]
    effective_from: dt.date
    basis: LegalBasis


BASIS_GUIDING_LEVELS = LegalBasis(
    "norsk.norskmaal.guiding_levels",
    "integreringsforskriften §§ 26–28: veiledende minimumsnivåer i norsk etter utdanningsbakgrunn",
    BasisKind.FORSKRIFT,
    IMDI_VARIGHET,
)
BASIS_PROPOSED = LegalBasis(
    "norsk.norskmaal.proposed_from_education",
    "Registerets regel: norskmålet foreslås fra registrert utdanningsbakgrunn, og "
    "saksbehandleren bekrefter det",
    BasisKind.BESLUTNING,
)
BASIS_ALTERNATIVE = LegalBasis(
    "norsk.norskmaal.alternative",
    "IMDis praksis i NIR: Norskprøve C1 eller karakteren 2 som mulig norskmål",
    BasisKind.PRAKSIS,
    IMDI_NIR_INTEGRERINGSLOVEN,
)
BASIS_VERSIONED = LegalBasis(
    "norsk.norskmaal.versioned",
    "integreringsloven § 31: minimumsnivået bør justeres opp ved raskere progresjon og kan "
    "justeres ned (IMDis veileder om varighet og omfang)",
    BasisKind.LOV,
    IMDI_VARIGHET,
)
BASIS_NOT_INTRODUKSJONSLOVEN = LegalBasis(
    "norsk.norskmaal.not_introduksjonsloven",
    "IMDis praksis i NIR: for personer omfattet av introduksjonsloven registreres ikke norskmål",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/imdinett/frist-for-a-oppdatere-opplysninger-i-nir-for-2022/",
)

_L, _R, _W, _O = Skill.LISTENING, Skill.READING, Skill.WRITING, Skill.ORAL
NORSKMAAL_FROM = dt.date(2021, 1, 1)


def _levels(receptive: CefrLevel, oral: CefrLevel) -> Mapping[Skill, CefrLevel]:
    return MappingProxyType({_L: receptive, _R: receptive, _W: receptive, _O: oral})


# The fifth row of IMDi's table («Deltagere som får sin norsko[pplæring …]») could not be
# read; it is an open question (rules-norsk.md N10 5) and becomes one more row here.
DEFAULT_GUIDING_LEVELS: tuple[GuidingLevels, ...] = tuple(
    GuidingLevels(row_id, background, needs_b2, levels, NORSKMAAL_FROM, BASIS_GUIDING_LEVELS)
    for row_id, background, needs_b2, levels in (
        (
            "uten_grunnskole",
            EducationBackground.UTEN_GRUNNSKOLE,
            False,
            _levels(CefrLevel.A2, CefrLevel.B1),
        ),
        ("grunnskole", EducationBackground.GRUNNSKOLE, False, _levels(CefrLevel.B1, CefrLevel.B1)),
        (
            "videregaende",
            EducationBackground.VIDEREGAENDE,
            False,
            _levels(CefrLevel.B1, CefrLevel.B2),
        ),
        (
            "videregaende_b2",
            EducationBackground.VIDEREGAENDE,
            True,
            _levels(CefrLevel.B2, CefrLevel.B2),
        ),
    )
)


@dataclass(frozen=True, slots=True)
class NorskmaalParams:
    guiding_levels: tuple[GuidingLevels, ...] = DEFAULT_GUIDING_LEVELS
    # Decision N5-a: a kap. 6A person may have a norskmaal registered (optional there).
    kap6a_norskmaal_allowed: bool = True


@dataclass(frozen=True, slots=True)
class Norskmaal:
    """One version of a participant's norskmaal, in force from ``valid_from``."""

    ref: str
    valid_from: dt.date
    kind: NorskmaalKind = NorskmaalKind.LEVELS
    levels: Mapping[Skill, CefrLevel] = MappingProxyType({})

    def __post_init__(self) -> None:
        if self.kind is NorskmaalKind.LEVELS and set(self.levels) != set(Skill):
            missing = sorted(s.value for s in set(Skill) - set(self.levels))
            raise RuleViolation(
                field="levels",
                code="norsk.norskmaal.skill_missing",
                message="Norskmålet må ha et nivå for hver delferdighet; mangler: "
                + ", ".join(missing),
                basis=BASIS_GUIDING_LEVELS,
                params={"missing": missing},
            )


@dataclass(frozen=True, slots=True)
class ProposedNorskmaal:
    levels: Mapping[Skill, CefrLevel]
    row_id: str
    basis: tuple[LegalBasis, ...]


def has_norskmaal(regime: Regime, params: NorskmaalParams | None = None) -> bool:
    """Only integreringsloven persons get a norskmaal; kap. 6A by configuration (N5-a)."""
    params = params or NorskmaalParams()
    if regime is Regime.INTEGRERINGSLOVEN_KAP6A:
        return params.kap6a_norskmaal_allowed
    return regime is Regime.INTEGRERINGSLOVEN


def propose_norskmaal(
    background: EducationBackground,
    as_of: dt.date,
    *,
    needs_b2: bool = False,
    params: NorskmaalParams | None = None,
) -> ProposedNorskmaal:
    """The guiding levels in force on ``as_of`` for the education background (N2-a)."""
    params = params or NorskmaalParams()
    candidates = [
        row
        for row in params.guiding_levels
        if row.background is background
        and row.needs_b2 is (needs_b2 and background is EducationBackground.VIDEREGAENDE)
        and row.effective_from <= as_of
    ]
    if not candidates:
        raise RuleViolation(
            field="education_background",
            code="norsk.norskmaal.no_guiding_levels",
            message=f"Ingen veiledende minimumsnivåer gjelder {as_of:%d.%m.%Y}.",
            basis=BASIS_GUIDING_LEVELS,
            params={"as_of": as_of.isoformat()},
        )
    row = max(candidates, key=lambda r: r.effective_from)
    return ProposedNorskmaal(row.levels, row.row_id, (row.basis, BASIS_PROPOSED))


def check_new_norskmaal(
    regime: Regime,
    versions: Sequence[Norskmaal],
    new: Norskmaal,
    params: NorskmaalParams | None = None,
) -> None:
    """A norskmaal only where the regime has one; a new version starts after the last one."""
    if not has_norskmaal(regime, params):
        raise RuleViolation(
            field="norskmaal",
            code="norsk.norskmaal.not_registered_for_regime",
            message="Norskmål registreres ikke for personer omfattet av introduksjonsloven.",
            basis=BASIS_NOT_INTRODUKSJONSLOVEN,
            params={"regime": regime.value},
        )
    latest = max((v.valid_from for v in versions), default=None)
    if latest is not None and new.valid_from <= latest:
        raise RuleViolation(
            field="valid_from",
            code="norsk.norskmaal.valid_from_not_after_previous",
            message=(
                f"Et nytt norskmål må gjelde fra en dato etter forrige versjon ({latest:%d.%m.%Y})."
            ),
            basis=BASIS_VERSIONED,
            params={"previous_valid_from": latest.isoformat()},
        )


def norskmaal_on(versions: Sequence[Norskmaal], as_of: dt.date) -> Norskmaal | None:
    """The version in force on ``as_of``: the latest that starts on or before it."""
    in_force = [v for v in versions if v.valid_from <= as_of]
    return max(in_force, key=lambda v: v.valid_from) if in_force else None
