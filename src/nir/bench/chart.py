"""The benchmark's chart: each figure's cost against its limit from the same run, as SVG.

One dot a figure on a logarithmic axis, so 1.2 × and 37 × can be read on one page; the
table beside it in docs/benchmarks.md holds the same numbers. A rate (records a second) is
turned into a cost (the limit's rate over the register's), so that on every row further
right is worse. Met and missed differ in shape as well as colour (WCAG 1.4.1).
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from nir.bench.figures import Figure

_WIDTH = 900
_LABEL_WIDTH = 400
_PLOT_LEFT = _LABEL_WIDTH + 10
_PLOT_RIGHT = _WIDTH - 70
_ROW = 22
_TOP = 58
_MET = "#1a7f37"
_MISSED = "#b3261e"
_LABEL_CHARS = 62


def cost_ratio(figure: Figure) -> float | None:
    """How many times the limit's cost the register's figure is; None without a limit."""
    limit = figure.limit
    if not limit or not figure.median:
        return None
    if figure.unit.endswith("/s"):  # a rate: more is better
        return limit / figure.median
    return figure.median / limit


def _ratio_text(ratio: float) -> str:
    return f"{ratio:.1f} ×" if ratio >= 0.1 else f"{ratio:.2g} ×"


def _label(name: str) -> str:
    short = name.split(" (", 1)[0]
    return short if len(short) <= _LABEL_CHARS else short[: _LABEL_CHARS - 1] + "…"


def _ticks(low: float, high: float) -> list[float]:
    ticks = []
    exponent = math.floor(math.log10(low))
    while 10**exponent <= high:
        for step in (1, 3):
            value = step * 10**exponent
            if low <= value <= high:
                ticks.append(float(value))
        exponent += 1
    return ticks


class _Axis:
    """A logarithmic axis from a power of ten below the smallest ratio (and 1) to one above
    the largest (and 2)."""

    def __init__(self, ratios: list[float]) -> None:
        self.low = 10 ** math.floor(math.log10(min(min(ratios), 1.0) * 0.9))
        self.high = 10 ** math.ceil(math.log10(max(max(ratios), 2.0) * 1.1))

    def x(self, ratio: float) -> float:
        span = math.log10(self.high) - math.log10(self.low)
        share = (math.log10(ratio) - math.log10(self.low)) / span
        return _PLOT_LEFT + share * (_PLOT_RIGHT - _PLOT_LEFT)

    def grid(self, bottom: int) -> list[str]:
        parts = []
        for tick in _ticks(self.low, self.high):
            tx = self.x(tick)
            stroke = "#555555" if tick == 1 else "#d0d0d0"
            parts.append(
                f'<line x1="{tx:.1f}" y1="{_TOP - 6}" x2="{tx:.1f}" y2="{bottom}" '
                f'stroke="{stroke}"/>'
            )
            parts.append(
                f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#333333">'
                f"{tick:g} ×</text>"
            )
        return parts


def _row(figure: Figure, ratio: float, index: int, axis: _Axis) -> list[str]:
    """One figure's label, its line from the axis and its dot, with the whole name and
    verdict as the group's title (a tooltip; read by screen readers)."""
    cy = _TOP + _ROW * index + _ROW / 2
    colour = _MISSED if figure.met is False else _MET
    verdict = {True: "nådd", False: "ikke nådd", None: "uten mål"}[figure.met]
    cx = axis.x(ratio)
    value = _ratio_text(ratio)
    if figure.met is False:  # a square for a miss, a circle for the rest
        dot = (
            f'<rect class="missed" x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" '
            f'fill="{colour}"/>'
        )
    else:
        dot = f'<circle class="met" cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{colour}"/>'
    return [
        f"<g><title>{escape(figure.name)}: {value} ({verdict})</title>",
        f'<text x="{_LABEL_WIDTH}" y="{cy + 4:.1f}" text-anchor="end">'
        f"{escape(_label(figure.name))}</text>",
        f'<line x1="{_PLOT_LEFT}" y1="{cy:.1f}" x2="{cx:.1f}" y2="{cy:.1f}" '
        f'stroke="{colour}" stroke-opacity="0.35" stroke-width="2"/>',
        dot,
        f'<text x="{cx + 9:.1f}" y="{cy + 4:.1f}" fill="{colour}">{value}</text></g>',
    ]


def ratio_chart_svg(figures: list[Figure], title: str) -> str:
    """The figures with a limit, one row each in the table's order."""
    rows = [(f, r) for f in figures if (r := cost_ratio(f)) is not None]
    axis = _Axis([r for _, r in rows] or [1.0])
    bottom = _TOP + _ROW * len(rows)
    height = bottom + 44
    missed = sum(1 for f, _ in rows if f.met is False)
    description = (
        f"{len(rows)} målinger, hver som antall ganger grensen fra samme kjøring "
        f"(logaritmisk akse); {missed} bommer på målet. Tabellen under har de samme tallene."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" aria-labelledby="t d" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">{escape(description)}</desc>',
        f'<rect width="{_WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
        '<text x="10" y="38" fill="#333333">Ganger grensen fra samme kjøring '
        "(for poster/s: grensens fart delt på registerets); lenger til høyre er dyrere.</text>",
        *axis.grid(bottom),
    ]
    for index, (figure, ratio) in enumerate(rows):
        parts += _row(figure, ratio, index, axis)
    legend_y = height - 6
    parts += [
        f'<circle cx="16" cy="{legend_y - 4}" r="5" fill="{_MET}"/>',
        f'<text x="26" y="{legend_y}">målet nådd</text>',
        f'<rect x="111" y="{legend_y - 9}" width="10" height="10" fill="{_MISSED}"/>',
        f'<text x="126" y="{legend_y}">målet ikke nådd</text>',
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
