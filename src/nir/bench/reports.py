"""Benchmarks for the figures at the annual cut-off and for a large municipality's reports,
each measured against a hand-written limit in the same run (see ``nir.bench.measure``).

- The national figures at the cut-off: stored once the cut-off has passed (that store
  rebuilds every participation's state from the history, and is measured on its own), then
  read back as stored, and the comparison with now from the stored figures and the changes
  after the cut-off. Their limit is the least work a rebuild must do: one GROUP BY over the
  participations joined with their creation events up to the cut-off (the semi-join every
  reading at a past moment needs), without the later changes, the rules or suppression.
- A large municipality's reports are what Oslo (0301, the largest) opens: the report of
  ended participations (its first page of 100, the number of pages and the counts above it),
  the person list (its first page and the number of pages) and the municipality overview.
  Their limit is one GROUP BY over that municipality's participations.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet

from nir.bench.figures import Figure, bench_read
from nir.register import reports
from nir.register.cutoff_comparison import compare_with_cutoff
from nir.register.cutoffs import annual_cutoff
from nir.register.models import CREATION_ACTIONS, HistoryEvent, Kommune, Participation
from nir.register.publication import published_statistics
from nir.register.services.context import SYSTEM, write_context
from nir.register.services.stored_figures import store_year_figures
from nir.register.statistics import cutoff_at

LARGE_KOMMUNE = "0301"  # Oslo
PAGE_SIZE = 100  # as the report pages (nir.web.views.reports)


def _created_by_cutoff_grouped(year: int) -> None:
    """The limit for the cut-off figures: one GROUP BY over the participations that had
    been created by the cut-off."""
    at = connection.ops.adapt_datetimefield_value(cutoff_at(year))
    actions = ", ".join(f"'{a}'" for a in CREATION_ACTIONS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.kommune_id, p.termination_reason, COUNT(*) "  # noqa: S608
            f"FROM {Participation._meta.db_table} p WHERE EXISTS (SELECT 1 FROM "
            f"{HistoryEvent._meta.db_table} c WHERE c.participation_id = p.id "
            f"AND c.action IN ({actions}) AND c.occurred_at <= %s) "
            "GROUP BY p.kommune_id, p.termination_reason",
            [at],
        )
        cursor.fetchall()


def bench_cutoff_statistics(runs: int, as_of: dt.date) -> list[Figure]:
    """The national figures by municipality as they stood at last year's cut-off (with
    suppression), and the comparison with now that lists every later correction. Once the
    cut-off has passed, the year's figures are stored first (as the scheduler does), so
    both read the stored figures: the published figures a lookup, the comparison the
    stored figures and the changes after the cut-off."""
    year = as_of.year - 1
    figures = []
    if annual_cutoff(year).day < as_of:
        figures.append(
            bench_read(
                f"Lagring av tallene for {year} ved fristen (begge tellinger, med prikking)",
                lambda: store_year_figures(write_context(SYSTEM), year, rebuild=True),
                1,
                1.0,
                "én GROUP BY over deltakelser registrert innen fristen",
                lambda: _created_by_cutoff_grouped(year),
            )
        )
    return [
        *figures,
        bench_read(
            f"Nasjonal statistikk {year} etter kommune ved fristen (med prikking)",
            lambda: published_statistics(year, at_cutoff=True)["kommune"],
            runs,
            0.1,
            "én GROUP BY over deltakelser registrert innen fristen",
            lambda: _created_by_cutoff_grouped(year),
        ),
        bench_read(
            f"Statistikk {year}: ved fristen mot nå, med rettelser",
            lambda: compare_with_cutoff(year, "kommune"),
            runs,
            1.0,
            "én GROUP BY over deltakelser registrert innen fristen",
            lambda: _created_by_cutoff_grouped(year),
        ),
    ]


def _first_page(queryset: QuerySet[Participation]) -> None:
    page = Paginator(queryset, PAGE_SIZE).get_page(1)
    list(page.object_list)
    _ = page.paginator.num_pages


def _kommune_grouped(kommune_id: int) -> None:
    """The limit for a municipality's reports: one GROUP BY over its participations."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT regime, termination_reason, COUNT(*) "  # noqa: S608
            f"FROM {Participation._meta.db_table} WHERE kommune_id = %s "
            "GROUP BY regime, termination_reason",
            [kommune_id],
        )
        cursor.fetchall()


def bench_large_kommune_reports(runs: int, as_of: dt.date) -> list[Figure]:
    """Oslo's reports as its caseworkers open them, each under a second."""
    kommune = Kommune.objects.get(number=LARGE_KOMMUNE, valid_to__isnull=True)
    count = f"{Participation.objects.filter(kommune=kommune).count():,}".replace(",", " ")
    year = as_of.year - 1
    everyone = reports.TerminatedFilter()

    def terminated() -> None:
        _first_page(reports.terminated_participations(kommune.pk, everyone))
        reports.terminated_counts(kommune.pk, everyone)

    def person_list() -> None:
        _first_page(reports.person_list(kommune.pk, reports.PersonListFilter(active_only=False)))

    limit_name = "én GROUP BY over kommunens deltakelser"
    limit = lambda: _kommune_grouped(kommune.pk)  # noqa: E731
    return [
        bench_read(
            f"Rapport: avsluttede, {kommune.name} ({count} deltakelser), første side og antall",
            terminated,
            runs,
            1.0,
            limit_name,
            limit,
        ),
        bench_read(
            f"Personliste, {kommune.name}, første side og antall",
            person_list,
            runs,
            1.0,
            limit_name,
            limit,
        ),
        bench_read(
            f"Kommuneoversikt {year}, {kommune.name}",
            lambda: reports.kommune_overview(kommune.pk, year),
            runs,
            1.0,
            limit_name,
            limit,
        ),
    ]
