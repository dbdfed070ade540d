"""Template filters of the Norwegian-training scheme's pages: its codes as labels
(nir.register.labels), its frist's steps in the reader's language, and its role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext as _

from nir.accounts.models import User
from nir.register import derivation_text, labels
from nir.register.norsk_models import (
    ExtendedNorwegianDecision,
    NorskExemption,
    NorskHours,
    NorskLeave,
    NorskmaalVersion,
    NorskTestResult,
)
from nir.rules.norsk.norskmaal import Skill
from nir.web.access import may_register_norsk, reads_programme
from nir.web.templatetags.nir_web import leave_label

register = template.Library()


@register.filter
def registers_norsk(user: Any) -> bool:
    """Whether the signed-in user registers Norwegian training (kommunenorskbruker)."""
    return isinstance(user, User) and may_register_norsk(user)


@register.filter
def reads_programme_reports(user: Any) -> bool:
    """Whether the programme's person-level reports are the user's to read."""
    return isinstance(user, User) and reads_programme(user)


@register.filter
def norsk_explanation(derivation: dict[str, Any]) -> list[str]:
    return derivation_text.norsk_explanation(derivation or {})


@register.filter
def norsk_end_reason_label(code: str) -> str:
    return labels.norsk_end_reason_label(code)


@register.filter
def norsk_category_label(code: str) -> str:
    return labels.label(labels.NORSK_CATEGORIES, code)


@register.filter
def education_label(code: str) -> str:
    return labels.label(labels.EDUCATION_BACKGROUNDS, code)


@register.filter
def skill_label(code: str) -> str:
    return labels.label(labels.SKILLS, code)


@register.filter
def test_kind_label(code: str) -> str:
    return labels.label(labels.FINAL_TEST_KINDS, code)


@register.filter
def fritak_kind_label(code: str) -> str:
    return labels.label(labels.FRITAK_KINDS, code)


@register.filter
def subject_label(code: str) -> str:
    return labels.label(labels.SUBJECTS, code)


@register.filter
def norskmaal_kind_label(code: str) -> str:
    return labels.label(labels.NORSKMAAL_KINDS, code)


@register.filter
def samf_scheme_label(code: str) -> str:
    return labels.label(labels.SAMF_SCHEMES, code)


def _levels(levels: dict[str, str]) -> str:
    """The levels per skill in the skills' own order (a JSON column need not keep it)."""
    ordered = [skill.value for skill in Skill if skill.value in levels]
    return ", ".join(f"{labels.label(labels.SKILLS, s)} {levels[s]}" for s in ordered)


def _period(start: dt.date, end: dt.date) -> str:
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


@register.filter
def norsk_registration_content(row: Any) -> str:
    """What one registration of the scheme holds, in words: the participant page's table
    and the cancel page say it alike."""
    if isinstance(row, NorskmaalVersion):
        if row.kind == "levels":
            return _levels(row.levels)
        return labels.label(labels.NORSKMAAL_KINDS, row.kind)
    if isinstance(row, NorskLeave):
        return leave_label(row.leave_type)
    if isinstance(row, ExtendedNorwegianDecision):
        return _("%(months)s måneder") % {"months": row.months}
    if isinstance(row, NorskTestResult):
        if row.passed is None:
            outcome = _levels(row.levels)
        else:
            outcome = str(_("Bestått") if row.passed else _("Ikke bestått"))
        return f"{labels.label(labels.FINAL_TEST_KINDS, row.kind)}: {outcome}"
    if isinstance(row, NorskExemption):
        return labels.label(labels.FRITAK_KINDS, row.kind)
    if isinstance(row, NorskHours):
        subject = labels.label(labels.SUBJECTS, row.subject)
        if row.module:
            subject += ", " + _("modul %(m)s") % {"m": row.module}
        return f"{subject}: {row.hours}"
    raise TypeError(f"not a registration of the Norwegian scheme: {row!r}")


@register.filter
def norsk_registration_date(row: Any) -> str:
    """The date or period of one registration of the scheme."""
    if isinstance(row, NorskmaalVersion):
        return _("fra %(d)s") % {"d": f"{row.valid_from:%d.%m.%Y}"}
    if isinstance(row, NorskLeave | NorskHours):
        return _period(row.start_date, row.end_date)
    if isinstance(row, NorskTestResult):
        return f"{row.test_date:%d.%m.%Y}"
    if isinstance(row, ExtendedNorwegianDecision | NorskExemption):
        return f"{row.decision_date:%d.%m.%Y}"
    raise TypeError(f"not a registration of the Norwegian scheme: {row!r}")
