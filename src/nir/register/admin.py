"""Django's admin as the operators' tool: reference data and the scheduler's runs, read-only.

Only an operator (a superuser) enters it; caseworkers, IMDi's advisers and statisticians use
their own pages, where every read of a person is access-logged. The admin shows no personal
data at all (no persons, participations or history), so nothing here needs a log entry, and
nothing is written here: every change goes through the services so that the rules hold and
history is kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nir.register.models import Kommune


def is_operator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


@admin.register(Kommune)
class KommuneAdmin(ReadOnlyAdmin):
    list_display = ("number", "display_name", "county_name", "valid_from", "valid_to")
    search_fields = ("number", "name", "display_name")
