"""Norwegian identity numbers: fødselsnummer, D-nummer and synthetic test numbers.

An identity number has eleven digits ``d1 d2 m1 m2 y1 y2 i1 i2 i3 k1 k2``: the birth date
(day, month, two-digit year), a three-digit individual number and two check digits.

* A D-nummer has 4 added to the first digit of the day (days 41–71).
* A synthetic test number (Skatteetaten's test data, Tenor) has 80 added to the month
  (months 81–92). It may also be a D-nummer. Synthetic numbers are accepted only where the
  caller says test data is allowed (``allow_synthetic=True``).
* The first check digit follows the old rule (weighted sum ≡ 0 mod 11) or, for numbers
  issued from 2032, the new rule (weighted sum ≡ 0, 1, 2 or 3 mod 11). Both are accepted
  now. The second check digit is unchanged by the 2032 change.

What this module deliberately does NOT read from the number:

* Gender. There is no gender function here, and none should be added: from 2032 the
  individual number no longer carries gender (the third digit of the individual number
  is no longer even for women and odd for men), and the register records gender, if at
  all, as its own field.
* The century. From 2032 the individual number no longer tells the century reliably, so
  only day, month and the two-digit year are compared with a birth date.

Pure functions only: no database, no clock. Errors are :class:`RuleViolation` with stable
codes ``identity_number.format``, ``identity_number.synthetic_not_allowed``,
``identity_number.date`` and ``identity_number.check_digit``, checked in that order.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation

DEFAULT_FIELD: Final = "identity_number"

D_NUMBER_DAY_OFFSET: Final = 40
SYNTHETIC_MONTH_OFFSET: Final = 80

# Weights of the first check digit (over d1..i3 and k1) and the second (over d1..k1 and k2).
FIRST_CHECK_WEIGHTS: Final = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
SECOND_CHECK_WEIGHTS: Final = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
# Remainders of the first weighted sum (with k1) accepted by the 2032 rule; 0 is the old rule.
NEW_RULE_FIRST_REMAINDERS: Final = frozenset({0, 1, 2, 3})

_ELEVEN_DIGITS: Final = re.compile(r"[0-9]{11}")
_MASK: Final = "*****"

BASIS_FORMAT: Final = LegalBasis(
    rule_id="identity.format",
    reference="folkeregisterforskriften § 2-2-1 (fødselsnummer: 11 siffer)",
    kind=BasisKind.FORSKRIFT,
)
BASIS_DATE: Final = LegalBasis(
    rule_id="identity.date",
    reference="folkeregisterforskriften § 2-2-1 (fødselsnummer: fødselsdato)",
    kind=BasisKind.FORSKRIFT,
)
BASIS_D_NUMBER: Final = LegalBasis(
    rule_id="identity.d_number",
    reference="folkeregisterloven § 2-2, folkeregisterforskriften kap. 2 (D-nummer)",
    kind=BasisKind.FORSKRIFT,
)
BASIS_CHECK_DIGITS: Final = LegalBasis(
    rule_id="identity.check_digits",
    reference="folkeregisterforskriften § 2-2-1 (fødselsnummer: kontrollsiffer)",
    kind=BasisKind.FORSKRIFT,
)
# Synthetic numbers are Skatteetaten's test data, not a number in the folkeregister; that
# they are refused outside test data is the register's own decision.
BASIS_SYNTHETIC: Final = LegalBasis(
    rule_id="identity.synthetic",
    reference="Registerets regel: syntetiske testnumre (Skatteetatens Tenor: måned + 80) "
    "bare der testdata er tillatt",
    kind=BasisKind.BESLUTNING,
)


class IdentityKind(StrEnum):
    FODSELSNUMMER = "fodselsnummer"
    D_NUMMER = "d_nummer"


@dataclass(frozen=True, slots=True, repr=False)
class IdentityNumber:
    """A parsed identity number.

    ``value`` is the eleven digits without spaces. ``day`` and ``month`` are the birth date
    with the D-nummer and synthetic offsets removed; ``year_two_digits`` is 0–99, the
    century is unknown. ``repr`` masks the personal number so that it stays out of logs.
    """

    value: str
    kind: IdentityKind
    synthetic: bool
    day: int
    month: int
    year_two_digits: int

    @property
    def masked(self) -> str:
        return mask_identity_number(self.value)

    def __repr__(self) -> str:
        return (
            f"IdentityNumber({self.masked!r}, kind={self.kind.value}, synthetic={self.synthetic})"
        )


class CheckDigitUnavailable(ValueError):
    """The old rule gives check digit 10 for this individual number: try the next one."""


def _digits(text: str) -> list[int]:
    return [int(char) for char in text]


def _weighted_remainder(digits: Sequence[int], weights: Sequence[int]) -> int:
    return sum(digit * weight for digit, weight in zip(digits, weights, strict=True)) % 11


def _old_rule_check_digit(digits: Sequence[int], weights: Sequence[int]) -> int | None:
    """``11 - (weighted sum mod 11)``, 11 read as 0, and None where it would be 10."""
    check = (11 - _weighted_remainder(digits, weights)) % 11
    return None if check == 10 else check


def _days_in_month(month: int, year_two_digits: int) -> int:
    # 2000 + yy is a leap year exactly when yy % 4 == 0, so year 00 counts as possibly leap
    # (2000 was; 1900 was not, but the century is unknown).
    return calendar.monthrange(2000 + year_two_digits, month)[1]


# People write a number as it stands on a card or a letter: «010190 12480», «010190-12480»,
# «01.01.90 12480». Spaces, dots and hyphens are separators, never part of the number.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2013]")


def compact_identity_number(value: str) -> str:
    """The digits of a number as typed: spaces, dots and hyphens removed."""
    return _SEPARATORS.sub("", value)


_compact = compact_identity_number


def parse_identity_number(
    value: str, *, allow_synthetic: bool, field: str = DEFAULT_FIELD
) -> IdentityNumber:
    """Parse and validate a fødselsnummer or D-nummer; spaces, dots and hyphens are ignored.

    Synthetic test numbers (month + 80) are accepted only with ``allow_synthetic=True``.
    Both the old and the 2032 rule for the first check digit are accepted.
    Raises :class:`RuleViolation` on ``field``.
    """
    compact = _compact(value)
    if _ELEVEN_DIGITS.fullmatch(compact) is None:
        raise RuleViolation(
            field=field,
            code="identity_number.format",
            message=(
                "Fødselsnummeret eller D-nummeret må bestå av nøyaktig 11 sifre "
                "(mellomrom, punktum og bindestrek kan stå mellom dem)."
            ),
            basis=BASIS_FORMAT,
            params={"length": len(compact)},
        )
    digits = _digits(compact)
    number = _read_date(compact, digits)
    if number.synthetic and not allow_synthetic:
        raise RuleViolation(
            field=field,
            code="identity_number.synthetic_not_allowed",
            message=(
                "Fødselsnummeret eller D-nummeret er et syntetisk testnummer. "
                "Syntetiske testnumre er bare tillatt der testdata er tillatt."
            ),
            basis=BASIS_SYNTHETIC,
        )
    _check_date(number, field)
    _check_digits(digits, field)
    return number


def _read_date(compact: str, digits: list[int]) -> IdentityNumber:
    """The number's kind and the date its first six digits give, not yet checked."""
    raw_day = digits[0] * 10 + digits[1]
    raw_month = digits[2] * 10 + digits[3]
    is_d_number = 4 <= digits[0] <= 7
    synthetic = SYNTHETIC_MONTH_OFFSET + 1 <= raw_month <= SYNTHETIC_MONTH_OFFSET + 12
    return IdentityNumber(
        value=compact,
        kind=IdentityKind.D_NUMMER if is_d_number else IdentityKind.FODSELSNUMMER,
        synthetic=synthetic,
        day=raw_day - D_NUMBER_DAY_OFFSET if is_d_number else raw_day,
        month=raw_month - SYNTHETIC_MONTH_OFFSET if synthetic else raw_month,
        year_two_digits=digits[4] * 10 + digits[5],
    )


def _check_date(number: IdentityNumber, field: str) -> None:
    day, month, year_two_digits = number.day, number.month, number.year_two_digits
    if 1 <= month <= 12 and 1 <= day <= _days_in_month(month, year_two_digits):
        return
    is_d_number = number.kind is IdentityKind.D_NUMMER
    d_note = " (D-nummer: 4 er lagt til første siffer i dagen)" if is_d_number else ""
    raise RuleViolation(
        field=field,
        code="identity_number.date",
        message=(
            "Fødselsnummeret eller D-nummeret inneholder ingen gyldig fødselsdato: "
            f"dag {day:02d}, måned {month:02d}, år {year_two_digits:02d}{d_note}."
        ),
        basis=BASIS_D_NUMBER if is_d_number else BASIS_DATE,
        params={"day": day, "month": month, "year_two_digits": year_two_digits},
    )


def _check_digits(digits: list[int], field: str) -> None:
    first_ok = _weighted_remainder(digits[:10], FIRST_CHECK_WEIGHTS) in NEW_RULE_FIRST_REMAINDERS
    second_ok = _weighted_remainder(digits, SECOND_CHECK_WEIGHTS) == 0
    if first_ok and second_ok:
        return
    raise RuleViolation(
        field=field,
        code="identity_number.check_digit",
        message=(
            "Fødselsnummeret eller D-nummeret har feil kontrollsiffer. "
            "Kontroller at alle de 11 sifrene er skrevet riktig."
        ),
        basis=BASIS_CHECK_DIGITS,
        params={"check_digit": 1 if not first_ok else 2},
    )


def matches_birth_date(number: IdentityNumber, birth_date: dt.date) -> bool:
    """Day, month and two-digit year agree; the century is not compared (see module doc)."""
    return (
        number.day == birth_date.day
        and number.month == birth_date.month
        and number.year_two_digits == birth_date.year % 100
    )


def make_identity_number(
    birth_date: dt.date,
    individual_number: int,
    *,
    d_number: bool = False,
    synthetic: bool = False,
) -> str:
    """Build an identity number with check digits by the OLD rule (for demo and test data).

    Raises :class:`CheckDigitUnavailable` (a ``ValueError``) when ``k1`` or ``k2`` would be
    10 for this individual number, so the caller can try the next one, and ``ValueError``
    when ``individual_number`` is outside 0–999. The individual number is not checked
    against the historical century ranges.
    """
    if not 0 <= individual_number <= 999:
        raise ValueError(f"individual number must be 0..999, got {individual_number}")
    day = birth_date.day + (D_NUMBER_DAY_OFFSET if d_number else 0)
    month = birth_date.month + (SYNTHETIC_MONTH_OFFSET if synthetic else 0)
    prefix = _digits(f"{day:02d}{month:02d}{birth_date.year % 100:02d}{individual_number:03d}")
    k1 = _old_rule_check_digit(prefix, FIRST_CHECK_WEIGHTS[:9])
    if k1 is None:
        raise CheckDigitUnavailable(
            f"individual number {individual_number:03d} gives first check digit 10"
        )
    k2 = _old_rule_check_digit([*prefix, k1], SECOND_CHECK_WEIGHTS[:10])
    if k2 is None:
        raise CheckDigitUnavailable(
            f"individual number {individual_number:03d} gives second check digit 10"
        )
    return "".join(str(digit) for digit in (*prefix, k1, k2))


def make_valid_identity_number(
    birth_date: dt.date,
    start_individual: int,
    *,
    d_number: bool = False,
    synthetic: bool = False,
) -> str:
    """The first valid number with individual number ``start_individual`` or above.

    Wraps from 999 to 000. At most two of every ten consecutive individual numbers that
    share their first two digits are unusable, so this always succeeds within a few tries.
    """
    if not 0 <= start_individual <= 999:
        raise ValueError(f"start individual number must be 0..999, got {start_individual}")
    for step in range(1000):
        individual = (start_individual + step) % 1000
        try:
            return make_identity_number(
                birth_date, individual, d_number=d_number, synthetic=synthetic
            )
        except CheckDigitUnavailable:
            continue
    raise AssertionError("unreachable: some individual number always has check digits")


def mask_identity_number(value: str) -> str:
    """The birth-date part with the personal number masked: ``"010190*****"``.

    For logs and lists. Anything that is not eleven digits is masked entirely.
    """
    compact = _compact(value)
    if _ELEVEN_DIGITS.fullmatch(compact) is None:
        return "*" * len(compact)
    return compact[:6] + _MASK
