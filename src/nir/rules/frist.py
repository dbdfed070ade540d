"""The completion deadline, frist for gjennomføring (rules.md §3), with its derivation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from nir.rules.basis import (
    LOVDATA_INTEGRERINGSLOVEN,
    LOVDATA_INTRODUKSJONSLOVEN,
    BasisKind,
    LegalBasis,
)
from nir.rules.dates import DateInterval, add_months, union_days
from nir.rules.programme_length import ProgrammeLengthRow


@dataclass(frozen=True, slots=True)
class ClockStop:
    """A dated leave or absence interval; ``extends_deadline`` comes from its type's flag."""

    ref: str
    kind: str
    interval: DateInterval
    extends_deadline: bool
    label: str = ""  # the type's Norwegian name, for the explanation


@dataclass(frozen=True, slots=True)
class ExtensionFacts:
    ref: str
    months: int
    decided_on: dt.date


@dataclass(frozen=True, slots=True)
class ClockStopContribution:
    """What one leave did to the frist: the days it added, once overlaps are counted once."""

    ref: str
    kind: str
    label: str
    interval: DateInterval
    extends_deadline: bool
    counted_days: int

    def as_json(self) -> dict[str, object]:
        """As a derivation stores it (both schemes' frists)."""
        return {
            "ref": self.ref,
            "type": self.kind,
            "label": self.label,
            "start": self.interval.start.isoformat(),
            "end": self.interval.end.isoformat(),
            "extends_deadline": self.extends_deadline,
            "counted_days": self.counted_days,
        }


BASIS_FRIST = LegalBasis(
    "frist.months_from_start",
    "integreringsloven § 13 / introduksjonsloven § 5: programtiden regnes fra oppstart",
    BasisKind.LOV,
    f"{LOVDATA_INTEGRERINGSLOVEN}/§13",
)
BASIS_LEAVE = LegalBasis(
    "frist.leave_day_for_day",
    "integreringsforskriften kap. 4 / introduksjonsloven § 5: innvilget permisjon legges "
    "til programtiden (IMDis praksis: dag for dag)",
    BasisKind.PRAKSIS,
)
BASIS_EXTENSION = LegalBasis(
    "frist.extension",
    "integreringsloven § 13 (utvidet programtid) / introduksjonsloven § 5 andre ledd",
    BasisKind.LOV,
    f"{LOVDATA_INTRODUKSJONSLOVEN}/§5",
)


@dataclass(frozen=True, slots=True)
class FristDerivation:
    """The frist and every step that led to it, for the caseworker and the API."""

    start: dt.date
    row_id: str
    row_reference: str
    row_reason: str
    base_months: int
    extensions: tuple[ExtensionFacts, ...]
    months_total: int
    months_date: dt.date
    clock_stops: tuple[ClockStopContribution, ...]
    leave_days: int
    frist: dt.date
    sluttmaal_missing: bool
    basis: tuple[LegalBasis, ...]

    @property
    def extension_months(self) -> int:
        return sum(e.months for e in self.extensions)

    def explain_nb(self) -> list[str]:
        """The derivation in plain Norwegian, one step a line."""
        lines = [f"Oppstart {self.start:%d.%m.%Y}."]
        if self.sluttmaal_missing:
            lines.append(
                f"Programtid {self.base_months} måneder fordi sluttmål ikke er registrert "
                f"(registerets regel: standard programtid til sluttmålet er registrert), "
                f"{self.row_reference}. Fristen endres når sluttmål registreres."
            )
        else:
            lines.append(
                f"Programtid {self.base_months} måneder fordi {self.row_reason}, "
                f"{self.row_reference}."
            )
        for extension in self.extensions:
            lines.append(
                f"Utvidet programtid {extension.months} måneder (vedtak "
                f"{extension.decided_on:%d.%m.%Y})."
            )
        lines.append(f"{self.months_total} måneder fra oppstart gir {self.months_date:%d.%m.%Y}.")
        for stop in self.clock_stops:
            period = f"{stop.interval.start:%d.%m.%Y}–{stop.interval.end:%d.%m.%Y}"
            if not stop.extends_deadline:
                lines.append(f"{stop.label} {period} forlenger ikke fristen.")
            elif stop.counted_days == 0:
                lines.append(
                    f"{stop.label} {period} gir ingen dager (utenfor programperioden "
                    "eller allerede talt)."
                )
            else:
                lines.append(f"{stop.label} {period} legger til {stop.counted_days} dager.")
        lines.append(f"Frist for gjennomføring: {self.frist:%d.%m.%Y}.")
        return lines


def _counted_days(
    stops: Sequence[ClockStop], start: dt.date, frist: dt.date
) -> tuple[int, list[int]]:
    """Days of extending leave inside [start, frist], and each stop's own share of them."""
    clipped_so_far: list[DateInterval] = []
    shares: list[int] = []
    for stop in stops:
        clipped = stop.interval.clip(start, frist) if stop.extends_deadline else None
        if clipped is None:
            shares.append(0)
            continue
        before = union_days(clipped_so_far)
        clipped_so_far.append(clipped)
        shares.append(union_days(clipped_so_far) - before)
    return sum(shares), shares


def add_leave_days(
    start: dt.date, months_date: dt.date, stops: Sequence[ClockStop]
) -> tuple[dt.date, int, list[int]]:
    """The frist after day-for-day leave: ``months_date`` plus the extending leave days.

    Leave counts only inside the period [start, frist]; since counted leave moves the frist,
    the count is repeated until the frist stops moving, so a leave that begins on or before
    the frist ends up counted whole, one after it not at all. Overlapping leave counts once.
    Returns the frist, the days added and each stop's share, in the order of ``stops``.
    """
    frist = months_date
    while True:
        days, shares = _counted_days(stops, start, frist)
        moved = months_date + dt.timedelta(days=days)
        if moved == frist:
            return frist, days, shares
        frist = moved


def compute_frist(
    *,
    start: dt.date,
    row: ProgrammeLengthRow,
    extensions: Sequence[ExtensionFacts] = (),
    clock_stops: Sequence[ClockStop] = (),
    sluttmaal_missing: bool = False,
) -> FristDerivation:
    """frist = add_months(start, base + extensions) + days of clock-stopping leave.

    Months are added in one step from the start (the end-of-month clamp is not
    associative). Leave counts only inside the programme period [start, frist]; since
    counted leave moves the frist, the count is repeated until the frist stops moving, so a
    leave that begins on or before the frist ends up counted whole, one after it not at all.
    Overlapping leave counts once. The frist depends only on the facts given, not on today.
    """
    ordered_extensions = tuple(sorted(extensions, key=lambda e: (e.decided_on, e.ref)))
    months_total = row.base_months + sum(e.months for e in ordered_extensions)
    months_date = add_months(start, months_total)
    ordered_stops = sorted(clock_stops, key=lambda s: (s.interval, s.ref))

    frist, days, shares = add_leave_days(start, months_date, ordered_stops)
    contributions = tuple(
        ClockStopContribution(
            s.ref, s.kind, s.label or s.kind, s.interval, s.extends_deadline, share
        )
        for s, share in zip(ordered_stops, shares, strict=True)
    )
    basis: list[LegalBasis] = [row.basis, BASIS_FRIST]
    if ordered_extensions:
        basis.append(BASIS_EXTENSION)
    if days:
        basis.append(BASIS_LEAVE)
    return FristDerivation(
        start=start,
        row_id=row.row_id,
        row_reference=row.basis.reference,
        row_reason=row.reason_nb,
        base_months=row.base_months,
        extensions=ordered_extensions,
        months_total=months_total,
        months_date=months_date,
        clock_stops=contributions,
        leave_days=days,
        frist=frist,
        sluttmaal_missing=sluttmaal_missing,
        basis=tuple(basis),
    )
