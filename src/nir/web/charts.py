"""Geometry of the server-rendered SVG bar chart: numbers to widths, nothing more."""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 28
GAP = 10
LABEL_WIDTH = 300
BAR_AREA = 360
VALUE_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: int
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
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(items: list[tuple[str, int, bool]]) -> BarChart:
    """Horizontal bars scaled to the largest value; ``highlight`` marks a bar to stand out."""
    largest = max((value for _, value, _ in items), default=0) or 1
    bars = [
        Bar(label, value, index * (BAR_HEIGHT + GAP), round(BAR_AREA * value / largest), hl)
        for index, (label, value, hl) in enumerate(items)
    ]
    return BarChart(bars, max(len(bars) * (BAR_HEIGHT + GAP), BAR_HEIGHT))
