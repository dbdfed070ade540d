"""«Regler i bruk»: the rules the register computes with, today or on a chosen date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nir.imdi.access import analyst_access
from nir.register.cutoffs import annual_cutoff
from nir.register.rule_config import rule_config
from nir.rules.in_force import RuleInForce, rules_as_json, rules_in_force
from nir.web.forms import date_field

CUTOFF_YEARS = 6


class RulesDateForm(forms.Form):
    dato = date_field(_("Dato"), required=False, help_text=_("Reglene som gjaldt denne dagen."))


def _day(request: HttpRequest) -> tuple[RulesDateForm, dt.date | None]:
    form = RulesDateForm(request.GET or None)
    if not form.is_bound:
        return form, timezone.localdate()
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data["dato"] or timezone.localdate()


def _rules(as_of: dt.date) -> list[RuleInForce]:
    years = range(as_of.year - CUTOFF_YEARS, as_of.year)
    return rules_in_force(rule_config(), as_of, cutoffs=tuple(annual_cutoff(y) for y in years))


@analyst_access
def rules_page(request: HttpRequest) -> HttpResponse:
    form, day = _day(request)
    context: dict[str, Any] = {"form": form, "day": day, "rules": _rules(day) if day else []}
    return render(request, "imdi/rules.html", context, status=200 if day else 400)


@analyst_access
def rules_json(request: HttpRequest) -> HttpResponse:
    form, day = _day(request)
    if day is None:
        errors = [
            {"field": name, "label": str(form.fields[name].label), "message": str(message)}
            for name, messages in form.errors.items()
            for message in messages
        ]
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse(rules_as_json(_rules(day), day), json_dumps_params={"ensure_ascii": False})
