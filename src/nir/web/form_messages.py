"""The register's own messages for input a form cannot parse, naming the field by its label.

Django's generic messages («Dette feltet er påkrevd.», «Sørg for at denne verdien har minst
11 tegn») do not say which field they mean when read in the error summary above the form,
and speak of values rather than of the thing the user typed. Every form of the register
derives from ``RegisterForm``, which gives each field these messages when the form is made,
in the language of the request.

The same base refuses control characters in every text field and dates outside the
register's range in every date field (``nir.rules.input_limits``), so nothing of the kind
reaches a preview, a rule or the database.

Django formats a field's message with the validator's numbers (``%(limit_value)s``), so
the label is put in first and any ``%`` in it is doubled.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from nir.register.rule_config import rule_config
from nir.register.rule_messages import rule_message
from nir.rules.errors import RuleViolation
from nir.rules.input_limits import date_violation, text_violation

# The messages for every kind of field; a kind's own messages below take precedence.
COMMON = {
    "required": _("Fyll ut «{label}»."),
    "invalid": _("«{label}» har ikke en gyldig verdi."),
    "invalid_choice": _("Velg et av alternativene for «{label}»."),
    "max_length": _("«{label}» kan ha høyst %(limit_value)d tegn (du skrev %(show_value)d)."),
    "min_length": _("«{label}» må ha minst %(limit_value)d tegn (du skrev %(show_value)d)."),
    "null_characters_not_allowed": _("«{label}» inneholder et tegn som ikke kan lagres."),
}

BY_KIND: dict[type[forms.Field], dict[str, Any]] = {
    forms.DateField: {
        "required": _("Fyll ut «{label}» med en dato."),
        "invalid": _("«{label}» må være en dato, for eksempel 31.12.2025."),
    },
    forms.IntegerField: {
        "invalid": _("«{label}» må være et helt tall."),
        "max_value": _("«{label}» kan ikke være mer enn %(limit_value)s."),
        "min_value": _("«{label}» kan ikke være mindre enn %(limit_value)s."),
    },
    forms.DecimalField: {
        "invalid": _("«{label}» må være et tall, for eksempel 7,5."),
        "max_value": _("«{label}» kan ikke være mer enn %(limit_value)s."),
        "min_value": _("«{label}» kan ikke være mindre enn %(limit_value)s."),
        "max_digits": _("«{label}» kan ha høyst %(max)s sifre."),
        "max_decimal_places": _("«{label}» kan ha høyst %(max)s desimal(er)."),
        "max_whole_digits": _("«{label}» kan ha høyst %(max)s sifre før komma."),
    },
    forms.ChoiceField: {
        "required": _("Velg «{label}»."),
    },
    forms.ModelChoiceField: {
        "required": _("Velg «{label}»."),
        "invalid_choice": _("Velg et av alternativene for «{label}»."),
    },
}

# A hidden field has no label a user would know: its trouble is the page, not the input.
HIDDEN = _("Skjemaet er ufullstendig. Last siden på nytt og prøv igjen.")


def messages_for(field: forms.Field, name: str) -> dict[str, str]:
    """Every message ``field`` can give, in the active language, with its label put in."""
    if isinstance(field.widget, forms.HiddenInput):
        return {code: str(HIDDEN) for code in (*COMMON, "max_value", "min_value")}
    label = str(field.label if field.label is not None else name).replace("%", "%%")
    templates: dict[str, Any] = dict(COMMON)
    for kind in reversed(type(field).__mro__):
        templates.update(BY_KIND.get(kind, {}))
    return {code: str(text).replace("{label}", label) for code, text in templates.items()}


def apply_messages(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        field.error_messages.update(messages_for(field, name))


def _refusal(label: str, violation: RuleViolation) -> forms.ValidationError:
    message = rule_message(violation.code, violation.params, violation.message)
    return forms.ValidationError(f"«{label}»: {message}", code=violation.code)


def text_limit(label: str) -> Any:
    def refuse_control_characters(value: str) -> None:
        violation = text_violation("", value)
        if violation is not None:
            raise _refusal(label, violation)

    return refuse_control_characters


def date_limit(label: str) -> Any:
    def within_date_range(value: Any) -> None:
        config = rule_config()
        violation = date_violation("", value, config.earliest_date, config.latest_date)
        if violation is not None:
            raise _refusal(label, violation)

    return within_date_range


def apply_input_limits(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        label = str(field.label if field.label is not None else name)
        if isinstance(field, forms.CharField):
            # One message for NUL and every other control character.
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]
            field.validators.append(text_limit(label))
        elif isinstance(field, forms.DateField):
            field.validators.append(date_limit(label))


class RegisterForm(forms.Form):
    """A form whose every parse error is the register's own, naming the field's label, and
    whose text and date fields keep the register's input limits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_messages(self)
        apply_input_limits(self)
