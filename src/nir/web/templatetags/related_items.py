"""Template filters for an intro participant's related items (rules-norsk.md N8): their
codes in words (nir.register.labels) and their warnings in the reader's language."""

from __future__ import annotations

from django import template

from nir.register import labels
from nir.register.related_item_text import warning_message
from nir.rules.norsk.related_items import RuleWarning

register = template.Library()


@register.filter
def related_item_label(code: str) -> str:
    return labels.label(labels.RELATED_ITEM_KINDS, str(code))


@register.filter
def item_status_label(code: str) -> str:
    return labels.label(labels.ITEM_STATUSES, str(code))


@register.filter
def item_source_label(code: str) -> str:
    return labels.label(labels.ITEM_SOURCES, str(code))


@register.filter
def related_warning(warning: RuleWarning) -> str:
    return warning_message(warning)
