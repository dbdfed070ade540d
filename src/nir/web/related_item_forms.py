"""The form for an intro participant's related items (rules-norsk.md N8): parse and shape
input only; the service checks the rules (services/registrations.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nir.register import labels
from nir.web.forms import VersionedForm, date_field


class RelatedItemForm(VersionedForm):
    item_kind = forms.ChoiceField(
        label=labels.FIELDS["item_kind"],
        choices=[("", _("Velg hva som registreres")), *labels.RELATED_ITEM_KINDS.items()],
    )
    status = forms.ChoiceField(label=labels.FIELDS["status"], choices=labels.ITEM_STATUSES.items())
    date_completed = date_field(
        labels.FIELDS["date_completed"],
        required=False,
        help_text=_("Fylles ut når, og bare når, statusen er «Gjennomført»."),
    )
    marked_applicable = forms.BooleanField(
        label=_("Foreldreveiledning er aktuelt for deltakeren (har eller får barn under 18 år)"),
        required=False,
        help_text=_(
            "Registeret har ikke opplysninger om barn. Uten dette regnes foreldreveiledning "
            "som ikke aktuelt."
        ),
    )
