"""The synthetic participants' Norwegian-training ordninger: most kap. 6A participants, and
more than half of the other integreringsloven participants, have both schemes, starting on
the programme's day. Plain values: the loader starts each through the scheme's own service
(services/bulk_load.py), which derives the category and the frist and refuses a person the
rules put outside the target group (N1).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from nir.rules.norsk.norskmaal import EducationBackground
from nir.rules.norsk.rights import PermitList
from nir.rules.regime import PermitType, Regime

# How often a synthetic programme participant also has the Norwegian scheme, by regime.
NORSK_SHARE = {Regime.INTEGRERINGSLOVEN_KAP6A: 0.85, Regime.INTEGRERINGSLOVEN: 0.6}
PERMIT_LISTS = {
    PermitType.KOLLEKTIV_BESKYTTELSE: PermitList.KOLLEKTIV_BESKYTTELSE,
    PermitType.FAMILIEINNVANDRING: PermitList.RETT_OG_PLIKT,
}


@dataclass(frozen=True, slots=True)
class SyntheticNorsk:
    start_date: dt.date
    permit_list: PermitList
    education_background: EducationBackground | None


def norsk_ordning(
    regime: Regime,
    permit_type: PermitType,
    has_upper_secondary: bool | None,
    start: dt.date,
    rng: random.Random,
) -> SyntheticNorsk | None:
    """The ordning of one programme participant, or None for one without the scheme."""
    if rng.random() >= NORSK_SHARE.get(regime, 0.0):
        return None
    return SyntheticNorsk(
        start,
        PERMIT_LISTS.get(permit_type, PermitList.RETT_OG_PLIKT),
        _education(has_upper_secondary, rng),
    )


def _education(has_upper_secondary: bool | None, rng: random.Random) -> EducationBackground | None:
    if has_upper_secondary is None:
        return None
    if has_upper_secondary:
        return EducationBackground.VIDEREGAENDE
    if rng.random() < 0.7:
        return EducationBackground.GRUNNSKOLE
    return EducationBackground.UTEN_GRUNNSKOLE
