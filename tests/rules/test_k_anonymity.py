"""k-anonymity by generalising whole columns, then leaving out the few rows still alone."""

from __future__ import annotations

import random
from collections import Counter

from nir.rules.k_anonymity import anonymise, category_ladder, date_ladder, year_ladder


def test_ladders_step_from_exact_to_nothing():
    assert date_ladder("2025-08-14") == ("2025-08-14", "2025-08", "2025-K3", "2025", "*")
    assert year_ladder(1993) == ("1993", "1990–1994", "1990–1999", "*")
    assert category_ladder("mann") == ("mann", "*")


def test_every_kept_row_shares_its_values_with_k_minus_one_others():
    rng = random.Random(4)
    records = [
        [
            date_ladder(f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"),
            year_ladder(rng.randint(1960, 2005)),
            category_ladder(rng.choice(["kvinne", "mann"])),
        ]
        for _ in range(400)
    ]
    result = anonymise(records, k=5)
    classes = Counter(tuple(r) for r in result.rows)
    assert min(classes.values()) >= 5
    assert result.suppressed <= 0.05 * len(records)
    assert result.levels[0] > 0  # exact dates cannot stay
    assert len(result.rows) + result.suppressed == len(records)


def test_rows_that_are_already_k_anonymous_are_left_as_registered():
    records = [[category_ladder("kvinne"), year_ladder(1990)] for _ in range(6)]
    result = anonymise(records, k=5)
    assert result.levels == [0, 0] and result.suppressed == 0
    assert result.rows[0] == ["kvinne", "1990"]


def test_too_few_rows_for_k_are_all_left_out():
    records = [[category_ladder("kvinne")] for _ in range(3)]
    assert anonymise(records, k=5).rows == []
