"""Loading a synthetic register in bulk, for the demo and for benchmarks.

It computes every frist through the same rules as the services, writes in chunks of one
transaction each (a crash loses at most the chunk in progress, never half a participant)
and appends one history event per participation, marked with the seed channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import islice
from zoneinfo import ZoneInfo

from django.db import transaction

from nir.register.models import (
    Decision,
    Extension,
    HistoryEvent,
    Kommune,
    Leave,
    Measure,
    Participation,
    Person,
    SluttmaalVersion,
    Stop,
    TerminationSource,
)
from nir.register.services.context import Channel
from nir.register.synthetic import SyntheticParticipation
from nir.rules import frist as frist_rules
from nir.rules.config import RuleConfig
from nir.rules.participation import (
    DatedStop,
    ParticipationFacts,
    derivation_as_json,
    derive_frist,
)

OSLO = ZoneInfo("Europe/Oslo")
SEED_ACTOR = "syntetiske data"


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=OSLO)


SEED_FIELDS: dict[str, object] = {"registered_by": SEED_ACTOR, "channel": Channel.SEED.value}


def load_synthetic(
    items: Iterable[SyntheticParticipation],
    *,
    config: RuleConfig,
    chunk_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    kommuner = {k.number: k.pk for k in Kommune.objects.filter(valid_to__isnull=True)}
    iterator = iter(items)
    total = 0
    while chunk := list(islice(iterator, chunk_size)):
        with transaction.atomic():
            _load_chunk(chunk, kommuner, config)
        total += len(chunk)
        if progress is not None:
            progress(len(chunk))
    return total


def _load_chunk(
    chunk: list[SyntheticParticipation], kommuner: dict[str, int], config: RuleConfig
) -> None:
    persons = Person.objects.bulk_create(
        Person(
            identity_number=i.identity_number,
            identity_kind="d_nummer" if int(i.identity_number[0]) >= 4 else "fodselsnummer",
            duf_number=i.duf_number,
            given_name=i.given_name,
            family_name=i.family_name,
            birth_date=i.birth_date,
            sex=i.sex,
            permit_type=i.permit_type.value,
            permit_date=i.permit_date,
            arrival_date=i.arrival_date,
            settlement_date=i.settlement_date,
            has_upper_secondary=i.has_upper_secondary,
            registered_by_kommune_id=kommuner[i.kommune_number],
        )
        for i in chunk
    )
    participations = []
    for item, person in zip(chunk, persons, strict=True):
        result = derive_frist(
            ParticipationFacts(
                regime=item.regime,
                start=item.start_date,
                birth_date=item.birth_date,
                has_upper_secondary=item.has_upper_secondary,
                sluttmaal=item.sluttmaal,
                extensions=[
                    frist_rules.Extension(f"extension:{n}", m, d)
                    for n, (m, d) in enumerate(item.extensions)
                ],
                leaves=[
                    DatedStop(f"leave:{n}", t, s, e) for n, (t, s, e, _) in enumerate(item.leaves)
                ],
            ),
            config,
        )
        end, reason, _ = item.termination or (None, "", None)
        participations.append(
            Participation(
                person=person,
                kommune_id=kommuner[item.kommune_number],
                case_id=item.case_id,
                regime=item.regime.value,
                category=item.category,
                start_date=item.start_date,
                programme_group=result.group.group.value,
                rule_row=result.row.row_id,
                sluttmaal_missing=result.group.sluttmaal_missing,
                frist=result.derivation.frist,
                frist_derivation=derivation_as_json(result),
                end_date=end,
                termination_reason=reason,
                termination_source=TerminationSource.USER.value if end else "",
            )
        )
    Participation.objects.bulk_create(participations)

    pairs = list(zip(chunk, participations, strict=True))
    SluttmaalVersion.objects.bulk_create(
        SluttmaalVersion(
            participation=p, sluttmaal=i.sluttmaal.value, valid_from=i.start_date, **SEED_FIELDS
        )
        for i, p in pairs
        if i.sluttmaal is not None
    )
    Decision.objects.bulk_create(
        Decision(
            participation=p, decision_type=kind, decided_on=i.start_date - offset, **SEED_FIELDS
        )
        for i, p in pairs
        for kind, offset in (("innvilget", dt.timedelta(days=14)), ("oppstart", dt.timedelta()))
    )
    Leave.objects.bulk_create(
        Leave(participation=p, leave_type=t, start_date=s, end_date=e, decided_on=d, **SEED_FIELDS)
        for i, p in pairs
        for t, s, e, d in i.leaves
    )
    Extension.objects.bulk_create(
        Extension(participation=p, months=m, decided_on=d, **SEED_FIELDS)
        for i, p in pairs
        for m, d in i.extensions
    )
    Stop.objects.bulk_create(
        [
            Stop(
                participation=p,
                kind="midlertidig",
                start_date=s,
                end_date=e,
                decided_on=d,
                **SEED_FIELDS,
            )
            for i, p in pairs
            if i.temporary_stop
            for s, e, d in [i.temporary_stop]
        ]
        + [
            Stop(
                participation=p,
                kind="varig",
                start_date=i.termination[0],
                end_date=None,
                decided_on=i.termination[0],
                **SEED_FIELDS,
            )
            for i, p in pairs
            if i.permanent_stop and i.termination
        ]
    )
    Measure.objects.bulk_create(
        Measure(
            participation=p,
            measure_type=t,
            start_date=s,
            end_date=e,
            hours_per_week=Decimal(str(h)),
            **SEED_FIELDS,
        )
        for i, p in pairs
        for t, s, e, h in i.measures
    )
    active = {"end_date": None, "termination_reason": "", "termination_source": ""}
    events = [
        HistoryEvent(
            occurred_at=_moment(i.start_date),
            actor=SEED_ACTOR,
            channel=Channel.SEED.value,
            action="participation_seeded",
            kommune_id=p.kommune_id,
            person_id=p.person_id,
            participation=p,
            entity="participation",
            entity_id=p.pk,
            after={
                "regime": p.regime,
                "start_date": p.start_date.isoformat(),
                "frist": p.frist.isoformat(),
                **active,
            },
        )
        for i, p in pairs
    ]
    # The termination as registered on its own day, so that the register can be read as it
    # stood on any earlier date (the annual cut-off).
    events += [
        HistoryEvent(
            occurred_at=_moment(i.termination[2]),
            actor=SEED_ACTOR,
            channel=Channel.SEED.value,
            action="termination_registered",
            kommune_id=p.kommune_id,
            person_id=p.person_id,
            participation=p,
            entity="participation",
            entity_id=p.pk,
            before={"frist": p.frist.isoformat(), **active},
            after={
                "frist": p.frist.isoformat(),
                "end_date": i.termination[0].isoformat(),
                "termination_reason": i.termination[1],
                "termination_source": "user",
            },
        )
        for i, p in pairs
        if i.termination is not None
    ]
    HistoryEvent.objects.bulk_create(events, batch_size=2000)
