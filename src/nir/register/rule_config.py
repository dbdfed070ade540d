"""The rules package's configuration, built once from settings.NIR_RULES."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from nir.rules.config import DEFAULT_CONFIG, RuleConfig
from nir.rules.programme_length import ProgrammeGroup


@cache
def rule_config() -> RuleConfig:
    values: dict[str, Any] = settings.NIR_RULES
    not_extending = set(values.get("leave_types_not_extending", []))
    unknown = not_extending - set(DEFAULT_CONFIG.leave_types)
    if unknown:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"NIR_LEAVE_TYPES_NOT_EXTENDING names unknown leave types: {', '.join(sorted(unknown))}"
        )
    leave_types = {
        code: dataclasses.replace(t, extends_deadline=code not in not_extending)
        for code, t in DEFAULT_CONFIG.leave_types.items()
    }
    return dataclasses.replace(
        DEFAULT_CONFIG,
        leave_types=leave_types,
        automatic_end_offset_days=values["automatic_end_offset_days"],
        registration_window_months=values["registration_window_months"],
        late_registration_max_months=values["late_registration_max_months"],
        kap6a_expires=values["kap6a_expires"],
        group_without_sluttmaal=ProgrammeGroup(values["group_without_sluttmaal"]),
        allow_synthetic_identity_numbers=values["allow_synthetic_identity_numbers"],
        earliest_date=values.get("earliest_date", DEFAULT_CONFIG.earliest_date),
        latest_date=values.get("latest_date", DEFAULT_CONFIG.latest_date),
    )


@receiver(setting_changed)
def _forget_config(*, setting: str, **_: object) -> None:
    if setting == "NIR_RULES":
        rule_config.cache_clear()
