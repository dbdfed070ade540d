"""What a registration would do to a Norwegian-training ordning, before anyone saves it.

The same as the programme's preview (register/previews.py): the service that saves the
item, ``add_norsk_item``, run on a copy of the ordning with ``MemoryRows``, so the preview
refuses exactly what the save refuses and shows the frist and the end the save would give.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from nir.register.norsk_models import NorskParticipation
from nir.register.rule_config import rule_config
from nir.register.services.context import Actor, Channel, WriteContext
from nir.register.services.items import NorskItem
from nir.register.services.norsk_registrations import add_norsk_item
from nir.register.services.stores import MemoryRows
from nir.rules.schemes import Scheme


@dataclass(frozen=True, slots=True)
class NorskFristPreview:
    """The frist today and with the registration; None where it is not computable."""

    current_frist: dt.date | None
    new_frist: dt.date | None
    derivation: dict[str, object]
    end_reason: str  # the end the save would give (the system's, or the one asked for)

    @property
    def frist_moves(self) -> bool:
        return self.new_frist != self.current_frist


def preview_norsk(
    ordning: NorskParticipation, item: NorskItem, as_of: dt.date
) -> NorskFristPreview:
    """The frist and the end with ``item`` registered on ``as_of``; refuses exactly what
    saving it would refuse. The caller has checked that the reader may see the ordning."""
    store = MemoryRows()
    actor = Actor("forhandsvisning", Channel.WEB, ordning.kommune_id, frozenset({Scheme.NORSK}))
    ctx = WriteContext(actor, timezone.now(), as_of, rule_config(), store)
    draft = copy.copy(ordning)
    add_norsk_item(ctx, draft, item)
    return NorskFristPreview(ordning.frist, draft.frist, draft.frist_derivation, draft.end_reason)
