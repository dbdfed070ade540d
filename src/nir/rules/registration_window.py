"""When an event may be registered (rules.md §5): the window, grants, the annual cut-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.config import RuleConfig
from nir.rules.dates import DateInterval, add_months, last_day_of_february
from nir.rules.errors import RuleViolation

BASIS_WINDOW = LegalBasis(
    "window.two_months",
    "integreringsforskriften kap. 9 / introduksjonsloven § 25 a: registrering senest to "
    "måneder etter hendelsen",
    BasisKind.FORSKRIFT,
)
BASIS_GRANT = LegalBasis(
    "window.late_registration_grant",
    "IMDis praksis for etterregistrering: tidsavgrenset tilgang inntil 12 måneder tilbake",
    BasisKind.PRAKSIS,
)
BASIS_CUTOFF = LegalBasis(
    "statistics.annual_cutoff",
    "IMDis frist for oppdatering av NIR: siste dag i februar året etter",
    BasisKind.PRAKSIS,
)


@dataclass(frozen=True, slots=True)
class LateRegistrationGrant:
    """IMDi's time-limited permission for a municipality to register events late."""

    ref: str
    covers: DateInterval  # the event dates it covers
    granted_on: dt.date
    expires_on: dt.date
    revoked_on: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        revoked = self.revoked_on is not None and self.revoked_on <= day
        return self.granted_on <= day <= self.expires_on and not revoked


@dataclass(frozen=True, slots=True)
class WindowDecision:
    """A registration was accepted: by the ordinary window, or by the grant named."""

    event_date: dt.date
    ordinary_window_closes: dt.date
    grant_ref: str | None
    basis: LegalBasis


def window_closes(event_date: dt.date, config: RuleConfig) -> dt.date:
    """Last day on which the event may be registered without a grant."""
    return add_months(event_date, config.registration_window_months)


def earliest_open_event(as_of: dt.date, config: RuleConfig) -> dt.date:
    """The earliest event date whose ordinary window is still open on ``as_of``.

    add_months is monotone, so every later event's window is open too: a database can select
    the open ones with one comparison. Month-end clamping makes several event dates share a
    closing day, hence the step back from the plain inverse.
    """
    candidate = add_months(as_of, -config.registration_window_months)
    while window_closes(candidate - dt.timedelta(days=1), config) >= as_of:
        candidate -= dt.timedelta(days=1)
    while window_closes(candidate, config) < as_of:
        candidate += dt.timedelta(days=1)
    return candidate


def check_registration_window(
    *,
    event_date: dt.date,
    as_of: dt.date,
    grants: Sequence[LateRegistrationGrant],
    config: RuleConfig,
    field: str,
) -> WindowDecision:
    """Accept while ``as_of`` <= add_months(event, 2), or when a valid grant covers the event.

    A grant never reaches more than 12 months back from the day it is used.
    """
    closes = window_closes(event_date, config)
    if as_of <= closes:
        return WindowDecision(event_date, closes, None, BASIS_WINDOW)
    furthest_back = add_months(as_of, -config.late_registration_max_months)
    if event_date >= furthest_back:
        for grant in grants:
            if grant.valid_on(as_of) and grant.covers.contains(event_date):
                return WindowDecision(event_date, closes, grant.ref, BASIS_GRANT)
    raise RuleViolation(
        field=field,
        code="registration_window.closed",
        message=(
            f"Fristen for å registrere en hendelse datert {event_date:%d.%m.%Y} gikk ut "
            f"{closes:%d.%m.%Y} (to måneder etter hendelsen). Kommunen kan be IMDi om "
            "etterregistrering gjennom en brukerstøttehenvendelse."
        ),
        basis=BASIS_WINDOW,
        params={"event_date": event_date, "closed_on": closes},
    )


def check_grant(
    *, covers: DateInterval, granted_on: dt.date, expires_on: dt.date, config: RuleConfig
) -> None:
    """A grant covers event dates at most 12 months back from the grant, and none after it."""
    furthest_back = add_months(granted_on, -config.late_registration_max_months)
    if covers.start < furthest_back:
        raise RuleViolation(
            field="covers_from",
            code="grant.too_far_back",
            message=(
                f"Etterregistrering kan gis for hendelser høyst "
                f"{config.late_registration_max_months} måneder tilbake, det vil si fra "
                f"{furthest_back:%d.%m.%Y}."
            ),
            basis=BASIS_GRANT,
            params={"furthest_back": furthest_back},
        )
    if covers.end > granted_on:
        raise RuleViolation(
            field="covers_to",
            code="grant.covers_future",
            message="Etterregistrering gjelder hendelser som allerede har skjedd.",
            basis=BASIS_GRANT,
            params={"granted_on": granted_on},
        )
    if expires_on < granted_on:
        raise RuleViolation(
            field="expires_on",
            code="grant.expires_before_granted",
            message="Tilgangen kan ikke utløpe før den er gitt.",
            basis=BASIS_GRANT,
            params={"granted_on": granted_on},
        )


def annual_cutoff(year: int) -> dt.date:
    """The figures for ``year`` are drawn as the register stood at the end of this day."""
    return last_day_of_february(year + 1)
