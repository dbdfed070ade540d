"""When an event may be registered (rules.md §5): the window, grants, the annual cut-off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.dates import DateInterval, add_months
from nir.rules.errors import RuleViolation


# No slots: RuleConfig extends several parameter classes, and only one base may have them.
@dataclass(frozen=True)
class WindowParameters:
    """The months this module's rules read from configuration; ``RuleConfig`` extends it."""

    # Registration window: an event may be registered until add_months(event, this).
    registration_window_months: int = 2
    # Late-registration grants reach at most this many months back.
    late_registration_max_months: int = 12


BASIS_WINDOW = LegalBasis(
    "window.two_months",
    "integreringsforskriften kap. 9 / introduksjonsloven § 25 a: registrering senest to "
    "måneder etter hendelsen",
    BasisKind.FORSKRIFT,
    "https://www.imdi.no/kvalifisering/regelverk/introduksjonsprogrammet/"
    "registrering-i-nir-etter-integreringsloven---introduksjonsprogrammet/",
)
BASIS_GRANT = LegalBasis(
    "window.late_registration_grant",
    "IMDis praksis for etterregistrering: tidsavgrenset tilgang inntil 12 måneder tilbake",
    BasisKind.PRAKSIS,
    "https://www.imdi.no/arkiv/arkiverte-nyheter/registrering-av-avslutningsarsak-i-nir/",
)


@dataclass(frozen=True, slots=True)
class GrantFacts:
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


def window_closes(event_date: dt.date, config: WindowParameters) -> dt.date:
    """Last day on which the event may be registered without a grant."""
    return add_months(event_date, config.registration_window_months)


def earliest_open_event(as_of: dt.date, config: WindowParameters) -> dt.date:
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


def grant_reach_ends(event_date: dt.date, config: WindowParameters) -> dt.date:
    """The last day on which a late-registration grant can still reach the event.

    A grant is used only for events at most 12 months before the day of registration, so
    this is the last day ``d`` with ``add_months(d, -12) <= event_date``. add_months is
    monotone; month-end clamping makes several days map to one, hence the steps.
    """
    months = config.late_registration_max_months
    candidate = add_months(event_date, months)
    while add_months(candidate + dt.timedelta(days=1), -months) <= event_date:
        candidate += dt.timedelta(days=1)
    while add_months(candidate, -months) > event_date:
        candidate -= dt.timedelta(days=1)
    return candidate


def furthest_reachable_event(as_of: dt.date, config: WindowParameters) -> dt.date:
    """The earliest event date a grant can still reach on ``as_of`` (12 months back)."""
    return add_months(as_of, -config.late_registration_max_months)


class WindowStatus(StrEnum):
    """Where an event stands on a day: what, if anything, would let it be registered."""

    OPEN = "open"  # the ordinary two-month window is open
    GRANTED = "granted"  # a valid late-registration grant covers it
    NEEDS_GRANT = "needs_grant"  # only a grant from IMDi can still admit it
    TOO_OLD = "too_old"  # more than 12 months back: nothing can admit it


@dataclass(frozen=True, slots=True)
class WindowState:
    """The registration state of one event (for the triage of «ikke registrert»).

    ``until`` is the last day the state allows registering (OPEN, GRANTED) or asking IMDi
    for a grant that could still be used (NEEDS_GRANT); None when TOO_OLD.
    """

    status: WindowStatus
    event_date: dt.date
    until: dt.date | None
    grant_ref: str | None
    basis: LegalBasis

    @property
    def can_register(self) -> bool:
        return self.status in (WindowStatus.OPEN, WindowStatus.GRANTED)

    @property
    def message(self) -> str:
        """The state in the caseworker's words (Norwegian)."""
        if self.status is WindowStatus.OPEN:
            return f"kan registreres til {self.until:%d.%m.%Y}"
        if self.status is WindowStatus.GRANTED:
            return f"dekket av etterregistrering, kan registreres til {self.until:%d.%m.%Y}"
        if self.status is WindowStatus.NEEDS_GRANT:
            return f"krever etterregistrering, mulig til {self.until:%d.%m.%Y}"
        return "eldre enn 12 måneder: kan ikke rettes"


def window_state(
    *,
    event_date: dt.date,
    as_of: dt.date,
    grants: Sequence[GrantFacts],
    config: WindowParameters,
) -> WindowState:
    """Whether an event can be registered on ``as_of``, and until when: the same rule
    ``check_registration_window`` enforces, told before anything is filled in."""
    closes = window_closes(event_date, config)
    if as_of <= closes:
        return WindowState(WindowStatus.OPEN, event_date, closes, None, BASIS_WINDOW)
    reach_ends = grant_reach_ends(event_date, config)
    if as_of > reach_ends:
        return WindowState(WindowStatus.TOO_OLD, event_date, None, None, BASIS_GRANT)
    covering = [g for g in grants if g.valid_on(as_of) and g.covers.contains(event_date)]
    if covering:
        best = max(covering, key=lambda g: g.expires_on)
        until = min(best.expires_on, reach_ends)
        return WindowState(WindowStatus.GRANTED, event_date, until, best.ref, BASIS_GRANT)
    return WindowState(WindowStatus.NEEDS_GRANT, event_date, reach_ends, None, BASIS_GRANT)


def check_registration_window(
    *,
    event_date: dt.date,
    as_of: dt.date,
    grants: Sequence[GrantFacts],
    config: WindowParameters,
    field: str,
) -> WindowDecision:
    """Accept while ``as_of`` <= add_months(event, 2), or when a valid grant covers the event.

    A grant never reaches more than 12 months back from the day it is used. A refusal says
    why in ``params["cause"]``: ``no_grant``, ``grant_expired`` (with the day it ended) or
    ``too_old``; the code stays ``registration_window.closed`` for all three.
    """
    closes = window_closes(event_date, config)
    state = window_state(event_date=event_date, as_of=as_of, grants=grants, config=config)
    if state.status is WindowStatus.OPEN:
        return WindowDecision(event_date, closes, None, BASIS_WINDOW)
    if state.status is WindowStatus.GRANTED:
        return WindowDecision(event_date, closes, state.grant_ref, BASIS_GRANT)
    lead = (
        f"Fristen for å registrere en hendelse datert {event_date:%d.%m.%Y} gikk ut "
        f"{closes:%d.%m.%Y} (to måneder etter hendelsen)."
    )
    params: dict[str, object] = {"event_date": event_date, "closed_on": closes}
    if state.status is WindowStatus.TOO_OLD:
        furthest = furthest_reachable_event(as_of, config)
        months = config.late_registration_max_months
        params.update(cause="too_old", furthest_back=furthest, max_months=months)
        message = (
            f"{lead} Hendelsen er mer enn {months} måneder gammel (eldre enn "
            f"{furthest:%d.%m.%Y}), så den kan ikke registreres, heller ikke med "
            "etterregistrering."
        )
        basis = BASIS_GRANT
    else:
        rest, basis = _without_grant(event_date, as_of, grants, state.until, params)
        message = f"{lead} {rest}"
    raise RuleViolation(
        field=field,
        code="registration_window.closed",
        message=message,
        basis=basis,
        params=params,
    )


def _without_grant(
    event_date: dt.date,
    as_of: dt.date,
    grants: Sequence[GrantFacts],
    until: dt.date | None,
    params: dict[str, object],
) -> tuple[str, LegalBasis]:
    """Why a closed window has no grant: none covers the event, or the one that did ended
    (the latest to end is named). Fills in ``params`` with the cause and its dates."""
    ended = [
        (min(g.expires_on, g.revoked_on or g.expires_on), g)
        for g in grants
        if g.covers.contains(event_date) and g.granted_on <= as_of
    ]
    params.update(cause="no_grant", late_registration_possible_until=until)
    if not ended:
        return (
            "Kommunen har ingen etterregistrering som dekker datoen. Be IMDi om "
            f"etterregistrering; det er mulig til {until:%d.%m.%Y}."
        ), BASIS_WINDOW
    ended_on, grant = max(ended, key=lambda e: e[0])
    revoked = grant.revoked_on is not None and grant.revoked_on <= grant.expires_on
    params.update(
        cause="grant_expired", grant_ended_on=ended_on, grant=grant.ref, grant_revoked=revoked
    )
    how = "ble trukket tilbake" if revoked else "utløp"
    return (
        f"Etterregistreringen som dekket datoen {how} {ended_on:%d.%m.%Y}. "
        f"Be IMDi om ny etterregistrering; det er mulig til {until:%d.%m.%Y}."
    ), BASIS_GRANT


def check_grant(
    *,
    covers: DateInterval,
    granted_on: dt.date,
    expires_on: dt.date,
    config: WindowParameters,
    fields: tuple[str, str] = ("covers_from", "covers_to"),
) -> None:
    """A grant covers event dates at most 12 months back from the grant, and none after it.

    ``fields`` names the period's two inputs (a request for a grant calls them otherwise).
    """
    furthest_back = add_months(granted_on, -config.late_registration_max_months)
    if covers.start < furthest_back:
        raise RuleViolation(
            field=fields[0],
            code="grant.too_far_back",
            message=(
                f"Etterregistrering kan gis for hendelser høyst "
                f"{config.late_registration_max_months} måneder tilbake, det vil si fra "
                f"{furthest_back:%d.%m.%Y}."
            ),
            basis=BASIS_GRANT,
            params={
                "furthest_back": furthest_back,
                "max_months": config.late_registration_max_months,
            },
        )
    if covers.end > granted_on:
        raise RuleViolation(
            field=fields[1],
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


def check_late_registration_request(
    *, period: DateInterval, as_of: dt.date, config: WindowParameters
) -> None:
    """A request for late registration is checked when it is made against what a grant given
    today could cover: a period reaching further back could be accepted and never granted."""
    check_grant(
        covers=period,
        granted_on=as_of,
        expires_on=as_of,
        config=config,
        fields=("period_from", "period_to"),
    )


def annual_cutoff(year: int) -> dt.date:
    """The figures for ``year`` are drawn as the register stood at the end of this day
    (the published date or the default rule; IMDi's exceptions are read by the caller)."""
    from nir.rules.cutoff import annual_cutoff_for

    return annual_cutoff_for(year).day
