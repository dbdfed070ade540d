"""The two ends of the ID-porten sign-in."""

from __future__ import annotations

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from nir.accounts import oidc


@require_GET
def idporten_start(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        return render(
            request,
            "accounts/idporten_error.html",
            {"reason": "Innlogging med ID-porten er ikke satt opp."},
            status=404,
        )
    redirect_uri = request.build_absolute_uri(reverse("accounts:idporten-callback"))
    return HttpResponseRedirect(oidc.start(request.session, redirect_uri))


@require_GET
def idporten_callback(request: HttpRequest) -> HttpResponse:
    try:
        claims = oidc.finish(request.session, request.GET.get("state"), request.GET.get("code"))
    except oidc.OidcError as error:
        return render(request, "accounts/idporten_error.html", {"reason": error.reason}, status=403)
    user = (
        get_user_model()
        .objects.filter(national_identity_number=claims["pid"], is_active=True)
        .first()
    )
    if user is None:
        return render(
            request,
            "accounts/idporten_error.html",
            {
                "reason": "Du er logget inn med ID-porten, men har ingen tilgang i registeret. "
                "Kontakt kommunens administrator for NIR."
            },
            status=403,
        )
    login(request, user, backend="nir.accounts.backends.LockoutBackend")
    return HttpResponseRedirect("/")
