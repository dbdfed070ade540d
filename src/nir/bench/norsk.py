"""Benchmarks for the Norwegian-training scheme, at the same sizes as the programme's (the
seed gives most kap. 6A participants both schemes), each against a hand-written limit in
the same run (see ``nir.bench.measure``):

- the daily job that flags the frister passed (rules-norsk.md N3-d), with its history event
  and legal basis per ordning, against one UPDATE of the same rows without history;
- the national figures of the scheme (every breakdown, protected together) and its data
  quality per municipality, against one GROUP BY over every ordning;
- the report of ended Norwegian training that the largest municipality opens (its first
  page, the number of pages and the counts by reason), against one GROUP BY over that
  municipality's ordninger.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db import connection

from nir.bench.figures import Figure, bench_daily_write, bench_read
from nir.register.models import Kommune
from nir.register.norsk_models import NorskParticipation
from nir.register.norsk_quality import norsk_quality_by_kommune
from nir.register.norsk_reports import norsk_ended, norsk_ended_by_reason
from nir.register.norsk_statistics import published_norsk_statistics
from nir.register.services.norsk_frist import flag_norsk_frist_passed

LARGE_KOMMUNE = "0301"  # Oslo, as the programme's reports (nir.bench.reports)
PAGE_SIZE = 100
TABLE = NorskParticipation._meta.db_table


def _hand_written_flagging(as_of: dt.date) -> None:
    """The limit: flag the same ordninger with one UPDATE, no history, no rules."""
    date = connection.ops.adapt_datefield_value(as_of)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET frist_flagged_on = %s, version = version + 1 "  # noqa: S608
            "WHERE end_date IS NULL AND frist < %s AND frist_flagged_on IS NULL",
            [date, date],
        )


def bench_norsk_flagging(runs: int, as_of: dt.date) -> Figure:
    due = NorskParticipation.objects.filter(
        end_date__isnull=True, frist__lt=as_of, frist_flagged_on__isnull=True
    ).count()
    count = f"{due:,}".replace(",", " ")
    return bench_daily_write(
        f"Norsk: daglig flagging av passert frist, {count} ordninger",
        lambda: flag_norsk_frist_passed(as_of),
        lambda: _hand_written_flagging(as_of),
        runs,
    )


def _grouped_ordninger(kommune_id: int | None = None) -> None:
    """The limit for the scheme's figures and reports: one GROUP BY over its ordninger."""
    where, params = ("WHERE kommune_id = %s", [kommune_id]) if kommune_id else ("", [])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kommune_id, end_reason, COUNT(*) FROM {TABLE} {where} "  # noqa: S608
            "GROUP BY kommune_id, end_reason",
            params,
        )
        cursor.fetchall()


def _ended_report(kommune_id: int, year: int) -> None:
    """What the report of ended Norwegian training shows the municipality on opening."""
    page = Paginator(norsk_ended(kommune_id, year), PAGE_SIZE).get_page(1)
    list(page.object_list)
    norsk_ended_by_reason(kommune_id, year)


def bench_norsk(runs: int, as_of: dt.date) -> list[Figure]:
    year = as_of.year - 1
    figures = [bench_norsk_flagging(runs, as_of)]
    figures.append(
        bench_read(
            f"Norsk: nasjonal statistikk {year}, alle inndelinger (med prikking)",
            lambda: published_norsk_statistics(year),
            runs,
            1.0,
            "én GROUP BY over alle ordninger",
            _grouped_ordninger,
        )
    )
    figures.append(
        bench_read(
            f"Norsk: datakvalitet {year} for alle kommuner",
            lambda: norsk_quality_by_kommune(year, as_of),
            runs,
            1.0,
            "én GROUP BY over alle ordninger",
            _grouped_ordninger,
        )
    )
    kommune = Kommune.objects.filter(number=LARGE_KOMMUNE, valid_to__isnull=True).first()
    if kommune is not None:
        figures.append(
            bench_read(
                f"Norsk: avsluttet opplæring {year}, {kommune.display_name} (første side)",
                lambda: _ended_report(kommune.pk, year),
                runs,
                1.0,
                "én GROUP BY over kommunens ordninger",
                lambda: _grouped_ordninger(kommune.pk),
            )
        )
    return figures
