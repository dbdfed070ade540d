"""Benchmarks that measure the register against the machine's own limit in the same run.

Each figure is the median of several runs. Where a write is measured, each run happens in a
transaction that is rolled back, so every run does the same work on the same data. The
limit is the fastest way the database itself can do the same work: one hand-written SQL
statement, with none of the register's rules or history.
"""

from __future__ import annotations

import datetime as dt
import os
import platform

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from nir.bench.figures import Figure, bench_daily_write, bench_read, peak_memory_mb, timed
from nir.bench.ingest import PROGRAMME, bench_ingest
from nir.bench.norsk import bench_norsk
from nir.bench.norsk_ingest import NORSK
from nir.bench.reads import bench_web_reads
from nir.bench.reports import bench_cutoff_statistics, bench_large_kommune_reports
from nir.register.data_quality import quality_by_kommune
from nir.register.models import Participation
from nir.register.services.sweep import run_sweep
from nir.register.statistics import figures_for, publish
from nir.register.ukraina_report import build_ukraina_report, ukraina_report_xlsx
from nir.rules.regime import Regime


def _hand_written_sweep(as_of: dt.date) -> None:
    """The limit: end the same participations with one UPDATE, no history, no rules."""
    table = Participation._meta.db_table
    date = connection.ops.adapt_datefield_value(as_of)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET end_date = frist, termination_reason = 'ikke_registrert', "  # noqa: S608
            "termination_source = 'system', version = version + 1 "
            "WHERE end_date IS NULL AND frist < %s",
            [date],
        )


def bench_sweep(runs: int, as_of: dt.date) -> Figure:
    due = Participation.objects.filter(end_date__isnull=True, frist__lt=as_of).count()
    count = f"{due:,}".replace(",", " ")
    return bench_daily_write(
        f"Daglig kjøring (sweep), {count} deltakelser avsluttes",
        lambda: run_sweep(as_of=as_of),
        lambda: _hand_written_sweep(as_of),
        runs,
    )


def _grouped_count() -> None:
    """The limit for statistics: one GROUP BY over every participation."""
    table = Participation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kommune_id, termination_reason, COUNT(*) FROM {table} "  # noqa: S608
            "GROUP BY kommune_id, termination_reason"
        )
        cursor.fetchall()


def _grouped_kap6a() -> None:
    """The limit for the Ukraina report: its participants counted by municipality."""
    table = Participation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kommune_id, termination_reason, COUNT(*) FROM {table} "  # noqa: S608
            "WHERE regime = %s GROUP BY kommune_id, termination_reason",
            [Regime.INTEGRERINGSLOVEN_KAP6A.value],
        )
        cursor.fetchall()


def run_all(
    runs: int, as_of: dt.date, load_seconds: float = 0, ingest_records: int = 0
) -> list[Figure]:
    # The register as it stands in use, a while after its load (seeded just before, often).
    _vacuum_as_autovacuum_would()
    figures = [bench_sweep(runs, as_of)]
    # The sweep's rolled-back updates leave a quarter of the participations dead.
    _vacuum_as_autovacuum_would()
    figures += _national_reads(runs, as_of)
    figures += bench_cutoff_statistics(runs, as_of)
    figures += bench_large_kommune_reports(runs, as_of)
    month = (as_of.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    figures.append(
        bench_read(
            f"Månedsrapport Ukraina {month} (XLSX)",
            lambda: ukraina_report_xlsx(build_ukraina_report(month, timezone.now())),
            runs,
            5.0,
            "én GROUP BY over kap. 6A-deltakelser",
            _grouped_kap6a,
        )
    )
    sweep_memory = peak_memory_mb(lambda: timed(lambda: run_sweep(as_of=as_of), rollback=True))
    figures.append(
        Figure(
            "Minnetopp, daglig kjøring",
            "MB",
            [sweep_memory],
            target="< 200 MB",
            met=sweep_memory < 200,
        )
    )
    figures += [bench_export_memory(rows) for rows in (10_000, 100_000)]
    _vacuum_as_autovacuum_would()  # after the sweep measured for its memory
    figures += bench_norsk(runs, as_of)
    if ingest_records:
        figures += bench_ingest(runs, as_of, ingest_records, (PROGRAMME, NORSK))
    if load_seconds:
        _vacuum_as_autovacuum_would()
        figures += bench_web_reads(load_seconds)
    return figures


def _national_reads(runs: int, as_of: dt.date) -> list[Figure]:
    """The national figures now and data quality, each against one GROUP BY."""
    year = as_of.year - 1
    return [
        bench_read(
            f"Nasjonal statistikk {year} etter kommune (med prikking)",
            lambda: publish(figures_for(year, "kommune", at_cutoff=False)),
            runs,
            1.0,
            "én GROUP BY over alle deltakelser",
            _grouped_count,
        ),
        bench_read(
            f"Datakvalitet {year} for alle kommuner",
            lambda: quality_by_kommune(year, as_of),
            runs,
            1.0,
            "én GROUP BY over alle deltakelser",
            _grouped_count,
        ),
    ]


def _vacuum_as_autovacuum_would() -> None:
    """A register in use is vacuumed soon after a load or a day's sweep (autovacuum starts
    once a fifth of a table has changed), and the runs here leave hundreds of thousands of
    dead rows (every write is rolled back); unvacuumed, the next reads' index-only scans
    visit the tables again. PostgreSQL only: SQLite keeps neither dead rows nor a
    visibility map."""
    if connection.vendor != "postgresql":
        return
    tables = sorted(
        connection.ops.quote_name(model._meta.db_table)
        for app in apps.get_app_configs()
        if app.name.startswith("nir.")
        for model in app.get_models()
        if model._meta.managed
    )
    # The register's own tables: the database's shared catalogues are its owner's to vacuum.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")


def bench_export_memory(limit: int) -> Figure:
    """Peak Python memory while ``limit`` rows of the person list (as IMDi may download it)
    are written to XLSX: measured at two sizes, it should not grow with the rows."""
    from itertools import islice

    from nir.register.reports import PERSON_LIST_COLUMNS, PersonListFilter, person_list_rows
    from nir.web.exports import xlsx_response

    everyone = PersonListFilter(active_only=False)
    rows = min(limit, Participation.objects.count())

    def export() -> None:
        # In a transaction the cursor streams; outside one, PostgreSQL's cursor WITH HOLD
        # would build the whole list before the first row, and the 100,000 would not be
        # the work measured.
        with transaction.atomic():
            _export()

    def _export() -> None:
        response = xlsx_response(
            "personliste",
            "Personliste",
            PERSON_LIST_COLUMNS,
            islice(person_list_rows(None, everyone), limit),
        )
        # Close the file itself: closing the response would signal the end of a request,
        # and Django closes the database connection then.
        if response.file_to_stream is not None:
            response.file_to_stream.close()

    peak = peak_memory_mb(export)
    count = f"{rows:,}".replace(",", " ")
    return Figure(
        f"Minnetopp (Python), XLSX-eksport av personlisten, {count} rader",
        "MB",
        [peak],
        target="< 200 MB",
        met=peak < 200,
    )


def machine() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()"
        )
        version = cursor.fetchone()[0]
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return {
        "cpu": f"{cpu}, {os.cpu_count()} kjerner",
        "python": platform.python_version(),
        "database": f"{connection.vendor} {str(version).split(' on ')[0]}",
        "participations": f"{Participation.objects.count():,}".replace(",", " "),
    }


def section_title(info: dict[str, str]) -> str:
    """The database and the register's size: a section's heading and its chart's title."""
    return f"{info['database']}, {info['participations']} deltakelser"


def markdown_section(
    figures: list[Figure], info: dict[str, str], runs: int, chart: str = ""
) -> str:
    """The run's table, after its chart (``chart``: the SVG's path beside the page) if any."""
    lines = [
        f"## {section_title(info)}",
        "",
        f"Målt {timezone.localdate():%d.%m.%Y} på {info['cpu']}, Python {info['python']}. "
        f"Median av {runs} kjøringer; skrivinger rulles tilbake mellom kjøringene.",
        "",
    ]
    if chart:
        lines += [f"![Hver måling som ganger grensen fra samme kjøring]({chart})", ""]
    lines += [
        "| måling | median | grense (samme kjøring) | forhold | mål | nådd |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        limit = f.limit
        ratio = f"{f.median / limit:.1f} ×" if limit else ""
        limit_text = f"{limit:.3f} {f.unit} ({f.limit_name})" if limit is not None else ""
        met = "" if f.met is None else ("ja" if f.met else "nei")
        lines.append(
            f"| {f.name} | {f.median:.3f} {f.unit} | {limit_text} | {ratio} | {f.target} | {met} |"
        )
    return "\n".join(lines) + "\n"
