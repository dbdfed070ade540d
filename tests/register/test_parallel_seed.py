"""`nir seed` registers its chunks in worker processes side by side: what they load is what
one process loads from the same participants, every rule and history event included."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from nir.register.models import HistoryEvent, Participation
from nir.register.norsk_models import NorskParticipation
from nir.register.related_item_models import RelatedItemRecord
from nir.register.services.bulk_load import load_synthetic, load_synthetic_in_parallel
from nir.register.synthetic import SyntheticRegister
from nir.rules.config import DEFAULT_CONFIG


def _register_as_read() -> dict[str, object]:
    """What a reader sees of the loaded register, ids left out."""
    participations = sorted(
        Participation.objects.annotate(events=Count("history")).values_list(
            "person__identity_number",
            "kommune__number",
            "regime",
            "category",
            "start_date",
            "frist",
            "end_date",
            "termination_reason",
            "version",
            "events",
        )
    )
    return {
        "participations": participations,
        "history": Counter(HistoryEvent.objects.values_list("action", "channel", "kommune_id")),
        "ordninger": sorted(
            NorskParticipation.objects.values_list("person__identity_number", "frist", "regime")
        ),
        "related items": sorted(
            RelatedItemRecord.objects.values_list(
                "participation__person__identity_number", "item_kind", "status"
            )
        ),
    }


# A test before this one may leave a thread behind (a live server's); the workers run only
# the load and take none of its locks.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@pytest.mark.django_db(transaction=True)
def test_two_workers_load_what_one_process_loads(kommune_a, kommune_b):
    def participants():
        register = SyntheticRegister(
            today=timezone.localdate(), config=DEFAULT_CONFIG, seed=5, beside_the_programme=True
        )
        return list(register.participations(["0301", "4601"] * 40))

    with transaction.atomic():
        assert load_synthetic(participants(), config=DEFAULT_CONFIG, chunk_size=9) == 80
        one_process = _register_as_read()
        transaction.set_rollback(True)
    assert not Participation.objects.exists()

    progress: list[int] = []
    loaded = load_synthetic_in_parallel(
        participants(), config=DEFAULT_CONFIG, workers=2, chunk_size=9, progress=progress.append
    )
    assert loaded == 80
    assert sum(progress) == 80 and len(progress) == 9  # one step a chunk, as it is written
    assert _register_as_read() == one_process
