"""Shared checks of input that no rule of the law covers: required fields, known values."""

from __future__ import annotations

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.errors import RuleViolation

BASIS_INPUT = LegalBasis(
    "input.required",
    "Registerets regel: opplysningene kommunen skal registrere",
    BasisKind.BESLUTNING,
)


def invalid(field: str, code: str, message: str, **params: object) -> RuleViolation:
    return RuleViolation(field=field, code=code, message=message, basis=BASIS_INPUT, params=params)


def parse_enum[E](enum: type[E], value: object, field: str) -> E:
    try:
        return enum(value)  # type: ignore[call-arg]
    except ValueError:
        choices = [m.value for m in enum]  # type: ignore[attr-defined]
        raise invalid(
            field,
            f"{field}.invalid",
            f"«{value}» er ikke en gyldig verdi. Gyldige verdier: " + ", ".join(choices),
            value=value,
            choices=choices,
        ) from None
