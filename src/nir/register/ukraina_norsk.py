"""The Norwegian-training part of the monthly Ukraina report (rules-norsk.md; issue 16 §8):
kap. 6A persons in the Norwegian scheme at the end of the month, starts and ends in the
month, by county, municipality and sex, grouped in SQL.

Its cells are protected as a release of their own (``ukraina-norsk:<month>``), with the
same rules as the programme's sheets (``nir.register.publication``): counts under five are
dots, with secondary suppression over the part's sheets together. The scheme's figures are
not sums or parts of the programme's (a person may be in either scheme or both), so no
table of one can be subtracted from a table of the other to find a hidden count.

As the register stood at the cut-off, from the scheme's history: ordninger whose start was
registered by then, and ends registered by then. An end changed after the cut-off is read as
it is stored now (the scheme's end history is not replayed value by value yet).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Sum, When
from django.utils.translation import gettext_noop

from nir.register.models import NORSK_ENDED_ACTION, NORSK_STARTED_ACTION, HistoryEvent, Kommune
from nir.register.norsk_models import NorskParticipation
from nir.register.publication import UkrainaGroup, protected, ukraina_release, ukraina_table
from nir.register.published_labels import PUBLISHED_SEXES
from nir.rules.disclosure import TOTAL, SuppressedTable
from nir.rules.regime import Regime

# Marked so a page shows them in its reader's language (published_labels.published_word).
NORSK_MEASURES = (
    gettext_noop("I opplæring i norsk ved utgangen av måneden"),
    gettext_noop("Startet opplæring i norsk i måneden"),
    gettext_noop("Avsluttet opplæring i norsk i måneden"),
)
NORSK_TITLES = (gettext_noop("Fylke"), gettext_noop("Kommune"), gettext_noop("Kjønn"))
# Sheet and table titles of the part, beside the programme's.
NORSK_PREFIX = gettext_noop("Norsk")


@dataclass(frozen=True)
class NorskUkraina:
    by: dict[str, SuppressedTable]  # dimension title -> measures table
    totals: dict[str, int | None]


def _count(condition: Q) -> Sum:
    return Sum(Case(When(condition, then=1), default=0, output_field=IntegerField()))


def norsk_groups(cutoff: dt.datetime, first: dt.date, last: dt.date) -> list[UkrainaGroup]:
    """The kap. 6A ordninger open during the month, one group per county, municipality and
    sex, with their counts in each measure (one grouped query)."""

    def registered(action: str) -> Exists:
        return Exists(
            HistoryEvent.objects.filter(
                norsk_participation=OuterRef("pk"), action=action, occurred_at__lte=cutoff
            )
        )

    open_ = Q(end_date__isnull=True) | Q(end_known=False)
    rows = (
        NorskParticipation.objects.filter(
            registered(NORSK_STARTED_ACTION),
            regime=Regime.INTEGRERINGSLOVEN_KAP6A.value,
            start_date__lte=last,
        )
        .annotate(end_known=registered(NORSK_ENDED_ACTION))
        .filter(open_ | Q(end_date__gte=first))
        # Grouped by the municipality's id and labelled after: grouping by its names would
        # sort every ordning by four columns of text (on disk, at a million).
        .values("kommune_id", "person__sex")
        .annotate(
            stock=_count(open_ | Q(end_date__gt=last)),
            started=_count(Q(start_date__gte=first)),
            ended=_count(Q(end_known=True, end_date__gte=first, end_date__lte=last)),
        )
        .order_by()
    )
    kommuner = Kommune.objects.in_bulk()
    groups = []
    for r in rows:
        kommune = kommuner[r["kommune_id"]]
        labels = (
            f"{kommune.county_number} {kommune.county_name}",
            f"{kommune.number} {kommune.display_name}",
            PUBLISHED_SEXES.get(r["person__sex"], r["person__sex"]),
        )
        counts = (int(r["stock"]), int(r["started"]), int(r["ended"]))
        groups.append(UkrainaGroup(labels, "", counts))
    return groups


def build_norsk_part(
    month: str, cutoff: dt.datetime, first: dt.date, last: dt.date
) -> NorskUkraina:
    groups = norsk_groups(cutoff, first, last)
    release = ukraina_release(groups, NORSK_TITLES, NORSK_MEASURES, ())
    protection = protected(f"ukraina-norsk:{month}", release)
    by = {
        f"{NORSK_PREFIX} – {title}": ukraina_table(
            protection, title, sorted({g.labels[n] for g in groups}), NORSK_MEASURES
        )
        for n, title in enumerate(NORSK_TITLES)
    }
    totals = {m: protection.shown(("*", TOTAL, m)) for m in NORSK_MEASURES}
    return NorskUkraina(by, totals)
