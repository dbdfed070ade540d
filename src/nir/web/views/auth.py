"""Signing in and out."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from nir.accounts import oidc
from nir.web.form_messages import apply_messages


class SignInForm(AuthenticationForm):
    error_messages: ClassVar[dict[str, Any]] = {  # type: ignore[misc]
        "invalid_login": _(
            "Feil brukernavn eller passord. Begge feltene skiller mellom store og små bokstaver."
        ),
        "inactive": _("Brukeren er deaktivert."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_messages(self)


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # ID-porten is offered only where the deployment has configured it.
        return {**super().get_context_data(**kwargs), "idporten": oidc.enabled()}


class SignOutView(auth_views.LogoutView):
    """Signing out ends on the register's sign-in page, saying so; never on the page
    Django's admin would show."""

    next_page = "web:login"  # resolved by name

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Du er logget ut."))
        return response
