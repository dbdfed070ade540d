"""Geometry of the server-rendered SVG bar charts: numbers to widths, nothing more.

A bar carries the text to print beside it: a count, a percentage, or a dot for a suppressed
cell, which is drawn with no bar at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_HEIGHT = 28
GAP = 10
BAR_AREA = 360
VALUE_WIDTH = 60
# Labels are drawn at 14 px; the widest glyphs of a sans-serif font at that size stay
# under 8.5 px on average over a word, so a line of n characters fits in n * 8.5 px.
CHAR_WIDTH = 8.5
LINE_HEIGHT = 16
LABEL_PADDING = 10
# A label column never narrower than a short word nor wider than this; a longer label is
# wrapped at spaces onto as many lines as it needs.
LABEL_MIN = 80
LABEL_MAX = 300


def wrap_label(label: str, width_chars: int) -> list[str]:
    """``label`` in lines of at most ``width_chars`` characters, broken at spaces (a word
    longer than a line stands on a line of its own)."""
    lines: list[str] = []
    current = ""
    for word in label.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width_chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    text: str
    y: int  # top of the row
    width: int
    highlight: bool
    lines: tuple[str, ...]
    row_height: int
    label_width: int

    @property
    def bar_y(self) -> int:
        return self.y + (self.row_height - BAR_HEIGHT) // 2

    @property
    def text_y(self) -> int:
        return self.bar_y + BAR_HEIGHT // 2 + 5

    @property
    def label_y(self) -> int:
        # The lines are centred on the bar.
        return self.text_y - (len(self.lines) - 1) * LINE_HEIGHT // 2

    @property
    def value_x(self) -> int:
        return self.label_width + self.width + 8


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: list[Bar]
    height: int
    width: int
    label_width: int
    bar_height: int = BAR_HEIGHT
    line_height: int = LINE_HEIGHT

    @property
    def label_x(self) -> int:
        return self.label_width - LABEL_PADDING


def bar_chart(
    items: Sequence[tuple[str, float | None, str, bool]], *, value_width: int = VALUE_WIDTH
) -> BarChart:
    """Horizontal bars scaled to the largest value, each item (label, value, text beside it,
    highlighted); a value of ``None`` is drawn as its text only. The label column is as wide
    as the longest label needs, up to ``LABEL_MAX``; longer labels wrap."""
    largest = max((value for _, value, _, _ in items if value is not None), default=0) or 1
    longest = max((len(label) for label, _, _, _ in items), default=0)
    label_width = int(min(max(longest * CHAR_WIDTH, LABEL_MIN), LABEL_MAX)) + LABEL_PADDING
    chars_per_line = int((label_width - LABEL_PADDING) // CHAR_WIDTH)
    bars = []
    y = 0
    for label, value, text, highlight in items:
        lines = tuple(wrap_label(label, chars_per_line))
        row_height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT + 4)
        width = 0 if value is None else round(BAR_AREA * value / largest)
        bars.append(Bar(label, text, y, width, highlight, lines, row_height, label_width))
        y += row_height + GAP
    return BarChart(
        bars, max(y - GAP, BAR_HEIGHT), label_width + BAR_AREA + value_width, label_width
    )
