"""The facts the rules read from a Norwegian-training ordning's rows (rules-norsk.md N1-N6):
its norskmaal versions, test results and exemptions, the person as the ordning holds them,
the day a duty-only person's hours were completed, and all the system's ends look at.
Read on the context's row store, so a preview reads what the save would."""

from __future__ import annotations

import datetime as dt

from nir.register.norsk_models import (
    NorskExemption,
    NorskHours,
    NorskmaalVersion,
    NorskParticipation,
    NorskTestResult,
)
from nir.register.services.context import WriteContext
from nir.rules.norsk.end_reasons import SystemEndFacts
from nir.rules.norsk.final_tests import FinalTestKind, FinalTestResult, ResultSource
from nir.rules.norsk.fritak import Fritak, FritakGround, FritakKind
from nir.rules.norsk.hours import HoursDone, Subject, plikt_hours_completed_on, timemaal
from nir.rules.norsk.norskmaal import CefrLevel, Norskmaal, NorskmaalKind, Skill
from nir.rules.norsk.rights import NorskCategory, NorskPersonFacts, PermitList, rights_end
from nir.rules.regime import Regime


def norskmaal_of(ctx: WriteContext, row: NorskParticipation) -> list[Norskmaal]:
    return [
        Norskmaal(
            str(v.pk),
            v.valid_from,
            NorskmaalKind(v.kind),
            {Skill(k): CefrLevel(level) for k, level in v.levels.items()},
        )
        for v in ctx.store.norsk_rows(NorskmaalVersion, row)
    ]


def test_results_of(ctx: WriteContext, row: NorskParticipation) -> list[FinalTestResult]:
    return [
        FinalTestResult(
            str(r.pk),
            FinalTestKind(r.kind),
            r.test_date,
            ResultSource(r.source),
            {Skill(k): CefrLevel(level) for k, level in r.levels.items()},
            r.passed,
            r.test_site,
            r.document_ref,
        )
        for r in ctx.store.norsk_rows(NorskTestResult, row)
    ]


def exemptions_of(ctx: WriteContext, row: NorskParticipation) -> list[Fritak]:
    return [
        Fritak(
            str(e.pk),
            FritakKind(e.kind),
            FritakGround(e.ground),
            e.decision_date,
            e.ends_right,
            e.medical_statement,
        )
        for e in ctx.store.norsk_rows(NorskExemption, row)
    ]


def person_facts(row: NorskParticipation) -> NorskPersonFacts:
    """The person's facts as the ordning holds them (its regime and permit list frozen at
    the start, N1-b), for the rules that read them after the start."""
    person = row.person
    return NorskPersonFacts(
        Regime(row.regime),
        PermitList(row.permit_list),
        person.birth_date,
        person.permit_date,
        permit_granted_abroad=row.permit_granted_abroad,
        arrival_date=person.arrival_date,
    )


def hours_completed_on(ctx: WriteContext, row: NorskParticipation) -> dt.date | None:
    """Duty only: the day the hours registered met both hour targets (N1, N6)."""
    category = NorskCategory(row.category)
    target = timemaal(person_facts(row), category, ctx.config.norsk.hours)
    done = [
        HoursDone(Subject(h.subject), h.end_date, h.hours)
        for h in ctx.store.norsk_rows(NorskHours, row)
    ]
    completed = plikt_hours_completed_on(target, category, done, ctx.config.norsk.hours)
    return None if completed is None else completed.on


def system_end_facts(ctx: WriteContext, row: NorskParticipation) -> SystemEndFacts:
    return SystemEndFacts(
        birthday_67=rights_end(person_facts(row), ctx.config.norsk.rights),
        norskmaal=norskmaal_of(ctx, row),
        results=test_results_of(ctx, row),
        fritak=exemptions_of(ctx, row),
        hours_completed_on=hours_completed_on(ctx, row),
        frist=row.frist,
    )
