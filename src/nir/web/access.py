"""Who the signed-in user is to the register: their scope and their actor for services."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from nir.accounts.models import Role, User
from nir.register.services.context import Actor, Channel
from nir.rules.schemes import Scheme


def scope_of(user: User) -> int | None:
    """The municipality a user reads and writes for; None means all (IMDi)."""
    return None if user.is_imdi else user.kommune_id


def actor_for(user: User) -> Actor:
    return Actor(user.get_username(), Channel.WEB, scope_of(user), user.schemes)


# Statistics users see aggregates only (rules.md §9): never a person.
PERSON_ROLES = frozenset({Role.KOMMUNEINTROBRUKER, Role.KOMMUNENORSKBRUKER, Role.IMDI_RADGIVER})


def current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the decorators below ran login_required first
    return user


View = Callable[..., HttpResponseBase]


def person_access(view: View) -> View:
    """Signed in, with a role that may see persons; anyone else is sent to sign in or refused."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = current_user(request)
        if not user.role_set & PERSON_ROLES or (not user.is_imdi and user.kommune_id is None):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# The web's pages register the programme, and its registrations and their corrections belong
# to the municipality's programme role: IMDi's advisers see every participant and register
# for none (services/context.py, OversightOnly), and a user with only the Norwegian-training
# role registers that scheme alone (SchemeNotHeld).
def may_register(user: User) -> bool:
    return Scheme.INTRODUKSJONSPROGRAM in user.schemes


def registering_access(view: View) -> View:
    """Signed in as a municipality's user: the pages that register or correct."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_register(current_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def may_register_norsk(user: User) -> bool:
    """The Norwegian-training scheme's pages belong to its role, kommunenorskbruker (N7-a)."""
    return Scheme.NORSK in user.schemes


def reads_programme(user: User) -> bool:
    """The programme's person-level reports are its role's (and IMDi's): a user with only the
    Norwegian-training role reads that scheme's reports."""
    return user.is_imdi or Scheme.INTRODUKSJONSPROGRAM in user.schemes


def programme_report_access(view: View) -> View:
    """A person page's role (``person_access``), and the programme's (``reads_programme``)."""

    @person_access
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not reads_programme(current_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def norsk_access(view: View) -> View:
    """Signed in with the Norwegian-training role: the pages that register that scheme."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_register_norsk(current_user(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def aggregate_access(view: View) -> View:
    """Signed in with any role of the register: aggregates carry no person."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = current_user(request)
        if not user.is_imdi and user.kommune_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
