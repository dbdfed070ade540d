"""Template filters of the Norwegian-training scheme's pages: its codes as labels
(nir.register.labels), its frist's steps in the reader's language, and its role."""

from __future__ import annotations

from typing import Any

from django import template

from nir.accounts.models import User
from nir.register import derivation_text, labels
from nir.web.access import may_register_norsk, reads_programme

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
