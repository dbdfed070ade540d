"""Template filters that turn the register's codes into the Norwegian words on screen."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from nir.accounts.models import User
from nir.register import derivation_text, labels, published_labels
from nir.register.basis_messages import reference_in_language
from nir.register.legal_bases import current_derivation, shown_basis
from nir.register.missing_messages import missing_message
from nir.register.rule_messages import rule_message
from nir.web import guides
from nir.web.access import may_register

register = template.Library()


@register.filter
def registers(user: Any) -> bool:
    """Whether the signed-in user registers and corrects (a municipality's own roles)."""
    return isinstance(user, User) and may_register(user)


@register.filter
def regime_label(code: str) -> str:
    return labels.label(labels.REGIMES, code)


@register.filter
def category_label(code: str) -> str:
    return labels.label(labels.CATEGORIES, code)


@register.filter
def sluttmaal_label(code: str) -> str:
    return labels.label(labels.SLUTTMAAL, code)


@register.filter
def permit_label(code: str) -> str:
    return labels.label(labels.PERMIT_TYPES, code)


@register.filter
def group_label(code: str) -> str:
    return labels.label(labels.GROUPS, code)


@register.filter
def group_reason(code: str) -> str:
    return labels.label(labels.GROUP_REASONS, code)


@register.filter
def derivation_now(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored derivation as it reads today, its steps in the reader's language."""
    now = current_derivation(stored)
    return {**now, "explanation": derivation_text.explanation(now)}


@register.filter
def basis_list(bases: Any) -> SafeString:
    """Legal bases as read: the citation (linked to its public page where there is one) in
    the reader's language, and whether it is law, regulation, IMDi's practice or the
    register's own rule."""
    items = []
    for stored in bases or ():
        b = shown_basis(dict(stored))
        kind = labels.label(labels.BASIS_KINDS, b.get("kind", ""))
        reference = reference_in_language(b.get("reference", ""))
        if b.get("url"):
            items.append(
                format_html('<a href="{}" rel="external">{}</a> ({})', b["url"], reference, kind)
            )
        else:
            items.append(format_html("{} ({})", reference, kind))
    return format_html_join("; ", "{}", ((i,) for i in items))


@register.filter
def basis_one(basis: Any) -> SafeString:
    """One legal basis (a LegalBasis), shown as ``basis_list`` shows stored ones."""
    return basis_list([basis.as_json()])


@register.filter
def in_force_name(rule: Any) -> str:
    """A rule in force (nir.rules.in_force) by its name in the reader's language."""
    return rule_message(f"in_force.{rule.wording}.name", rule.params or {}, rule.name_nb)


@register.filter
def in_force_value(rule: Any) -> str:
    """A rule in force's value in the reader's language."""
    return rule_message(f"in_force.{rule.wording}.value", rule.params or {}, rule.value_nb)


@register.filter
def action_label(code: str) -> str:
    return labels.label(labels.ACTIONS, code)


@register.filter
def channel_label(code: str) -> str:
    return labels.label(labels.CHANNELS, code)


@register.filter
def reason_label(code: str) -> str:
    return labels.reason_label(code)


@register.filter
def decision_label(code: str) -> str:
    return labels.label(labels.DECISION_TYPES, code)


@register.filter
def stop_label(code: str) -> str:
    return labels.label(labels.STOP_KINDS, code)


@register.filter
def leave_label(code: str) -> str:
    """A configured leave type's name in the reader's language, or its code if unknown."""
    return dict(labels.leave_type_choices()).get(code, code)


@register.filter
def absence_label(code: str) -> str:
    return dict(labels.absence_type_choices()).get(code, code)


@register.filter
def iso_date(value: Any) -> Any:
    """Dates stored as ISO text in the frist derivation, shown as dd.mm.yyyy."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    return value


@register.filter
def percent(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f} %".replace(".", ",")


@register.filter
def field_type(bound_field: Any) -> str:
    return type(bound_field.field.widget).__name__


@register.filter
def entity_label(code: str) -> str:
    return str(labels.ENTITIES.get(code, code))


@register.filter
def measure_label(code: str) -> str:
    return labels.measure_label(code)


@register.filter
def job_label(code: str) -> str:
    return labels.label(labels.JOBS, code)


@register.filter
def job_count_label(code: str) -> str:
    # The monthly Ukraina report counts its published measures, by their words.
    if code in labels.JOB_COUNTS:
        return str(labels.JOB_COUNTS[code])
    return published_labels.published_word(code)


@register.filter
def published_word(word: str) -> str:
    return published_labels.published_word(word)


@register.filter
def month_label(period: str) -> str:
    """«2026-11» as «november 2026»."""
    return labels.month_label_of(str(period))


# How each kind of registration row names its code in words, for the cancel page.
_SUMMARY_LABELS: dict[str, Any] = {
    "sluttmaal": lambda code: labels.label(labels.SLUTTMAAL, code),
    "decision_type": lambda code: labels.label(labels.DECISION_TYPES, code),
    "leave_type": leave_label,
    "absence_type": lambda code: dict(labels.absence_type_choices()).get(code, code),
    "kind": lambda code: labels.label(labels.STOP_KINDS, code),
    "measure_type": labels.measure_label,
}


@register.filter
def registration_summary(row: Any) -> str:
    """One line describing a registration row, for the cancel page."""
    parts = []
    for name, label_of in _SUMMARY_LABELS.items():
        if hasattr(row, name):
            parts.append(str(label_of(getattr(row, name))))
    if hasattr(row, "months"):
        parts.append(_("%(months)s måneder") % {"months": row.months})
    for name in ("valid_from", "start_date", "end_date", "decided_on"):
        value = getattr(row, name, None)
        if value:
            parts.append(f"{value:%d.%m.%Y}")
    return ", ".join(parts)


@register.simple_tag(takes_context=True)
def optional_include(context: Any, template_name: str) -> str:
    """Render a template another app may provide (its menu items), or nothing without it."""
    try:
        found = get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    return mark_safe(found.render(context.flatten(), context.get("request")))  # noqa: S308 - a template's own output


@register.simple_tag
def late_registration_request_url(
    participation_id: int | None, event_date: Any, what: str = ""
) -> str:
    """A request to IMDi for late registration, filled in with the participation, the event's
    date as the period and what is to be registered; the guide page where support requests
    are not installed."""
    try:
        base = reverse("imdi:request-create")
    except NoReverseMatch:
        base = reverse("web:late-registration")
    params = {"type": "etterregistrering"}
    if participation_id:
        params["deltakelse"] = str(participation_id)
    if event_date:
        params["fra"] = params["til"] = f"{event_date:%Y-%m-%d}"
    if what:
        params["gjelder"] = what
    return f"{base}?{urlencode(params)}"


@register.inclusion_tag("web/partials/guide_shot.html")
def guide_shot(name: str, alt: str) -> dict[str, Any]:
    """A guide's screenshot, once the browser tests have taken it; nothing before."""
    return {"path": guides.screenshot(name), "alt": alt}


@register.inclusion_tag("web/partials/guide_link.html")
def guide_link(slug: str) -> dict[str, Any]:
    """A link to the guide for the task on this page."""
    return {"guide": guides.GUIDES[slug]}


@register.filter
def missing_text(item: Any, as_of: Any) -> str:
    """What a participation lacks, in the user's language."""
    return missing_message(item, as_of)
