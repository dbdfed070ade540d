"""The intro participant's items beside the programme (rules-norsk.md N8): kompetansekartlegging,
karriereveiledning, integreringskontrakt, livsmestring and foreldreveiledning.

Each registration is a dated record with a status (Decision N8-a) on the programme's
participation; the newest record of a kind is the one that holds, the older ones are its
history. The app imports this module with ``models.py`` (``RegisterConfig.import_models``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from nir.register.models import Participation, Registration, enum_choices
from nir.rules.norsk.related_items import ItemSource, ItemStatus, RelatedItemKind


class RelatedItemRecord(Registration):
    """One status of one related item, as the municipality (or IMDinett) reported it."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="related_items"
    )
    item_kind = models.CharField(max_length=32, choices=enum_choices(RelatedItemKind))
    status = models.CharField(max_length=16, choices=enum_choices(ItemStatus))
    date_completed = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=24, choices=enum_choices(ItemSource), default=ItemSource.NIR.value
    )
    # Decision N8-c: foreldreveiledning applies when the caseworker marks it so (the register
    # holds no children); ignored for the other kinds.
    marked_applicable = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["participation", "item_kind"], name="related_item_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ItemStatus.GJENNOMFORT.value, date_completed__isnull=False)
                | (~Q(status=ItemStatus.GJENNOMFORT.value) & Q(date_completed__isnull=True)),
                name="related_item_completed_dated",
            )
        ]
