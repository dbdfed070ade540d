"""The municipalities of 2024 (SSB KLASS 131), shipped with the register."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

KOMMUNER_2024_CSV = Path(__file__).parent / "data" / "kommuner-2024.csv"
VALID_FROM_2024 = dt.date(2024, 1, 1)

# Where the file carries only the Sámi or Kven form, SSB's official name joins both.
OFFICIAL_NAMES = {
    "1875": "Hamarøy - Hábmer",
    "5512": "Tjeldsund - Dielddanuorri",
    "5518": "Lavangen - Loabák",
    "1826": "Hattfjelldal - Aarborte",
    "5041": "Snåsa - Snåase",
    "5043": "Røyrvik - Raarvihke",
    "5540": "Kåfjord - Gáivuotna - Kaivuono",
    "5610": "Karasjok - Kárášjohka",
    "5612": "Kautokeino - Guovdageaidnu",
    "5628": "Tana - Deatnu",
    "5636": "Nesseby - Unjárga",
}


@dataclass(frozen=True, slots=True)
class KommuneRow:
    number: str
    name: str
    display_name: str
    county_number: str
    county_name: str


def read_kommuner_2024(path: Path = KOMMUNER_2024_CSV) -> list[KommuneRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            KommuneRow(
                number=row["kommunenummer"],
                name=row["kommunenavn"],
                display_name=OFFICIAL_NAMES.get(row["kommunenummer"], row["kommunenavn"]),
                county_number=row["fylkesnummer"],
                county_name=row["fylkesnavn"],
            )
            for row in csv.DictReader(handle)
        ]
