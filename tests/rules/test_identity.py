"""Fødselsnummer, D-nummer and synthetic test numbers (nir.rules.identity).

The example numbers in the tables were worked out by hand from the check-digit formulas;
``test_tables_agree_with_reference`` re-checks them with the tiny reference computation
below, which shares no code with the module under test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nir.rules import identity
from nir.rules.basis import BasisKind
from nir.rules.errors import RuleViolation
from nir.rules.identity import (
    CheckDigitUnavailable,
    IdentityKind,
    IdentityNumber,
    make_identity_number,
    make_valid_identity_number,
    mask_identity_number,
    matches_birth_date,
    parse_identity_number,
)

# --- independent reference ------------------------------------------------------------

REF_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
REF_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def ref_remainders(number: str) -> tuple[int, int]:
    """(first weighted sum incl. k1, second weighted sum incl. k2), both mod 11."""
    d = [int(c) for c in number]
    first = sum(x * w for x, w in zip(d[:10], REF_W1, strict=True)) % 11
    second = sum(x * w for x, w in zip(d, REF_W2, strict=True)) % 11
    return first, second


def ref_old_rule_valid(number: str) -> bool:
    return ref_remainders(number) == (0, 0)


def ref_with_k2(first_ten: str) -> str | None:
    """Append k2 to ten digits by the k2 formula; None where k2 would be 10."""
    s = sum(int(c) * w for c, w in zip(first_ten, REF_W2[:10], strict=True))
    k2 = (11 - s % 11) % 11
    return None if k2 == 10 else first_ten + str(k2)


# --- tables ---------------------------------------------------------------------------

FNR = IdentityKind.FODSELSNUMMER
DNR = IdentityKind.D_NUMMER

# number, kind, synthetic, day, month, two-digit year (all valid by the OLD rule)
VALID = [
    ("01019012480", FNR, False, 1, 1, 90),
    ("31129945616", FNR, False, 31, 12, 99),
    ("15057825054", FNR, False, 15, 5, 78),
    ("29020050088", FNR, False, 29, 2, 0),  # year 00 may be leap
    ("29029612410", FNR, False, 29, 2, 96),
    ("31014087640", FNR, False, 31, 1, 40),
    ("01010099931", FNR, False, 1, 1, 0),
    ("31129900183", FNR, False, 31, 12, 99),
    ("41019012393", DNR, False, 1, 1, 90),
    ("71010190031", DNR, False, 31, 1, 1),
    ("01859012325", FNR, True, 1, 5, 90),
    ("41929000151", DNR, True, 1, 12, 90),
]

# valid only through the 2032 rule: first remainder 1, 2 or 3, second remainder 0
VALID_NEW_RULE_ONLY = [
    ("01019012308", 1, FNR),
    ("01019012316", 2, FNR),
    ("01019012324", 3, FNR),
    ("15057825062", 1, FNR),
    ("15057825070", 2, FNR),
    ("15057825089", 3, FNR),
    ("41019012318", 3, DNR),
]

# k2 is right but the first remainder is 4 or more: refused under both rules
REFUSED_FIRST_REMAINDER = [
    ("01019012332", 4),
    ("01019012340", 5),
    ("01019012391", 10),
    ("15057825097", 4),
    ("41019012326", 4),
]

# dates that are not calendar dates, each with correct check digits so only the date fails
BAD_DATES = [
    ("32019012351", "day 32"),
    ("30020012400", "30 February"),
    ("29020112482", "29 February in a year not divisible by 4"),
    ("00109012319", "day 00"),
    ("01139012328", "month 13"),
    ("01009012490", "month 00"),
    ("72019012345", "D-nummer with day 32"),
    ("40019012354", "D-nummer with day 00"),
    ("81019012387", "day 81 (first digit 8 is not a D-nummer)"),
    ("01939012393", "month 93 (past the synthetic range)"),
    ("01809012375", "month 80 (synthetic month 00)"),
    ("01419012382", "month 41 (month + 40 is not accepted)"),
]

INVALID = [
    ("", "identity_number.format"),
    ("0101901248", "identity_number.format"),  # 10 digits
    ("010190124800", "identity_number.format"),  # 12 digits
    ("0101901248a", "identity_number.format"),
    ("01.01.90 1248", "identity_number.format"),  # separators do not make up a digit
    ("010190/12480", "identity_number.format"),
    ("٠١٠١٩٠١٢٤٨٠", "identity_number.format"),  # Arabic-Indic digits are not 0-9
    *[(number, "identity_number.date") for number, _ in BAD_DATES],
    ("01019012481", "identity_number.check_digit"),  # k2 off by one
    ("01019012490", "identity_number.check_digit"),  # k1 changed, k2 left
    ("10019012480", "identity_number.check_digit"),  # day digits swapped
    *[(number, "identity_number.check_digit") for number, _ in REFUSED_FIRST_REMAINDER],
    ("01859012325", "identity_number.synthetic_not_allowed"),
    ("41929000151", "identity_number.synthetic_not_allowed"),
]


def test_tables_agree_with_reference() -> None:
    for number, *_ in VALID:
        assert ref_old_rule_valid(number), number
    for number, remainder, _ in VALID_NEW_RULE_ONLY:
        assert ref_remainders(number) == (remainder, 0), number
    for number, remainder in REFUSED_FIRST_REMAINDER:
        assert ref_remainders(number) == (remainder, 0), number
    for number, _ in BAD_DATES:
        assert ref_old_rule_valid(number), number
    for number in ("01019012481", "01019012490", "10019012480"):
        assert ref_remainders(number) != (0, 0), number


# --- parsing --------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "kind", "synthetic", "day", "month", "yy"), VALID)
def test_valid_numbers_parse(
    number: str, kind: IdentityKind, synthetic: bool, day: int, month: int, yy: int
) -> None:
    parsed = parse_identity_number(number, allow_synthetic=True)
    assert parsed == IdentityNumber(
        value=number, kind=kind, synthetic=synthetic, day=day, month=month, year_two_digits=yy
    )


@pytest.mark.parametrize(
    ("number", "kind", "synthetic"),
    [(number, kind, synthetic) for number, kind, synthetic, *_ in VALID if not synthetic],
)
def test_real_numbers_parse_without_synthetic_allowed(
    number: str, kind: IdentityKind, synthetic: bool
) -> None:
    parsed = parse_identity_number(number, allow_synthetic=False)
    assert parsed.kind is kind
    assert parsed.synthetic is synthetic


@pytest.mark.parametrize(
    "raw", ["010190 12480", " 01019012480 ", "01 01 90 124 80", "010190\t12480"]
)
def test_spaces_are_ignored(raw: str) -> None:
    assert parse_identity_number(raw, allow_synthetic=False).value == "01019012480"


@pytest.mark.parametrize(("number", "code"), INVALID)
def test_invalid_numbers_are_refused(number: str, code: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        parse_identity_number(number, allow_synthetic=False)
    assert caught.value.code == code
    assert caught.value.field == "identity_number"


@pytest.mark.parametrize(("number", "remainder", "kind"), VALID_NEW_RULE_ONLY)
def test_first_check_digit_by_2032_rule_is_accepted(
    number: str, remainder: int, kind: IdentityKind
) -> None:
    assert not ref_old_rule_valid(number)
    assert parse_identity_number(number, allow_synthetic=False).kind is kind


@pytest.mark.parametrize(("number", "remainder"), REFUSED_FIRST_REMAINDER)
def test_first_remainder_four_or_more_is_refused(number: str, remainder: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        parse_identity_number(number, allow_synthetic=True)
    assert caught.value.code == "identity_number.check_digit"
    assert caught.value.params == {"check_digit": 1}


def test_checks_run_in_documented_order() -> None:
    # a synthetic number with an impossible day and wrong check digits
    with pytest.raises(RuleViolation) as caught:
        parse_identity_number("35859012300", allow_synthetic=False)
    assert caught.value.code == "identity_number.synthetic_not_allowed"
    with pytest.raises(RuleViolation) as caught:
        parse_identity_number("35859012300", allow_synthetic=True)
    assert caught.value.code == "identity_number.date"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("123", "identity_number.format"),
        ("01859012325", "identity_number.synthetic_not_allowed"),
        ("32019012351", "identity_number.date"),
        ("72019012345", "identity_number.date"),
        ("01019012481", "identity_number.check_digit"),
    ],
)
@pytest.mark.parametrize("field", ["identity_number", "guardian_identity_number"])
def test_error_speaks_of_the_number_by_its_name_not_the_field_code(
    number: str, code: str, field: str
) -> None:
    with pytest.raises(RuleViolation) as caught:
        if field == "identity_number":  # the default
            parse_identity_number(number, allow_synthetic=False)
        else:
            parse_identity_number(number, allow_synthetic=False, field=field)
    error = caught.value
    assert error.code == code
    assert error.field == field
    assert field not in error.message
    assert error.message.startswith("Fødselsnummeret eller D-nummeret")
    assert error.basis.rule_id.startswith("identity.")
    assert str(error).startswith(f"{field}: ")
    # the number itself never leaks into the error
    assert number not in str(error)
    assert all(str(value) != number for value in error.params.values())


def test_messages_use_proper_norwegian_letters() -> None:
    with pytest.raises(RuleViolation) as caught:
        parse_identity_number("1", allow_synthetic=False)
    assert "nøyaktig" in caught.value.message
    with pytest.raises(RuleViolation) as caught:
        parse_identity_number("01859012325", allow_synthetic=False)
    message = caught.value.message
    assert "Syntetiske testnumre er bare tillatt der testdata er tillatt" in message
    with pytest.raises(RuleViolation) as caught:
        parse_identity_number("72019012345", allow_synthetic=False)
    assert "fødselsdato" in caught.value.message
    assert "D-nummer" in caught.value.message
    assert caught.value.params == {"day": 32, "month": 1, "year_two_digits": 90}


def test_legal_bases() -> None:
    assert identity.BASIS_CHECK_DIGITS.rule_id == "identity.check_digits"
    assert identity.BASIS_D_NUMBER.rule_id == "identity.d_number"
    assert identity.BASIS_SYNTHETIC.rule_id == "identity.synthetic"
    assert identity.BASIS_DATE.rule_id == "identity.date"
    for basis in (
        identity.BASIS_FORMAT,
        identity.BASIS_DATE,
        identity.BASIS_D_NUMBER,
        identity.BASIS_CHECK_DIGITS,
    ):
        assert basis.kind is BasisKind.FORSKRIFT
    # refusing synthetic numbers is the register's own choice, not a forskrift
    assert identity.BASIS_SYNTHETIC.kind is BasisKind.BESLUTNING


def test_no_gender_is_read_from_the_number() -> None:
    names = [name.lower() for name in dir(identity)]
    for word in ("gender", "sex", "kjonn", "kjønn", "female", "male"):
        assert not any(word in name for name in names), word
    assert identity.__doc__ is not None
    assert "Gender" in identity.__doc__
    assert "2032" in identity.__doc__


# --- birth date, masking --------------------------------------------------------------


def test_matches_birth_date_ignores_century() -> None:
    number = parse_identity_number("01019012480", allow_synthetic=False)
    assert matches_birth_date(number, dt.date(1990, 1, 1))
    assert matches_birth_date(number, dt.date(2090, 1, 1))
    assert matches_birth_date(number, dt.date(1890, 1, 1))
    assert not matches_birth_date(number, dt.date(1990, 1, 2))
    assert not matches_birth_date(number, dt.date(1990, 2, 1))
    assert not matches_birth_date(number, dt.date(1991, 1, 1))


def test_matches_birth_date_removes_offsets() -> None:
    d_number = parse_identity_number("71010190031", allow_synthetic=False)
    assert matches_birth_date(d_number, dt.date(2001, 1, 31))
    synthetic_d = parse_identity_number("41929000151", allow_synthetic=True)
    assert matches_birth_date(synthetic_d, dt.date(1990, 12, 1))
    assert not matches_birth_date(synthetic_d, dt.date(1990, 12, 2))


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("01019012480", "010190*****"),
        ("010190 12480", "010190*****"),
        ("41019012393", "410190*****"),
        ("12345", "*****"),
        ("0101901248a", "***********"),
        ("", ""),
    ],
)
def test_mask(raw: str, masked: str) -> None:
    assert mask_identity_number(raw) == masked


def test_repr_masks_the_personal_number() -> None:
    number = parse_identity_number("01019012480", allow_synthetic=False)
    assert "12480" not in repr(number)
    assert "12480" not in str(number)
    assert "010190*****" in repr(number)
    assert number.masked == "010190*****"


# --- making numbers -------------------------------------------------------------------


def test_make_identity_number_examples() -> None:
    assert make_identity_number(dt.date(1990, 1, 1), 124) == "01019012480"
    assert make_identity_number(dt.date(1990, 1, 1), 123, d_number=True) == "41019012393"
    assert make_identity_number(dt.date(1990, 5, 1), 123, synthetic=True) == "01859012325"
    assert (
        make_identity_number(dt.date(1990, 12, 1), 1, d_number=True, synthetic=True)
        == "41929000151"
    )


def test_make_identity_number_refuses_check_digit_ten() -> None:
    with pytest.raises(CheckDigitUnavailable):  # k1 would be 10
        make_identity_number(dt.date(1990, 1, 1), 123)
    with pytest.raises(CheckDigitUnavailable):  # k1 = 5, then k2 would be 10
        make_identity_number(dt.date(1990, 1, 1), 7)
    with pytest.raises(ValueError, match=r"0\.\.999"):
        make_identity_number(dt.date(1990, 1, 1), 1000)
    with pytest.raises(ValueError, match=r"0\.\.999"):
        make_identity_number(dt.date(1990, 1, 1), -1)
    assert issubclass(CheckDigitUnavailable, ValueError)


def test_make_valid_identity_number_tries_upward_and_wraps() -> None:
    assert make_valid_identity_number(dt.date(1990, 1, 1), 123) == "01019012480"
    # 999 and 000 both give k1 = 10 for 31.12.99; 001 is the next usable number
    assert make_valid_identity_number(dt.date(1999, 12, 31), 999) == "31129900183"
    with pytest.raises(ValueError):
        make_valid_identity_number(dt.date(1990, 1, 1), 1000)


# --- properties -----------------------------------------------------------------------

birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2039, 12, 31))
individuals = st.integers(min_value=0, max_value=999)


def _usable(birth_date: dt.date, individual: int, d_number: bool, synthetic: bool) -> bool:
    try:
        make_identity_number(birth_date, individual, d_number=d_number, synthetic=synthetic)
    except CheckDigitUnavailable:
        return False
    return True


@given(birth_dates, individuals, st.booleans(), st.booleans())
def test_made_numbers_parse_back(
    birth_date: dt.date, start: int, d_number: bool, synthetic: bool
) -> None:
    number = make_valid_identity_number(birth_date, start, d_number=d_number, synthetic=synthetic)
    assert ref_old_rule_valid(number)
    parsed = parse_identity_number(number, allow_synthetic=True)
    assert parsed.value == number
    assert parsed.kind is (IdentityKind.D_NUMMER if d_number else IdentityKind.FODSELSNUMMER)
    assert parsed.synthetic is synthetic
    assert matches_birth_date(parsed, birth_date)
    # the first usable individual number at or after start, wrapping at 1000
    individual = int(number[6:9])
    skipped = (individual - start) % 1000
    for step in range(skipped):
        assert not _usable(birth_date, (start + step) % 1000, d_number, synthetic)
    if not synthetic:
        assert parse_identity_number(number, allow_synthetic=False) == parsed
    else:
        with pytest.raises(RuleViolation):
            parse_identity_number(number, allow_synthetic=False)


@given(birth_dates, individuals, st.booleans(), st.booleans())
def test_make_identity_number_is_valid_or_refuses(
    birth_date: dt.date, individual: int, d_number: bool, synthetic: bool
) -> None:
    try:
        number = make_identity_number(
            birth_date, individual, d_number=d_number, synthetic=synthetic
        )
    except CheckDigitUnavailable:
        # only where the old rule gives 10 for k1 or for k2
        day = birth_date.day + (40 if d_number else 0)
        month = birth_date.month + (80 if synthetic else 0)
        head = f"{day:02d}{month:02d}{birth_date.year % 100:02d}{individual:03d}"
        s1 = sum(int(c) * w for c, w in zip(head, REF_W1[:9], strict=True))
        k1 = (11 - s1 % 11) % 11
        assert k1 == 10 or ref_with_k2(head + str(k1)) is None
    else:
        assert number[6:9] == f"{individual:03d}"
        assert ref_old_rule_valid(number)


@given(birth_dates, st.integers(min_value=0, max_value=99), st.booleans(), st.booleans())
def test_at_most_two_unusable_in_ten(
    birth_date: dt.date, block: int, d_number: bool, synthetic: bool
) -> None:
    unusable = [
        i3 for i3 in range(10) if not _usable(birth_date, block * 10 + i3, d_number, synthetic)
    ]
    assert len(unusable) <= 2


@given(birth_dates, individuals, st.booleans(), st.booleans())
def test_every_single_digit_change_is_refused(
    birth_date: dt.date, start: int, d_number: bool, synthetic: bool
) -> None:
    """The brief's property, made precise.

    Stated: changing one digit of an old-rule number either raises RuleViolation or yields
    a number valid only through the 2032 first-check-digit rule. The true property is
    stronger: it ALWAYS raises. The second check digit alone catches every single-digit
    change, because all its weights (5 4 3 2 7 6 5 4 3 2 1) are non-zero mod 11 and 11 is
    prime, so a change of ``delta`` (1 <= |delta| <= 9) at any position moves the second
    weighted sum by ``weight * delta``, which is never 0 mod 11. The looser 2032 rule for
    k1 therefore never lets a one-digit typo through. This holds even with synthetic
    numbers allowed, so the refusal is not merely ``synthetic_not_allowed``.
    """
    number = make_valid_identity_number(birth_date, start, d_number=d_number, synthetic=synthetic)
    for position in range(11):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            changed = number[:position] + digit + number[position + 1 :]
            assert ref_remainders(changed)[1] != 0
            with pytest.raises(RuleViolation):
                parse_identity_number(changed, allow_synthetic=True)


@given(birth_dates, individuals, st.booleans(), st.booleans())
def test_first_check_digit_follows_2032_rule_exactly(
    birth_date: dt.date, start: int, d_number: bool, synthetic: bool
) -> None:
    """With k2 recomputed, any k1 is accepted iff its first remainder is 0, 1, 2 or 3."""
    number = make_valid_identity_number(birth_date, start, d_number=d_number, synthetic=synthetic)
    for k1 in "0123456789":
        candidate = ref_with_k2(number[:9] + k1)
        if candidate is None:
            continue
        first, second = ref_remainders(candidate)
        assert second == 0
        if first in (0, 1, 2, 3):
            parsed = parse_identity_number(candidate, allow_synthetic=True)
            assert matches_birth_date(parsed, birth_date)
        else:
            with pytest.raises(RuleViolation) as caught:
                parse_identity_number(candidate, allow_synthetic=True)
            assert caught.value.code == "identity_number.check_digit"


def test_k1_alone_under_2032_rule_would_miss_some_typos() -> None:
    """Why the property above needs k2: the loose k1 rule by itself lets typos through.

    01019012480 with the last individual digit 4 -> 5 has first remainder 2, acceptable to
    the 2032 rule for k1; only k2 refuses it.
    """
    changed = "01019012580"
    assert ref_remainders(changed)[0] in (1, 2, 3)
    assert ref_remainders(changed)[1] != 0
    with pytest.raises(RuleViolation) as caught:
        parse_identity_number(changed, allow_synthetic=False)
    assert caught.value.params == {"check_digit": 2}


@pytest.mark.parametrize(
    "typed",
    ["010190 12480", "010190-12480", "01.01.90 12480", " 0101 9012 480 ", "010190\u201312480"],
)
def test_spaces_dots_and_hyphens_are_separators(typed: str) -> None:
    assert parse_identity_number(typed, allow_synthetic=False).value == "01019012480"
