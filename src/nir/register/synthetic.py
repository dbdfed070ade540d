"""A synthetic register: realistic participants, all invented, for the demo and benchmarks.

The shape follows the published figures (rules.md §10, research-notes §10): about 70 % of
participants under kap. 6A, mostly women among them, starts spread from 2021 to today,
leave, extensions, stops, real terminations, and a share left without a reason so that the
sweep has work. Identity numbers are synthetic test numbers (month + 80), never real ones.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.core.management.base import CommandError

from nir.register.rule_config import rule_config
from nir.register.synthetic_norsk import SyntheticNorsk, norsk_ordning
from nir.register.synthetic_related import SyntheticRelatedItem, related_items
from nir.rules.config import RuleConfig
from nir.rules.dates import add_months
from nir.rules.frist import ExtensionFacts
from nir.rules.identity import make_valid_identity_number
from nir.rules.participation import DatedStop, ParticipationFacts, derive_frist
from nir.rules.programme_length import Sluttmaal
from nir.rules.regime import PermitType, Regime, determine_regime, suggest_category

GIVEN_NAMES_UA_F = [
    "Olena",
    "Iryna",
    "Tetiana",
    "Nataliia",
    "Oksana",
    "Yuliia",
    "Svitlana",
    "Kateryna",
    "Mariia",
    "Anastasiia",
    "Viktoriia",
    "Halyna",
    "Larysa",
]
GIVEN_NAMES_UA_M = [
    "Oleksandr",
    "Andrii",
    "Serhii",
    "Volodymyr",
    "Dmytro",
    "Mykola",
    "Ivan",
    "Yurii",
    "Oleh",
    "Vasyl",
    "Bohdan",
    "Taras",
]
FAMILY_NAMES_UA = [
    "Melnyk",
    "Shevchenko",
    "Kovalenko",
    "Bondarenko",
    "Boiko",
    "Tkachenko",
    "Kravchenko",
    "Kovalchuk",
    "Oliinyk",
    "Shevchuk",
    "Polishchuk",
    "Lysenko",
    "Marchenko",
    "Savchenko",
    "Rudenko",
    "Moroz",
    "Pavlenko",
    "Petrenko",
]
GIVEN_NAMES_OTHER_F = [
    "Amina",
    "Fatima",
    "Hiba",
    "Rahwa",
    "Senait",
    "Zainab",
    "Maryam",
    "Nour",
    "Yasmin",
    "Hawa",
    "Selam",
    "Aisha",
    "Layla",
    "Mahsa",
]
GIVEN_NAMES_OTHER_M = [
    "Ahmad",
    "Mohammed",
    "Omar",
    "Yonas",
    "Abdullahi",
    "Ali",
    "Hassan",
    "Khaled",
    "Tesfaye",
    "Samir",
    "Mustafa",
    "Bilal",
    "Dawit",
    "Farid",
]
FAMILY_NAMES_OTHER = [
    "Haddad",
    "Rahimi",
    "Hussaini",
    "Tesfamariam",
    "Abdi",
    "Mohamed",
    "Ahmadi",
    "Nasser",
    "Yohannes",
    "Al-Hassan",
    "Karimi",
    "Osman",
    "Ghebremedhin",
    "Sultani",
    "Habib",
    "Jama",
    "Noori",
    "Berhane",
]

# Large municipalities settle more refugees; the rest share evenly.
LARGE_KOMMUNER = {
    "0301": 30,
    "4601": 12,
    "5001": 10,
    "1103": 8,
    "3201": 6,
    "4204": 5,
    "3301": 5,
    "1108": 4,
    "5501": 4,
    "3907": 3,
    "3403": 3,
    "1506": 3,
}

REAL_REASONS = [
    ("arbeid", 36),
    ("utdanning_vgo", 6),
    ("utdanning_hoyere", 5),
    ("arbeid_og_utdanning", 3),
    ("grunnskole", 5),
    ("nav_tiltak", 15),
    ("flyttet", 6),
    ("avbrutt", 6),
    ("helse", 5),
    ("foreldrepermisjon", 4),
    ("utvandret", 3),
    ("tid_utlopt", 4),
    ("annet", 3),
]
LEAVE_TYPES = [("foreldrepermisjon", 5), ("omsorgspermisjon", 3), ("sykdom", 3), ("annen", 1)]
MEASURE_TYPES = [
    "norskopplaering",
    "samfunnskunnskap",
    "arbeidspraksis",
    "livsmestring",
    "foreldreveiledning",
    "grunnskole",
    "videregaende",
    "sprakpraksis",
    "kvalifisering_helsefag",
]


def require_test_data_allowed() -> None:
    """A command that loads synthetic persons refuses where test data is not allowed."""
    if not rule_config().allow_synthetic_identity_numbers:
        raise CommandError(
            "Synthetic data may only be loaded where test data is allowed: set "
            "NIR_ALLOW_SYNTHETIC_IDS=true (never in production)."
        )


@dataclass
class SyntheticParticipation:
    kommune_number: str
    identity_number: str
    duf_number: str
    given_name: str
    family_name: str
    birth_date: dt.date
    sex: str
    permit_type: PermitType
    permit_date: dt.date
    arrival_date: dt.date
    settlement_date: dt.date
    has_upper_secondary: bool | None
    regime: Regime
    category: str
    start_date: dt.date
    sluttmaal: Sluttmaal | None
    case_id: str
    leaves: list[tuple[str, dt.date, dt.date, dt.date]] = field(default_factory=list)
    extensions: list[tuple[int, dt.date]] = field(default_factory=list)
    temporary_stop: tuple[dt.date, dt.date, dt.date] | None = None
    measures: list[tuple[str, dt.date, dt.date | None, float]] = field(default_factory=list)
    # A real termination registered by the municipality: (end date, reason, registered on).
    termination: tuple[dt.date, str, dt.date] | None = None
    permanent_stop: bool = False
    # Beside the programme: an integreringsloven participant's related items (rules-norsk.md
    # N8) and Norwegian-training ordning.
    related_items: list[SyntheticRelatedItem] = field(default_factory=list)
    norsk: SyntheticNorsk | None = None


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    span = max((last - first).days, 0)
    return first + dt.timedelta(days=rng.randint(0, span))


class SyntheticRegister:
    """Deterministic for a given seed and ``today``."""

    def __init__(
        self,
        *,
        today: dt.date,
        config: RuleConfig,
        seed: int = 2024,
        beside_the_programme: bool = False,
    ) -> None:
        self.today = today
        # ``nir seed`` holds the related items and the Norwegian-training ordninger; the
        # tests' registers of the programme need them rarely.
        self.beside_the_programme = beside_the_programme
        self.config = config
        self.rng = random.Random(seed)
        # What is beside the programme draws from its own stream, so adding it changed no
        # other value.
        self.beside_rng = random.Random(seed + 8)
        self._individuals: Counter[dt.date] = Counter()
        self._case_numbers: Counter[str] = Counter()

    def kommune_plan(self, numbers: Sequence[str], count: int) -> list[str]:
        """Every municipality at least once (when ``count`` allows), the rest weighted."""
        plan = list(numbers)[:count] if count >= len(numbers) else []
        weights = [LARGE_KOMMUNER.get(n, 1) for n in numbers]
        plan += self.rng.choices(list(numbers), weights=weights, k=count - len(plan))
        self.rng.shuffle(plan)
        return plan

    def participations(self, kommune_numbers: Sequence[str]) -> Iterator[SyntheticParticipation]:
        for number in kommune_numbers:
            yield self.participation(number)

    def _identity(self, birth_date: dt.date, d_number: bool) -> str:
        while True:
            start = self._individuals[birth_date]
            if start >= 1000:
                birth_date += dt.timedelta(days=1)
                continue
            number = make_valid_identity_number(
                birth_date, start, d_number=d_number, synthetic=True
            )
            self._individuals[birth_date] = int(number[6:9]) + 1
            return number

    def _origin(self) -> tuple[bool, dt.date, PermitType, dt.date, bool]:
        """Displaced from Ukraine (kap. 6A) or not, the start, the permit and the sex."""
        rng, today, config = self.rng, self.today, self.config
        kap6a_last = min(today, (config.kap6a_expires or today) - dt.timedelta(days=1))
        ukrainian = rng.random() < 0.70 and kap6a_last > config.kap6a_in_force
        if ukrainian:
            start = _day_between(rng, config.kap6a_in_force, kap6a_last)
            permit_date = max(
                start - dt.timedelta(days=rng.randint(20, 150)), config.kap6a_eligible_from
            )
            return True, start, PermitType.KOLLEKTIV_BESKYTTELSE, permit_date, rng.random() < 0.78
        start = _day_between(rng, dt.date(2021, 1, 4), today - dt.timedelta(days=3))
        permit_type = rng.choice(
            [
                PermitType.FLYKTNING,
                PermitType.OVERFORINGSFLYKTNING,
                PermitType.FAMILIEINNVANDRING,
                PermitType.STERKE_MENNESKELIGE_HENSYN,
            ]
        )
        permit_date = start - dt.timedelta(days=rng.randint(30, 330))
        return False, start, permit_type, permit_date, rng.random() < 0.45

    def _names(self, ukrainian: bool, female: bool) -> tuple[str, str]:
        rng = self.rng
        if ukrainian:
            return (
                rng.choice(GIVEN_NAMES_UA_F if female else GIVEN_NAMES_UA_M),
                rng.choice(FAMILY_NAMES_UA),
            )
        return (
            rng.choice(GIVEN_NAMES_OTHER_F if female else GIVEN_NAMES_OTHER_M),
            rng.choice(FAMILY_NAMES_OTHER),
        )

    def participation(self, kommune_number: str) -> SyntheticParticipation:
        rng, config = self.rng, self.config
        ukrainian, start, permit_type, permit_date, female = self._origin()
        arrival = permit_date - dt.timedelta(days=rng.randint(0, 60))
        settlement = max(arrival, start - dt.timedelta(days=rng.randint(5, 85)))
        age = rng.choices(range(18, 56), weights=[3 if a < 46 else 2 for a in range(18, 56)])[0]
        # add_months clamps 29 February to the 28th in the years that lack it.
        birth = add_months(permit_date, -12 * age) - dt.timedelta(days=rng.randint(1, 360))
        regime = determine_regime(
            permit_type=permit_type,
            permit_date=permit_date,
            arrival_date=arrival,
            programme_start=start,
            config=config,
        ).regime
        upper_secondary: bool | None = rng.random() < (0.72 if ukrainian else 0.35)
        if rng.random() < 0.04:
            upper_secondary = None  # education background not registered
        sluttmaal = self._sluttmaal(regime, upper_secondary, start.year - birth.year)
        sex = "kvinne" if female else "mann"
        given, family = self._names(ukrainian, female)
        self._case_numbers[kommune_number] += 1
        item = SyntheticParticipation(
            kommune_number=kommune_number,
            identity_number=self._identity(birth, d_number=rng.random() < 0.3),
            duf_number=f"{permit_date.year}{rng.randint(0, 10**8 - 1):08d}",
            given_name=given,
            family_name=family,
            birth_date=birth,
            sex=sex,
            permit_type=permit_type,
            permit_date=permit_date,
            arrival_date=arrival,
            settlement_date=settlement,
            has_upper_secondary=upper_secondary,
            regime=regime,
            category=suggest_category(
                regime=regime,
                birth_date=birth,
                permit_date=permit_date,
                settled_by_agreement=True,
                programme_start=start,
            ).value,
            start_date=start,
            sluttmaal=sluttmaal,
            case_id=f"{kommune_number}-{start.year}-{self._case_numbers[kommune_number]:05d}",
        )
        self._registrations(item)
        if self.beside_the_programme and regime is not Regime.INTRODUKSJONSLOVEN:
            item.related_items = related_items(start, self.today, self.beside_rng)
            item.norsk = norsk_ordning(regime, permit_type, upper_secondary, start, self.beside_rng)
        return item

    def _sluttmaal(self, regime: Regime, vgo: bool | None, age: int) -> Sluttmaal | None:
        rng = self.rng
        if regime is Regime.INTRODUKSJONSLOVEN or rng.random() < 0.05:
            return None
        if vgo:
            return Sluttmaal(
                _weighted(
                    rng,
                    [
                        ("arbeid", 70),
                        ("hoyere_utdanning", 15),
                        ("godkjenning_utdanning", 10),
                        ("kompletterende_utdanning", 5),
                    ],
                )
            )
        if age < 25 and rng.random() < 0.8:
            return Sluttmaal.FULLFORT_VIDEREGAENDE
        return Sluttmaal(
            _weighted(
                rng,
                [
                    ("arbeid", 60),
                    ("grunnskole", 20),
                    ("deler_av_videregaende", 12),
                    ("fullfort_videregaende", 8),
                ],
            )
        )

    def _frist(self, item: SyntheticParticipation) -> tuple[dt.date, int]:
        result = derive_frist(
            ParticipationFacts(
                regime=item.regime,
                start=item.start_date,
                birth_date=item.birth_date,
                has_upper_secondary=item.has_upper_secondary,
                sluttmaal=item.sluttmaal,
                extensions=[
                    ExtensionFacts(str(i), m, d) for i, (m, d) in enumerate(item.extensions)
                ],
                leaves=[DatedStop(str(i), t, s, e) for i, (t, s, e, _) in enumerate(item.leaves)],
            ),
            self.config,
        )
        return result.derivation.frist, result.row.extension_limit_months

    def _registrations(self, item: SyntheticParticipation) -> None:
        rng, today = self.rng, self.today
        start = item.start_date
        frist, limit = self._frist(item)
        item.measures.append(("norskopplaering", start, None, 15.0))
        if rng.random() < 0.7:
            item.measures.append(
                (
                    rng.choice(MEASURE_TYPES[2:]),
                    start + dt.timedelta(days=rng.randint(14, 90)),
                    None,
                    15.0,
                )
            )
        if rng.random() < 0.12:
            leave_start = _day_between(rng, start + dt.timedelta(days=20), frist)
            if leave_start < today:
                leave_end = leave_start + dt.timedelta(days=rng.randint(20, 300))
                decided = max(start, leave_start - dt.timedelta(days=rng.randint(0, 20)))
                item.leaves.append((_weighted(rng, LEAVE_TYPES), leave_start, leave_end, decided))
                frist, _ = self._frist(item)
        if rng.random() < 0.22:
            decided = frist - dt.timedelta(days=rng.randint(5, 50))
            if start < decided < today:
                item.extensions.append((rng.choice([m for m in (3, 6, 12) if m <= limit]), decided))
                frist, _ = self._frist(item)
        if rng.random() < 0.03:
            stop_start = _day_between(rng, start + dt.timedelta(days=30), frist)
            if stop_start < today - dt.timedelta(days=30):
                item.temporary_stop = (stop_start, stop_start + dt.timedelta(days=30), stop_start)
        if rng.random() < 0.015:
            end = _day_between(rng, start + dt.timedelta(days=40), min(frist, today))
            item.termination = (end, "stans", end)
            item.permanent_stop = True
        elif frist < today:
            # Most municipalities register the reason; about a third do not (2023's problem).
            if rng.random() < 0.68:
                end = frist - dt.timedelta(days=rng.choice([0, 0, 0, 3, 14, 30, 60]))
                end = max(end, start)
                registered = min(today, end + dt.timedelta(days=rng.randint(0, 50)))
                item.termination = (end, _weighted(rng, REAL_REASONS), registered)
        elif rng.random() < 0.08:
            end = _day_between(rng, start, today - dt.timedelta(days=1))
            item.termination = (end, _weighted(rng, REAL_REASONS), end)
