"""Final tests (avsluttende proever): who must take them, their results, and whether the
results reach the norskmaal (rules-norsk.md N4, N2-b)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation
from nir.rules.norsk.norskmaal import CefrLevel, Norskmaal, NorskmaalKind, Skill
from nir.rules.norsk.rights import IMDI_TIMER_INTRODUKSJONSLOVEN, NorskCategory
from nir.rules.regime import Regime


class FinalTestKind(StrEnum):
    NORSKPROVE = "norskprove"  # levelled A1-B2 per skill
    NORSKPROVE_C1 = "norskprove_c1"  # C1 or not passed
    SAMFUNNSKUNNSKAPSPROVE = "samfunnskunnskapsprove"  # passed or not


class ResultSource(StrEnum):
    """Decision N4-b: results come by an import from HK-dir, or by hand with a document."""

    HKDIR_IMPORT = "hkdir_import"
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class FinalTestResult:
    """One sitting of a test; a skill not passed is left out of ``levels``."""

    ref: str
    kind: FinalTestKind
    test_date: dt.date
    source: ResultSource
    levels: Mapping[Skill, CefrLevel] = field(default_factory=lambda: MappingProxyType({}))
    passed: bool | None = None  # the social-studies test
    test_site: str = ""
    document_ref: str = ""  # required for a result entered by hand


@dataclass(frozen=True, slots=True)
class FinalTestDuty:
    applies: bool
    basis: LegalBasis


@dataclass(frozen=True, slots=True)
class FinalTestParams:
    # introduksjonsloven § 19 second paragraph: tests mandatory for permits from this date.
    introduksjonsloven_test_duty_from: dt.date = dt.date(2013, 9, 1)


BASIS_TEST_DUTY_INTRODUKSJONSLOVEN = LegalBasis(
    "norsk.tests.duty_introduksjonsloven",
    "introduksjonsloven § 19 andre ledd: plikt til avsluttende prøve i norsk og "
    "samfunnskunnskap for rett og plikt etter § 17 første ledd, tillatelse fra 1.9.2013",
    BasisKind.LOV,
    IMDI_TIMER_INTRODUKSJONSLOVEN,
)
BASIS_TEST_DUTY = LegalBasis(
    "norsk.tests.duty_integreringsloven",
    "Registerets regel: prøveplikten gjelder alle med plikt til opplæring etter "
    "integreringsloven (rett og plikt eller bare plikt), ikke kap. 6A (rett uten plikt)",
    BasisKind.BESLUTNING,
)
BASIS_TEST_LEVELS = LegalBasis(
    "norsk.tests.levels",
    "IMDis og HK-dirs praksis: Norskprøve A1–B2 gir nivå per delferdighet; Norskprøve C1 gir "
    "C1 eller ikke bestått",
    BasisKind.PRAKSIS,
    "https://www.kompetansenorge.no/norskproven-c1-hogare-akademisk-niva/resultat/",
)
BASIS_RESULT_SOURCE = LegalBasis(
    "norsk.tests.result_source",
    "Registerets regel: prøveresultater importeres fra HK-dir eller registreres manuelt med "
    "dokumentreferanse; det beste resultatet per delferdighet teller",
    BasisKind.BESLUTNING,
)
BASIS_NORSKMAAL_REACHED = LegalBasis(
    "norsk.tests.norskmaal_reached",
    "integreringsloven § 32 (IMDis veileder om varighet og omfang): retten og plikten gjelder "
    "til deltakeren har nådd minimumsnivået i hver delferdighet",
    BasisKind.LOV,
    "https://www.imdi.no/kvalifisering/regelverk/norsk-og-samfunnskunnskap/"
    "varighet-og-omfang-av-opplaring-i-norsk-og-samfunnskunnskap/",
)

_NORSKPROVE_LEVELS = frozenset({CefrLevel.A1, CefrLevel.A2, CefrLevel.B1, CefrLevel.B2})


def final_test_duty(
    regime: Regime,
    category: NorskCategory | None,
    permit_date: dt.date,
    params: FinalTestParams | None = None,
) -> FinalTestDuty:
    """Whether the person must take the final tests (N4, Decision N4-a)."""
    params = params or FinalTestParams()
    if regime is Regime.INTRODUKSJONSLOVEN:
        applies = (
            category is NorskCategory.RETT_OG_PLIKT
            and permit_date >= params.introduksjonsloven_test_duty_from
        )
        return FinalTestDuty(applies, BASIS_TEST_DUTY_INTRODUKSJONSLOVEN)
    applies = regime is Regime.INTEGRERINGSLOVEN and category is not None and category.has_duty
    return FinalTestDuty(applies, BASIS_TEST_DUTY)


def _refuse(
    code: str, result: FinalTestResult, basis: LegalBasis, *, message: str
) -> RuleViolation:
    return RuleViolation(
        field="test_result",
        code=f"norsk.tests.{code}",
        message=message,
        basis=basis,
        params={"ref": result.ref, "kind": result.kind.value},
    )


def check_test_result(result: FinalTestResult) -> None:
    """A result as the test can give it, with a document reference when entered by hand."""
    if result.source is ResultSource.MANUAL and not result.document_ref.strip():
        raise _refuse(
            "document_missing",
            result,
            BASIS_RESULT_SOURCE,
            message="Et manuelt registrert prøveresultat må ha en dokumentreferanse.",
        )
    levels = set(result.levels.values())
    if result.kind is FinalTestKind.NORSKPROVE and not levels <= _NORSKPROVE_LEVELS:
        raise _refuse(
            "level_outside_test",
            result,
            BASIS_TEST_LEVELS,
            message="Norskprøven A1–B2 gir nivå A1, A2, B1 eller B2 per delferdighet.",
        )
    if result.kind is FinalTestKind.NORSKPROVE_C1 and not levels <= {CefrLevel.C1}:
        raise _refuse(
            "level_outside_test",
            result,
            BASIS_TEST_LEVELS,
            message="Norskprøve C1 har to mulige resultater: C1 eller ikke bestått.",
        )
    samf = result.kind is FinalTestKind.SAMFUNNSKUNNSKAPSPROVE
    if samf != (result.passed is not None) or (samf and result.levels):
        raise _refuse(
            "pass_fail_only_social_studies",
            result,
            BASIS_TEST_LEVELS,
            message=(
                "Samfunnskunnskapsprøven er bestått eller ikke bestått; norskprøven gir nivåer."
            ),
        )


def best_levels(results: Sequence[FinalTestResult], as_of: dt.date) -> dict[Skill, CefrLevel]:
    """The best Norwegian level per skill over the results taken on or before ``as_of``."""
    best: dict[Skill, CefrLevel] = {}
    for result in results:
        if result.test_date > as_of or result.kind is FinalTestKind.SAMFUNNSKUNNSKAPSPROVE:
            continue
        for skill, level in result.levels.items():
            if skill not in best or level.rank > best[skill].rank:
                best[skill] = level
    return best


def _levels_reached(target: Mapping[Skill, CefrLevel], best: Mapping[Skill, CefrLevel]) -> bool:
    return all(skill in best and best[skill].reaches(level) for skill, level in target.items())


def norskmaal_reached_on(
    norskmaal: Sequence[Norskmaal], results: Sequence[FinalTestResult]
) -> dt.date | None:
    """The first test date on which the results taken so far reach the norskmaal then in
    force (Decision N2-b), or None. Each skill's best result counts (Decision N4-b); the
    alternative goal is a passed Norskprøve C1. Grade 2 is documented outside the tests.
    """
    for day in sorted({r.test_date for r in results}):
        in_force = [v for v in norskmaal if v.valid_from <= day]
        if not in_force:
            continue
        target = max(in_force, key=lambda v: v.valid_from)
        taken = [r for r in results if r.test_date <= day]
        if target.kind is NorskmaalKind.LEVELS:
            if _levels_reached(target.levels, best_levels(taken, day)):
                return day
        elif target.kind is NorskmaalKind.NORSKPROVE_C1 and any(
            r.kind is FinalTestKind.NORSKPROVE_C1 and r.levels for r in taken
        ):
            return day
    return None
