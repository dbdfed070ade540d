"""Who is acting, through which channel, when, and the errors services raise besides rule
breaks; a write's context carries the first three with the rules and the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from nir.register.rule_config import rule_config
from nir.register.services.stores import DATABASE, RowStore
from nir.rules.basis import BasisKind, LegalBasis
from nir.rules.config import RuleConfig
from nir.rules.errors import RuleViolation
from nir.rules.schemes import BASIS_SCHEME_ROLE, Scheme


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    SYSTEM = "system"  # the register's own jobs (the sweep)
    CLI = "cli"
    SEED = "seed"  # synthetic demo or benchmark data


PROGRAMME_ONLY = frozenset({Scheme.INTRODUKSJONSPROGRAM})
ALL_SCHEMES = frozenset(Scheme)


@dataclass(frozen=True, slots=True)
class Actor:
    """The user, case system or job behind a write; ``kommune_id`` None means all (IMDi).
    ``schemes`` are those it may write: a user's roles or a client's grant; the programme
    alone unless told, as every actor was before the register held a second scheme."""

    name: str
    channel: Channel
    kommune_id: int | None
    schemes: frozenset[Scheme] = PROGRAMME_ONLY

    def may_act_for(self, kommune_id: int) -> bool:
        return self.kommune_id is None or self.kommune_id == kommune_id

    def require_scheme(self, scheme: Scheme) -> None:
        """Refuse a write to a scheme the actor holds no role for."""
        if scheme not in self.schemes:
            raise SchemeNotHeld(scheme)

    @property
    def oversees_only(self) -> bool:
        """An IMDi user (all municipalities, through the web or the API): sees every
        participant and registers none. Registrations and their corrections belong to the
        municipality, which is the controller of what it registers; IMDi helps through a
        late-registration grant on a support request. The register's own jobs, commands and
        synthetic loads act for all municipalities and do write."""
        return self.kommune_id is None and self.channel in (Channel.WEB, Channel.API)


SYSTEM = Actor("system", Channel.SYSTEM, None, ALL_SCHEMES)

BASIS_VERSION = LegalBasis(
    "integrity.optimistic_lock",
    "Registerets regel: en endring bygger på siste versjon, ingen endring går tapt",
    BasisKind.BESLUTNING,
)
BASIS_SCOPE = LegalBasis(
    "access.own_kommune",
    "Registerets regel: kommunens brukere ser og endrer bare egne deltakere",
    BasisKind.BESLUTNING,
)


class StaleVersion(RuleViolation):
    def __init__(self, *, entity: str, expected: int, current: int) -> None:
        super().__init__(
            field="version",
            code="version.stale",
            message=(
                f"Opplysningene er endret av noen andre mens du arbeidet (du hadde versjon "
                f"{expected}, registeret har versjon {current}). Last inn på nytt og prøv igjen."
            ),
            basis=BASIS_VERSION,
            params={"entity": entity, "expected": expected, "current": current},
        )


class OutOfScope(RuleViolation):
    def __init__(self, *, entity: str) -> None:
        super().__init__(
            field=entity,
            code="access.out_of_scope",
            message="Du har ikke tilgang til denne deltakeren.",
            basis=BASIS_SCOPE,
            params={"entity": entity},
        )


BASIS_MUNICIPAL_WRITE = LegalBasis(
    "access.municipal_write",
    "Registerets regel: kommunen registrerer og retter opplysningene om egne deltakere "
    "(integreringsforskriften kap. 9); IMDi kan gi etterregistrering",
    BasisKind.BESLUTNING,
)


class OversightOnly(RuleViolation):
    """A write by a user who oversees the municipalities and registers for none."""

    def __init__(self) -> None:
        super().__init__(
            field="participation",
            code="access.municipal_write",
            message=(
                "Registreringer og rettinger gjøres av kommunen. IMDi ser deltakerne, men "
                "registrerer ikke på kommunens vegne; kommunen kan be om etterregistrering "
                "gjennom en brukerstøttehenvendelse."
            ),
            basis=BASIS_MUNICIPAL_WRITE,
        )


SCHEME_NOT_HELD_MESSAGES = {
    Scheme.INTRODUKSJONSPROGRAM: (
        "Du har ikke rolle for å registrere introduksjonsprogram (kommuneintrobruker)."
    ),
    Scheme.NORSK: (
        "Du har ikke rolle for å registrere opplæring i norsk og samfunnskunnskap "
        "(kommunenorskbruker)."
    ),
}


class SchemeNotHeld(RuleViolation):
    """A write to a scheme by a user or client without the role for it."""

    def __init__(self, scheme: Scheme) -> None:
        super().__init__(
            field="scheme",
            code="access.scheme_role",
            message=SCHEME_NOT_HELD_MESSAGES[scheme],
            basis=BASIS_SCHEME_ROLE,
            params={"scheme": scheme.value},
        )


def resolve_time(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    """The instant of a write and the date in Oslo the law counts with."""
    instant = at or timezone.now()
    if timezone.is_naive(instant):
        raise ValueError("naive datetime given to a service")
    return instant, timezone.localdate(instant)


@dataclass(frozen=True, slots=True)
class WriteContext:
    """One write: who makes it, at which instant (``at``, what the history records), on
    which legal date (``as_of``, the day in Oslo the rules count with), under which rule
    configuration, and into which row store. Built once at a service's entry point and
    passed as one argument to every step of the write."""

    actor: Actor
    at: dt.datetime
    as_of: dt.date
    config: RuleConfig
    store: RowStore


def write_context(
    actor: Actor, at: dt.datetime | None = None, store: RowStore = DATABASE
) -> WriteContext:
    """The context of a write by ``actor`` at ``at`` (now when None), with the rules of the
    deployment."""
    instant, as_of = resolve_time(at)
    return WriteContext(actor, instant, as_of, rule_config(), store)
