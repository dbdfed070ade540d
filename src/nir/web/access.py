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


def requiring(
    allowed: Callable[[User], bool], signed_in: Callable[[View], View] = login_required
) -> Callable[[View], View]:
    """A view decorator: signed in (``signed_in`` decides how), then ``allowed`` or 403."""

    def decorator(view: View) -> View:
        @signed_in
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(current_user(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def sees_persons(user: User) -> bool:
    """A role that may see persons, and for a municipal role its municipality."""
    return bool(user.role_set & PERSON_ROLES) and (user.is_imdi or user.kommune_id is not None)


# Signed in, with a role that may see persons; anyone else is sent to sign in or refused.
person_access = requiring(sees_persons)


# The web's pages register the programme, and its registrations and their corrections belong
# to the municipality's programme role: IMDi's advisers see every participant and register
# for none (services/context.py, OversightOnly), and a user with only the Norwegian-training
# role registers that scheme alone (SchemeNotHeld).
def may_register(user: User) -> bool:
    return Scheme.INTRODUKSJONSPROGRAM in user.schemes


# Signed in as a municipality's user: the pages that register or correct.
registering_access = requiring(may_register)


def may_register_norsk(user: User) -> bool:
    """The Norwegian-training scheme's pages belong to its role, kommunenorskbruker (N7-a)."""
    return Scheme.NORSK in user.schemes


def reads_programme(user: User) -> bool:
    """The programme's person-level reports are its role's (and IMDi's): a user with only the
    Norwegian-training role reads that scheme's reports."""
    return user.is_imdi or Scheme.INTRODUKSJONSPROGRAM in user.schemes


# A person page's role (``person_access``), and the programme's (``reads_programme``).
programme_report_access = requiring(reads_programme, person_access)
# Signed in with the Norwegian-training role: the pages that register that scheme.
norsk_access = requiring(may_register_norsk)


def searched_schemes(user: User) -> frozenset[Scheme]:
    """The schemes a user's person search lists: Norwegian training for every role that sees
    persons (the participant page shows it to each), the programme for the programme's role
    and IMDi (``reads_programme``), never to a user with only the Norwegian-training role."""
    if reads_programme(user):
        return frozenset(Scheme)
    return frozenset({Scheme.NORSK})


def signed_in_with_a_role(user: User) -> bool:
    return user.is_imdi or user.kommune_id is not None


# Signed in with any role of the register: aggregates carry no person.
aggregate_access = requiring(signed_in_with_a_role)
