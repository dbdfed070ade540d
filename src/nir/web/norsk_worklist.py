"""The Norwegian-training part of the worklist: one short list per stream (reads only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from nir.register import norsk_follow_up as streams
from nir.register.norsk_models import NorskParticipation

SHOWN = 25  # each stream shows its first rows; the count says how many there are


@dataclass(frozen=True, slots=True)
class NorskStream:
    slug: str
    title: Any  # lazy translation
    fix: str  # the registration that settles the task (web/norsk_registrations.py)
    count: int
    rows: list[NorskParticipation]


def norsk_worklist(kommune_id: int | None, today: dt.date) -> list[NorskStream]:
    queries = (
        ("frist-utlopt", _("Frist utløpt uten registrert avslutning"), "avslutning",
         streams.norsk_frist_passed(kommune_id, today)),
        ("frist-snart", _("Frist innen 30 dager"), "avslutning",
         streams.norsk_frist_soon(kommune_id, today)),
        ("mangler-maal", _("Mangler norskmål eller utdanningsbakgrunn"), "norskmaal",
         streams.norsk_goal_or_education_missing(kommune_id)),
        ("mangler-timer", _("Ingen timer registrert dette halvåret"), "timer",
         streams.norsk_hours_missing(kommune_id, today)),
        ("resultat", _("Prøveresultat ventes: frist innen 3 måneder uten resultat"), "prove",
         streams.norsk_results_due(kommune_id, today)),
    )  # fmt: skip
    return [
        NorskStream(slug, title, fix, query.count(), list(query[:SHOWN]))
        for slug, title, fix, query in queries
    ]
