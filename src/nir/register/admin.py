"""Django's admin as a read-only window on the register until the caseworker UI exists.

Nothing is written here: every change must go through the services so that the rules hold
and history is kept. Municipal users see only their own municipality's participants.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from nir.register.models import HistoryEvent, Kommune, Participation, Person
from nir.register.selectors import visible_history, visible_participations, visible_persons


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


def _kommune_id(request: HttpRequest) -> int | None:
    user = request.user
    if user.is_superuser or getattr(user, "is_imdi", False):
        return None
    return getattr(user, "kommune_id", None) or -1


@admin.register(Kommune)
class KommuneAdmin(ReadOnlyAdmin):
    list_display = ("number", "display_name", "county_name", "valid_from", "valid_to")
    search_fields = ("number", "name", "display_name")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("given_name", "family_name", "birth_date", "permit_type")
    search_fields = ("identity_number", "duf_number", "family_name", "given_name")
    exclude = ("identity_number",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return visible_persons(_kommune_id(request))


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "person",
        "kommune",
        "regime",
        "start_date",
        "frist",
        "end_date",
        "termination_reason",
    )
    list_filter = ("regime", "termination_reason", "termination_source")
    list_select_related = ("person", "kommune")
    date_hierarchy = "frist"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Participation]:
        return visible_participations(_kommune_id(request))


@admin.register(HistoryEvent)
class HistoryEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "action", "actor", "channel", "participation")
    list_filter = ("action", "channel")

    def get_queryset(self, request: HttpRequest) -> QuerySet[HistoryEvent]:
        return visible_history(_kommune_id(request))
