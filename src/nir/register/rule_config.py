"""The rules package's configuration, built once from settings.NIR_RULES."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from nir.rules.config import DEFAULT_CONFIG, RuleConfig
from nir.rules.length_config import LengthConfigError, build_length_table
from nir.rules.programme_length import ProgrammeGroup, ProgrammeLengthRow
from nir.rules.termination import IKKE_REGISTRERT, TERMINATION_REASONS


def _length_table(values: dict[str, Any]) -> tuple[ProgrammeLengthRow, ...]:
    path = values.get("programme_lengths_file")
    configured: list[dict[str, Any]] = []
    if path:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise ImproperlyConfigured(
                f"NIR_PROGRAMME_LENGTHS_FILE={path}: cannot be read ({error.strerror})"
            ) from None
        except json.JSONDecodeError as error:
            raise ImproperlyConfigured(
                f"NIR_PROGRAMME_LENGTHS_FILE={path}: not JSON (line {error.lineno}: {error.msg})"
            ) from None
        rows = data.get("rows") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ImproperlyConfigured(
                f'NIR_PROGRAMME_LENGTHS_FILE={path}: expected a list of rows, or {{"rows": [...]}}'
            )
        configured = rows
    try:
        return build_length_table(
            prop81_in_force=values.get("prop81_in_force"),
            configured=configured,
            mode=values.get("programme_lengths_mode", "extend"),
        )
    except LengthConfigError as error:
        raise ImproperlyConfigured(f"NIR_PROGRAMME_LENGTHS_FILE={path}: {error}") from None


def _excluded_reasons(values: dict[str, Any]) -> frozenset[str]:
    excluded = frozenset(
        values.get("outcome_excluded_reasons", DEFAULT_CONFIG.outcome_excluded_reasons)
    )
    unknown = excluded - set(TERMINATION_REASONS)
    if unknown:
        raise ImproperlyConfigured(
            "NIR_OUTCOME_EXCLUDED_REASONS names unknown termination reasons: "
            + ", ".join(sorted(unknown))
        )
    if IKKE_REGISTRERT in excluded:
        raise ImproperlyConfigured(
            "NIR_OUTCOME_EXCLUDED_REASONS may not leave out ikke_registrert: it stays in the "
            "denominator (IMDi's practice)"
        )
    return excluded


def check_rule_settings(values: dict[str, Any]) -> None:
    """Build what start-up must check: a bad value stops the register with one message."""
    _length_table(values)
    _excluded_reasons(values)


@cache
def rule_config() -> RuleConfig:
    values: dict[str, Any] = settings.NIR_RULES
    not_extending = set(values.get("leave_types_not_extending", []))
    unknown = not_extending - set(DEFAULT_CONFIG.leave_types)
    if unknown:
        raise ImproperlyConfigured(
            f"NIR_LEAVE_TYPES_NOT_EXTENDING names unknown leave types: {', '.join(sorted(unknown))}"
        )
    leave_types = {
        code: dataclasses.replace(t, extends_deadline=code not in not_extending)
        for code, t in DEFAULT_CONFIG.leave_types.items()
    }
    return dataclasses.replace(
        DEFAULT_CONFIG,
        programme_lengths=_length_table(values),
        leave_types=leave_types,
        automatic_end_offset_days=values["automatic_end_offset_days"],
        registration_window_months=values["registration_window_months"],
        late_registration_max_months=values["late_registration_max_months"],
        kap6a_expires=values["kap6a_expires"],
        group_without_sluttmaal=ProgrammeGroup(values["group_without_sluttmaal"]),
        allow_synthetic_identity_numbers=values["allow_synthetic_identity_numbers"],
        prop81_in_force=values.get("prop81_in_force"),
        outcome_excluded_reasons=_excluded_reasons(values),
        earliest_date=values.get("earliest_date", DEFAULT_CONFIG.earliest_date),
        latest_date=values.get("latest_date", DEFAULT_CONFIG.latest_date),
    )


def _canonical(value: object) -> object:
    """A value of the configuration written the same way in every process: sets sorted
    (their order follows the process's hash seed), mappings by key, dataclasses by field."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict | MappingProxyType):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return repr(value)


@cache
def rule_config_version() -> str:
    """The version of the deployment's rules: a digest of every value of ``rule_config()``,
    so figures stored under one configuration say so and a changed setting shows."""
    canonical = json.dumps(_canonical(rule_config()), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@receiver(setting_changed)
def _forget_config(*, setting: str, **_: object) -> None:
    if setting == "NIR_RULES":
        rule_config.cache_clear()
        rule_config_version.cache_clear()
