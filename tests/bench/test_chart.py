"""The benchmark's chart shows each figure where its table row says, a miss as a miss."""

from xml.etree import ElementTree

from nir.bench.chart import cost_ratio, ratio_chart_svg
from nir.bench.figures import Figure

SVG = "{http://www.w3.org/2000/svg}"


def _figure(name, unit, median, limit, met):
    return Figure(name, unit, [median], "grensen", [limit] if limit else [], "mål", met)


def test_a_rate_is_shown_as_its_cost():
    # 1,174 records a second against COPY's 4,092: the register costs 3.5 × the limit.
    ingest = _figure("API-innlesing", "poster/s", 1174.0, 4092.0, False)
    assert round(cost_ratio(ingest), 2) == 3.49
    assert cost_ratio(_figure("Arbeidslisten", "ms", 210.0, 51.0, False)) == 210 / 51
    assert cost_ratio(_figure("Minnetopp", "MB", 2.0, None, True)) is None


def test_each_figure_with_a_limit_is_a_dot_further_right_the_dearer():
    figures = [
        _figure("Nasjonal statistikk 2025 (med prikking)", "s", 0.43, 0.38, True),
        _figure("API: endringsstrøm, 16 samtidige klienter", "ms", 1907.0, 51.0, False),
        _figure("Minnetopp, daglig kjøring", "MB", 0.01, None, True),
        _figure("Rapport: avsluttede", "s", 0.045, 0.021, True),
    ]
    root = ElementTree.fromstring(ratio_chart_svg(figures, "postgresql, 1 000 000"))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "postgresql, 1 000 000"
    assert "1 bommer på målet" in root.find(f"{SVG}desc").text
    groups = [g for g in root.iter(f"{SVG}g")]
    # The memory figure has no limit and no dot; the others keep the table's order.
    assert [g.find(f"{SVG}title").text.rsplit(": ", 1)[0] for g in groups] == [
        "Nasjonal statistikk 2025 (med prikking)",
        "API: endringsstrøm, 16 samtidige klienter",
        "Rapport: avsluttede",
    ]
    national, feed, report = groups
    # A miss is a square, the rest circles: not told apart by colour alone.
    assert feed.find(f"{SVG}rect") is not None and feed.find(f"{SVG}circle") is None
    assert national.find(f"{SVG}circle") is not None
    x = {g: float(g.find(f"{SVG}circle").get("cx")) for g in (national, report)}
    feed_x = float(feed.find(f"{SVG}rect").get("x")) + 5
    assert x[national] < x[report] < feed_x  # 1.1 × < 2.1 × < 37 ×
    assert "37.4 ×" in "".join(feed.itertext())
