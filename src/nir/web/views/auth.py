"""Signing in and out."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages: ClassVar[dict[str, Any]] = {  # type: ignore[misc]
        "invalid_login": _(
            "Feil brukernavn eller passord. Begge feltene skiller mellom store og små bokstaver."
        ),
        "inactive": _("Brukeren er deaktivert."),
    }


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass
