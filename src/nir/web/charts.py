"""Geometry of the server-rendered SVG bar charts: numbers to widths, nothing more.

A bar carries the text to print beside it: a count, a percentage, or a dot for a suppressed
cell, which is drawn with no bar at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_HEIGHT = 28
GAP = 10
LABEL_WIDTH = 300
BAR_AREA = 360
VALUE_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    text: str
    y: int
    width: int
    highlight: bool

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 8


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(
    items: Sequence[tuple[str, float | None, str, bool]], *, value_width: int = VALUE_WIDTH
) -> BarChart:
    """Horizontal bars scaled to the largest value, each item (label, value, text beside it,
    highlighted); a value of ``None`` is drawn as its text only."""
    largest = max((value for _, value, _, _ in items if value is not None), default=0) or 1
    bars = [
        Bar(
            label,
            text,
            index * (BAR_HEIGHT + GAP),
            0 if value is None else round(BAR_AREA * value / largest),
            highlight,
        )
        for index, (label, value, text, highlight) in enumerate(items)
    ]
    return BarChart(
        bars,
        max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT),
        LABEL_WIDTH + BAR_AREA + value_width,
    )
