"""Showing a refusal from the rules or services on the form field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext

from nir.register.basis_messages import reference_in_language
from nir.register.rule_messages import rule_message
from nir.rules.errors import RuleViolation

# Fields the services name that are not inputs of the form: shown above the form.
WINDOW_CLOSED = "registration_window.closed"
STALE = "version.stale"


def refusal_text(violation: RuleViolation) -> str:
    """A refusal in the user's language, with the rule behind it."""
    message = rule_message(violation.code, violation.params, violation.message)
    basis = reference_in_language(violation.basis.reference)
    return f"{message} ({gettext('Hjemmel:')} {basis})"


def attach_violation(form: forms.Form, violation: RuleViolation) -> None:
    """Put the refusal and the rule behind it on the field, or above the form."""
    field: str | None = violation.field
    if field not in form.fields or isinstance(form.fields[field].widget, forms.HiddenInput):
        field = None
    form.add_error(field, refusal_text(violation))


def show_refusal(form: forms.Form, violation: RuleViolation, context: dict[str, Any]) -> None:
    """A refusal on the page: another user's change above the form (the user decides), or
    the rule on its field, with the closing date when the registration window has closed."""
    if violation.code == STALE:
        context["stale"] = violation
        return
    attach_violation(form, violation)
    if violation.code == WINDOW_CLOSED:
        context["window_closed"] = violation.params.get("closed_on")
        # Why (no grant, the grant ended, too old) and the event, for the request's link.
        context["window_refusal"] = violation.params
