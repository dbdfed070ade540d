"""The person search's results page by page: the programme's participations, the
Norwegian-training ordninger, and the persons in neither, each list only where the reader's
search covers its scheme (``access.searched_schemes``) and the query asks for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils import timezone

from nir.register.models import Participation, Person
from nir.register.norsk_follow_up import ordning_status
from nir.register.norsk_models import NorskParticipation
from nir.rules.norsk.frist import OrdningStatus
from nir.rules.schemes import Scheme
from nir.web.search import (
    SearchQuery,
    persons_without_participation,
    search_norsk,
    search_participations,
)
from nir.web.sorting import Sort

PAGE_SIZE = 50
NORSK_PAGE = "side_norsk"  # the Norwegian-training list's own page, beside the programme's


@dataclass(frozen=True, slots=True)
class NorskHit:
    ordning: NorskParticipation
    status: OrdningStatus


@dataclass(frozen=True)
class SearchResults:
    """None: the list is not shown (the reader's search or the query leaves its scheme out)."""

    programme: Page[Participation] | None = None
    norsk: Page[NorskParticipation] | None = None
    persons: list[Person] = field(default_factory=list)
    persons_cut: bool = False  # more persons than the first PAGE_SIZE shown, and it is said
    schemes: frozenset[Scheme] = frozenset()

    def person_ids(self) -> Iterator[int]:
        """Every person the page shows, for the access log."""
        for page in (self.programme, self.norsk):
            if page is not None:
                yield from (row.person_id for row in page.object_list)
        yield from (person.pk for person in self.persons)

    def norsk_hits(self, today: dt.date) -> list[NorskHit]:
        if self.norsk is None:
            return []
        return [NorskHit(row, ordning_status(row, today)) for row in self.norsk.object_list]


def search_results(
    request: HttpRequest,
    kommune_id: int | None,
    query: SearchQuery,
    schemes: frozenset[Scheme],
    sorts: tuple[Sort, Sort],
) -> SearchResults:
    """The query's results in the schemes the reader searches, one page of each list; the
    participations and the persons each in their own order (``sorts``)."""
    sort, person_sort = sorts
    shown = schemes & {Scheme(query.scheme)} if query.scheme else schemes
    today = timezone.localdate()
    programme = norsk = None
    if Scheme.INTRODUKSJONSPROGRAM in shown:
        rows = search_participations(kommune_id, query, today).order_by(*sort.order_by())
        programme = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("side"))
    if Scheme.NORSK in shown:
        ordninger = search_norsk(kommune_id, query, today)
        norsk = Paginator(ordninger, PAGE_SIZE).get_page(request.GET.get(NORSK_PAGE))
    alone = persons_without_participation(kommune_id, query.text, shown)
    persons = list(alone.order_by(*person_sort.order_by())[: PAGE_SIZE + 1])
    return SearchResults(programme, norsk, persons[:PAGE_SIZE], len(persons) > PAGE_SIZE, shown)
