"""The Norwegian-training ingest, measured as the programme's (``nir.bench.ingest``): the
same number of records, sent over HTTP in batches of 1,000 by four municipalities at once to
two server processes, against the same rows written by COPY (PostgreSQL) or in one
transaction (SQLite), every row removed afterwards.

The records are ordninger the register has never seen, of persons it has never seen, as an
adult-education office's case system sends them after the start: the permit's group, the
education background, the norskmål where the regime has one, the hours so far, and for some
a leave, a social-studies test passed, a Norwegian test that reaches the norskmål (the
register then ends the ordning itself, N6) or an end the municipality registers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from nir.bench.ingest import IngestScheme, newcomer, parental_leave
from nir.register.norsk_models import NorskParticipation
from nir.register.services.upsert.norsk_canonical import NORSK_ROW_MODEL
from nir.rules.schemes import Scheme

# The norskmål a caseworker proposes by education background (N2-a), the same per skill.
_GOAL_LEVEL = {"videregaende": "B1", "grunnskole": "A2", "uten_grunnskole": "A2"}
_SKILLS = ("lytteforstaaelse", "leseforstaaelse", "skriftlig_fremstilling", "muntlig_kommunikasjon")


def _levels(level: str) -> dict[str, str]:
    return dict.fromkeys(_SKILLS, level)


def norsk_newcomer_records(
    count: int, *, as_of: dt.date, prefix: str, seed: int
) -> Iterator[dict[str, object]]:
    """New ordninger as a case system sends them (see the module)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, reproducible by seed
    taken: set[str] = set()
    for n in range(count):
        new = newcomer(rng, as_of, taken)
        kap6a = new.person["permit_type"] == "kollektiv_beskyttelse"
        if new.upper_secondary:
            background = "videregaende"
        else:
            background = "grunnskole" if rng.random() < 0.7 else "uten_grunnskole"
        start = new.start
        record: dict[str, object] = {
            "case_id": f"{prefix}-{n:07d}",
            "person": new.person,
            "start_date": start.isoformat(),
            "permit_list": "kollektiv_beskyttelse" if kap6a else "ss27",
            "education_background": background,
            "norskmaal": [
                {"valid_from": start.isoformat(), "levels": _levels(_GOAL_LEVEL[background])}
            ],
            "hours": [
                {
                    "subject": "norsk",
                    "start_date": start.isoformat(),
                    "end_date": (as_of - dt.timedelta(days=1)).isoformat(),
                    "hours": rng.choice([20, 37.5, 45, 60]),
                }
            ],
        }
        record |= _events_of_some(rng, start, as_of, _GOAL_LEVEL[background])
        yield record


def _events_of_some(
    rng: random.Random, start: dt.date, as_of: dt.date, goal: str
) -> dict[str, object]:
    """A leave for some, a social-studies test for a few, a Norwegian test reaching the
    norskmål or the municipality's end for fewer."""
    events: dict[str, object] = {}
    if rng.random() < 0.15:
        events["leaves"] = [parental_leave(rng, start)]
    tests: list[dict[str, object]] = []
    if rng.random() < 0.1:
        tests.append(
            {
                "kind": "samfunnskunnskapsprove",
                "test_date": (start + dt.timedelta(days=5)).isoformat(),
                "passed": True,
                "document_ref": "Vitnemålsportalen",
            }
        )
    if rng.random() < 0.03:
        tests.append(
            {
                "kind": "norskprove",
                "test_date": (as_of - dt.timedelta(days=2)).isoformat(),
                "levels": _levels(goal),
                "document_ref": "Vitnemålsportalen",
            }
        )
    elif rng.random() < 0.03:
        events["end"] = {
            "end_date": (as_of - dt.timedelta(days=1)).isoformat(),
            "reason": "flyttet",
        }
    if tests:
        events["test_results"] = tests
    return events


NORSK = IngestScheme(
    "Norsk: API-innlesing",
    "nye ordninger",
    "/api/v1/batch/norsk-participations",
    Scheme.NORSK,
    NorskParticipation,
    tuple(NORSK_ROW_MODEL.values()),
    "norsk_participation_id",
    lambda count, as_of, prefix, seed: norsk_newcomer_records(
        count, as_of=as_of, prefix=prefix, seed=seed
    ),
)
