"""Who may open IMDi's pages and the municipality's side of support requests.

Builds on ``nir.web.access``: anonymous visitors are sent to sign in, a signed-in user
without the role gets 403. Scope (which municipality's rows) is applied by the selectors.
"""

from __future__ import annotations

from nir.accounts.models import Role, User
from nir.web.access import requiring


def is_adviser(user: User) -> bool:
    return user.has_role(Role.IMDI_RADGIVER)


def is_municipal(user: User) -> bool:
    return user.has_role(Role.KOMMUNEINTROBRUKER) and user.kommune_id is not None


# Support requests: the municipality's caseworkers and IMDi's advisers. Statisticians see
# aggregates only, and a thread may point to participants.
support_access = requiring(lambda u: is_municipal(u) or is_adviser(u))
municipal_access = requiring(is_municipal)
adviser_access = requiring(is_adviser)
# Protected figures (the statistics and the Ukraina report, suppressed as published):
# IMDi's advisers and statisticians. Unprotected aggregates (data quality, the cut-off
# comparison with its list of corrections) are the advisers' alone: they work with the
# municipalities on their data, and the corrections are facts about persons.
analyst_access = requiring(lambda u: u.is_imdi)
