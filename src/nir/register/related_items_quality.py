"""Data quality of the intro participants' related items (rules-norsk.md N8), per
municipality: how many participants in the programme during the year lack a completed
kompetansekartlegging, karriereveiledning, integreringskontrakt or livsmestring, counted by
the newest status of each kind (Decision N8-a). Foreldreveiledning is left out: it applies
only where the caseworker marks it (Decision N8-c), so the register cannot say it is missing.

Only integreringsloven's participants (kap. 6A included): introduksjonsloven has none of the
items as duties, and no contract. One grouped query, whatever the size of the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from nir.register.models import Kommune, Participation
from nir.register.related_item_models import RelatedItemRecord
from nir.rules.norsk.related_items import ItemStatus, RelatedItemKind
from nir.rules.regime import Regime

# The kinds whose absence is a gap: every integreringsloven participant has them.
COUNTED = (
    RelatedItemKind.KOMPETANSEKARTLEGGING,
    RelatedItemKind.KARRIEREVEILEDNING,
    RelatedItemKind.INTEGRERINGSKONTRAKT,
    RelatedItemKind.LIVSMESTRING,
)
# A status that closes the item: done, or not for this participant.
SETTLED = (ItemStatus.GJENNOMFORT.value, ItemStatus.FRITATT.value, ItemStatus.IKKE_AKTUELT.value)


@dataclass(frozen=True)
class RelatedItemsQuality:
    kommune_id: int
    kommune: str
    participants: int
    missing: dict[str, int]  # by item kind's value: not (yet) done

    @property
    def counts(self) -> list[int]:
        """The missing counts in the order of ``COUNTED`` (the table's columns)."""
        return [self.missing[k.value] for k in COUNTED]


def _newest_status(kind: RelatedItemKind) -> Subquery:
    return Subquery(
        RelatedItemRecord.objects.filter(participation=OuterRef("pk"), item_kind=kind.value)
        .order_by("-id")
        .values("status")[:1]
    )


def related_items_quality(year: int) -> list[RelatedItemsQuality]:
    """Per municipality with an integreringsloven participant in the programme during the
    year: the participants, and per kind how many have no settled status."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))
    participations = Participation.objects.filter(in_year).exclude(
        regime=Regime.INTRODUKSJONSLOVEN.value
    )
    annotated = participations.annotate(**{f"s_{k.value}": _newest_status(k) for k in COUNTED})
    open_of = {
        k.value: Q(**{f"s_{k.value}__isnull": True}) | ~Q(**{f"s_{k.value}__in": SETTLED})
        for k in COUNTED
    }
    counts = (
        annotated.values("kommune_id")
        .annotate(
            participants=Count("pk"),
            **{f"m_{kind}": Count("pk", filter=q) for kind, q in open_of.items()},
        )
        .order_by()
    )
    names = {k.pk: str(k) for k in Kommune.objects.all()}
    rows = []
    for row in counts:
        values: dict[str, Any] = dict(row)
        rows.append(
            RelatedItemsQuality(
                values["kommune_id"],
                names[values["kommune_id"]],
                values["participants"],
                {k.value: values[f"m_{k.value}"] for k in COUNTED},
            )
        )
    return sorted(rows, key=lambda r: r.kommune)
