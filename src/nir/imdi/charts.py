"""Geometry of server-rendered SVG bar charts whose values may be shares or hidden cells.

The caseworker UI's ``nir.web.charts`` draws whole counts; here a bar also carries the text
to print beside it (a percentage, or a dot for a suppressed cell, drawn with no bar).
"""

from __future__ import annotations

from dataclasses import dataclass

from nir.web.charts import BAR_AREA, BAR_HEIGHT, GAP, LABEL_WIDTH, VALUE_WIDTH


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    text: str
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 8


@dataclass(frozen=True, slots=True)
class Chart:
    bars: list[Bar]
    height: int
    # Room for a percentage such as «100,0 %» after the longest bar.
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH + 30
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(items: list[tuple[str, float | None, str]]) -> Chart:
    """Horizontal bars scaled to the largest value; ``None`` is drawn as text only."""
    largest = max((value for _, value, _ in items if value is not None), default=0) or 1
    bars = [
        Bar(
            label,
            text,
            index * (BAR_HEIGHT + GAP),
            0 if value is None else round(BAR_AREA * value / largest),
        )
        for index, (label, value, text) in enumerate(items)
    ]
    return Chart(bars, max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT))


def percent_text(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f} %".replace(".", ",")
