"""`nir seed` (and so `nir demo`) loads, beside the programme, the intro participants'
related items (rules-norsk.md N8) and their Norwegian-training ordninger: most kap. 6A
participants have both schemes, and every seeded row reads as the services would write it."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from nir.register.models import HistoryEvent, Participation
from nir.register.norsk_models import NorskParticipation
from nir.register.related_item_models import RelatedItemRecord
from nir.rules.norsk.related_items import (
    ItemSource,
    ItemStatus,
    RelatedItem,
    RelatedItemKind,
    check_related_item,
)
from nir.rules.regime import Regime


@pytest.mark.django_db
def test_seed_loads_both_schemes_and_the_related_items(capsys):
    call_command("seed", participants=300, no_progress=True)
    out = capsys.readouterr().out
    assert "loaded 300 synthetic participants" in out
    kap6a = set(
        Participation.objects.filter(regime=Regime.INTEGRERINGSLOVEN_KAP6A).values_list(
            "person_id", flat=True
        )
    )
    both = set(NorskParticipation.objects.values_list("person_id", flat=True)) & kap6a
    assert kap6a and len(both) / len(kap6a) > 0.6  # most kap. 6A participants have both
    assert f"{NorskParticipation.objects.count()} Norwegian-training ordninger" in out
    assert NorskParticipation.objects.filter(category="").count() == 0
    started = HistoryEvent.objects.filter(action="norsk_participation_started").count()
    assert started == NorskParticipation.objects.count()

    today = timezone.localdate()
    rows = list(RelatedItemRecord.objects.select_related("participation"))
    assert rows
    kinds = Counter(r.item_kind for r in rows)
    assert kinds["kompetansekartlegging"] > kinds["foreldreveiledning"] > 0
    for row in rows:
        assert row.participation.regime != Regime.INTRODUKSJONSLOVEN
        assert row.date_completed is None or row.date_completed <= today
        item = RelatedItem(
            RelatedItemKind(row.item_kind),
            ItemStatus(row.status),
            row.date_completed,
            ItemSource(row.source),
        )
        check_related_item(item, Regime(row.participation.regime))  # a record that can be true
    # Registered through the services, each on its own day with its history.
    events = HistoryEvent.objects.filter(action="related_item_registered", channel="seed")
    assert events.count() == len(rows)
    assert {r.participation.version for r in rows} != {1}  # each registration moved it on
    assert f"{len(rows)} related items" in out
