"""`nir bench` runs end to end on a small register and writes its figures beside their limits.

No wall-clock time is asserted: the figures are for people to read, in docs/benchmarks.md.
"""

import io
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.db import connection

from nir.bench.command import Command


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_writes_a_section_per_database_with_limits(tmp_path):
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\n## other-db 1.0, 5 deltakelser\n\nkept\n", encoding="utf-8")
    call_command(
        Command(),
        participants=300,
        runs=1,
        output=out,
        load_seconds=0,
        ingest_records=0,
        stdout=io.StringIO(),
    )
    text = out.read_text(encoding="utf-8")
    assert "## other-db 1.0" in text and "kept" in text
    assert "Daglig kjøring (sweep)" in text
    assert "én håndskrevet UPDATE uten historikk" in text
    assert "Nasjonal statistikk" in text and "Minnetopp" in text
    # The Norwegian-training scheme at the same size, each beside its limit.
    assert "Norsk: daglig flagging av passert frist" in text
    assert "Norsk: nasjonal statistikk" in text and "én GROUP BY over alle ordninger" in text
    # The chart beside the page, referenced from its section, a dot for each row with a limit.
    vendor = connection.vendor
    chart = tmp_path / f"benchmarks-{vendor}.svg"
    assert f"](benchmarks-{vendor}.svg)" in text
    svg = ElementTree.fromstring(chart.read_text(encoding="utf-8"))
    dots = [e for e in svg.iter() if e.get("class") in ("met", "missed")]
    table_rows_with_limit = [
        line
        for line in text.split(f"## {vendor}", 1)[1].splitlines()
        if line.startswith("| ") and " × |" in line
    ]
    assert len(dots) == len(table_rows_with_limit) > 5
    call_command(
        Command(),
        participants=300,
        runs=1,
        output=out,
        load_seconds=0,
        ingest_records=0,
        stdout=io.StringIO(),
    )
    assert out.read_text(encoding="utf-8").count("Daglig kjøring (sweep)") == 1
