"""Varied synthetic registers as the statistics read them, without a database: the demo's
generator over every municipality, at several sizes."""

from __future__ import annotations

import datetime as dt
import random

from nir.register.figure_states import StatRow
from nir.register.kommuner import read_kommuner_2024
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG
from nir.rules.termination import TERMINATION_REASONS


def stat_rows(
    participants: int, *, seed: int, today: dt.date = dt.date(2026, 11, 1)
) -> list[StatRow]:
    kommuner = {k.number: k for k in read_kommuner_2024()}
    register = SyntheticRegister(today=today, config=DEFAULT_CONFIG, seed=seed)
    rng = random.Random(seed)
    reasons = sorted(TERMINATION_REASONS)
    rows = []
    plan = register.kommune_plan(sorted(kommuner), participants)
    for n, item in enumerate(register.participations(plan)):
        k = kommuner[item.kommune_number]
        end, reason = None, ""
        if item.termination is not None:
            end, reason = item.termination[0], item.termination[1]
        elif rng.random() < 0.25:
            # Ended by the register or otherwise, with a reason from every outcome.
            end = item.start_date + dt.timedelta(days=rng.randint(60, 900))
            reason = rng.choice(reasons) if end <= today else ""
            if end > today:
                end = None
        rows.append(
            StatRow(
                n,
                f"{k.number} {k.display_name}",
                f"{k.county_number} {k.county_name}",
                item.regime.value,
                item.start_date,
                end,
                reason,
                item.sex,
                item.birth_date,
            )
        )
    return rows
