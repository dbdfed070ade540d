"""The configurable rules: every **Decision** of rules.md that the sources leave open.

The defaults are rules.md's; a deployment overrides them through settings (see
``docs/rules.md``), and tests build their own. Functions of the rules package take the
config as an argument, never read global state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from nir.rules.norsk.config import NorskConfig
from nir.rules.programme_length import (
    DEFAULT_PROGRAMME_LENGTHS,
    ProgrammeGroup,
    ProgrammeLengthRow,
)
from nir.rules.regime import RegimeParameters
from nir.rules.registration_window import WindowParameters
from nir.rules.termination import TerminationParameters


@dataclass(frozen=True, slots=True)
class ClockStopType:
    """A type of leave or dated absence, and whether it moves the frist day for day."""

    code: str
    label_nb: str
    extends_deadline: bool


DEFAULT_LEAVE_TYPES: Mapping[str, ClockStopType] = MappingProxyType(
    {
        t.code: t
        for t in (
            ClockStopType("foreldrepermisjon", "Foreldrepermisjon", True),
            ClockStopType("omsorgspermisjon", "Omsorgspermisjon", True),
            ClockStopType("sykdom", "Permisjon ved langvarig sykdom (legeerklæring)", True),
            ClockStopType("annen", "Annen innvilget permisjon", True),
        )
    }
)

DEFAULT_ABSENCE_TYPES: Mapping[str, ClockStopType] = MappingProxyType(
    {
        t.code: t
        for t in (
            # Hour-counted valid absence never moves the frist; only dated types can.
            ClockStopType("gyldig_fravaer", "Gyldig fravær", False),
            ClockStopType("sykefravaer_legeerklaering", "Sykefravær med legeerklæring", False),
            ClockStopType("ugyldig_fravaer", "Ugyldig fravær", False),
        )
    }
)


# A rules module that reads configuration owns its parameters as a small dataclass, and
# RuleConfig extends them: every rule takes the one config the register builds, while the
# module never imports this one (regime -> config would close a cycle through
# programme_length). The modules that read the whole config (participation, in_force)
# compose the rules and import it.
@dataclass(frozen=True, slots=True)
class RuleConfig(RegimeParameters, WindowParameters, TerminationParameters):
    programme_lengths: tuple[ProgrammeLengthRow, ...] = DEFAULT_PROGRAMME_LENGTHS
    leave_types: Mapping[str, ClockStopType] = field(default_factory=lambda: DEFAULT_LEAVE_TYPES)
    absence_types: Mapping[str, ClockStopType] = field(
        default_factory=lambda: DEFAULT_ABSENCE_TYPES
    )
    # The group whose length applies while an integreringsloven participant has no sluttmål.
    group_without_sluttmaal: ProgrammeGroup = ProgrammeGroup.P14_ANDRE
    # Synthetic test identity numbers (month + 80) only where test data is allowed.
    allow_synthetic_identity_numbers: bool = False
    # Termination reasons left out of the outcome figures' denominator (not published).
    outcome_excluded_reasons: frozenset[str] = frozenset({"flyttet", "utvandret", "dod"})
    # Dates the register accepts at all (nir.rules.input_limits): a register's decision.
    earliest_date: dt.date = dt.date(1900, 1, 1)
    latest_date: dt.date = dt.date(2100, 12, 31)
    # The Norwegian-training scheme's own decisions (rules-norsk.md); leave types, the
    # registration window and grants above are shared with it.
    norsk: NorskConfig = field(default_factory=NorskConfig)


DEFAULT_CONFIG = RuleConfig()
