"""Calendar arithmetic as the law counts it: months from a start date, days inclusive."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus ``months`` calendar months, clamped to the last day of the month.

    2023-08-31 + 6 months = 2024-02-29. Always add the whole number of months in one step
    from the start date: the clamp is not associative, so chaining additions loses days.
    """
    month_index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    day = start.day
    if day > 28:
        # Every month has the 28th: only a later day may need the clamp.
        day = min(day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


@dataclass(frozen=True, slots=True, order=True)
class DateInterval:
    """A closed interval of days: both ``start`` and ``end`` belong to it."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"interval ends {self.end} before it starts {self.start}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def clip(self, lower: dt.date, upper: dt.date) -> DateInterval | None:
        """The part of this interval inside [lower, upper], or None when they do not meet."""
        start = max(self.start, lower)
        end = min(self.end, upper)
        if end < start:
            return None
        return DateInterval(start, end)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def union_days(intervals: list[DateInterval]) -> int:
    """Number of distinct days covered by the intervals (overlaps count once)."""
    total = 0
    current: DateInterval | None = None
    for interval in sorted(intervals):
        if current is None:
            current = interval
        elif interval.start <= current.end + dt.timedelta(days=1):
            if interval.end > current.end:
                current = DateInterval(current.start, interval.end)
        else:
            total += current.days
            current = interval
    if current is not None:
        total += current.days
    return total


def last_day_of_february(year: int) -> dt.date:
    return dt.date(year, 2, calendar.monthrange(year, 2)[1])
