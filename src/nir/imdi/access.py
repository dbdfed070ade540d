"""Who may open IMDi's pages and the municipality's side of support requests.

Builds on ``nir.web.access``: anonymous visitors are sent to sign in, a signed-in user
without the role gets 403. Scope (which municipality's rows) is applied by the selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from nir.accounts.models import Role, User
from nir.web.access import View, current_user


def is_adviser(user: User) -> bool:
    return user.has_role(Role.IMDI_RADGIVER)


def is_municipal(user: User) -> bool:
    return user.has_role(Role.KOMMUNEINTROBRUKER) and user.kommune_id is not None


def _requiring(allowed: Callable[[User], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(current_user(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Support requests: the municipality's caseworkers and IMDi's advisers. Statisticians see
# aggregates only, and a thread may point to participants.
support_access = _requiring(lambda u: is_municipal(u) or is_adviser(u))
municipal_access = _requiring(is_municipal)
adviser_access = _requiring(is_adviser)
# Protected figures (the statistics and the Ukraina report, suppressed as published):
# IMDi's advisers and statisticians. Unprotected aggregates (data quality, the cut-off
# comparison with its list of corrections) are the advisers' alone: they work with the
# municipalities on their data, and the corrections are facts about persons.
analyst_access = _requiring(lambda u: u.is_imdi)
