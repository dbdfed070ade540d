"""The configuration of the Norwegian-training scheme: every **Decision** of rules-norsk.md.

Each module owns its parameters with the book's defaults; ``NorskConfig`` composes them, so
a deployment overrides one value without knowing the others, and a rules function takes only
the part it reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nir.rules.norsk.final_tests import FinalTestParams
from nir.rules.norsk.frist import FristParams
from nir.rules.norsk.hours import HoursParams
from nir.rules.norsk.norskmaal import NorskmaalParams
from nir.rules.norsk.rights import RightsParams


@dataclass(frozen=True, slots=True)
class NorskConfig:
    rights: RightsParams = field(default_factory=RightsParams)
    hours: HoursParams = field(default_factory=HoursParams)
    norskmaal: NorskmaalParams = field(default_factory=NorskmaalParams)
    frist: FristParams = field(default_factory=FristParams)
    final_tests: FinalTestParams = field(default_factory=FinalTestParams)


DEFAULT_NORSK_CONFIG = NorskConfig()
