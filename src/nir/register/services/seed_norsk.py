"""The synthetic register's Norwegian-training ordninger, loaded after ``load_synthetic``
(services/bulk_load.py): most kap. 6A participants have both schemes.

Each ordning starts through the scheme's own service (``start_norsk_participation``) on its
own day, so each gets its category, frist and derivation from the rules exactly as a
caseworker's would; a person the rules put outside the target group gets none. The seed is
reproducible for a given ``seed``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from nir.register.models import Participation
from nir.register.services.bulk_load import SEED_ACTOR, seed_instant
from nir.register.services.context import ALL_SCHEMES, Actor, Channel
from nir.register.services.norsk import NewNorskParticipation, start_norsk_participation
from nir.rules.errors import RuleViolation
from nir.rules.norsk.norskmaal import EducationBackground
from nir.rules.norsk.rights import PermitList
from nir.rules.regime import PermitType, Regime

SEED = Actor(SEED_ACTOR, Channel.SEED, None, ALL_SCHEMES)
# How often a seeded programme participant also has the Norwegian scheme, by regime.
NORSK_SHARE = {Regime.INTEGRERINGSLOVEN_KAP6A: 0.85, Regime.INTEGRERINGSLOVEN: 0.6}
PERMIT_LISTS = {
    PermitType.KOLLEKTIV_BESKYTTELSE: PermitList.KOLLEKTIV_BESKYTTELSE,
    PermitType.FAMILIEINNVANDRING: PermitList.RETT_OG_PLIKT,
}


def _education(has_upper_secondary: bool | None, rng: random.Random) -> EducationBackground | None:
    if has_upper_secondary is None:
        return None
    if has_upper_secondary:
        return EducationBackground.VIDEREGAENDE
    return (
        EducationBackground.GRUNNSKOLE
        if rng.random() < 0.7
        else EducationBackground.UTEN_GRUNNSKOLE
    )


def _start_norsk(p: Participation, rng: random.Random) -> bool:
    share = NORSK_SHARE.get(Regime(p.regime), 0.0)
    if rng.random() >= share:
        return False
    person = p.person
    new = NewNorskParticipation(
        start_date=p.start_date,
        permit_list=PERMIT_LISTS.get(PermitType(person.permit_type), PermitList.RETT_OG_PLIKT),
        education_background=_education(person.has_upper_secondary, rng),
    )
    try:
        start_norsk_participation(
            actor=SEED,
            person_id=person.pk,
            kommune_id=p.kommune_id,
            new=new,
            at=seed_instant(p.start_date),
        )
    except RuleViolation:
        return False  # outside the scheme's target group by the rules (N1)
    return True


def load_synthetic_norsk(
    *,
    after_participation: int,
    seed: int,
    chunk_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """The Norwegian ordninger of the participations with ids above ``after_participation``
    (those the synthetic load just wrote). Returns how many started."""
    rng = random.Random(seed)
    loaded = Participation.objects.filter(pk__gt=after_participation).select_related("person")
    norsk = 0
    last = after_participation
    while chunk := list(loaded.filter(pk__gt=last).order_by("pk")[:chunk_size]):
        last = chunk[-1].pk
        norsk += sum(_start_norsk(p, rng) for p in chunk)
        if progress is not None:
            progress(len(chunk))
    return norsk
