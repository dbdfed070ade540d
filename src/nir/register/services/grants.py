"""Late-registration grants (etterregistrering): IMDi grants and revokes them (rules.md §5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from nir.register.models import Kommune, LateRegistrationGrant
from nir.register.services import events
from nir.register.services.context import Actor, OutOfScope, WriteContext, write_context
from nir.register.services.history import NewEvent, record
from nir.register.services.validation import invalid
from nir.rules.dates import DateInterval
from nir.rules.registration_window import BASIS_GRANT, check_grant


def _require_imdi(actor: Actor) -> None:
    # Only IMDi (an actor for all municipalities) grants late registration.
    if actor.kommune_id is not None:
        raise OutOfScope(entity="grant")


@dataclass(frozen=True, slots=True)
class NewGrant:
    """What IMDi grants: a municipality may register events in ``covers_from``–``covers_to``
    until ``expires_on``, and why."""

    kommune_id: int
    covers_from: dt.date
    covers_to: dt.date
    expires_on: dt.date
    reason: str


def grant_late_registration(
    *, actor: Actor, grant: NewGrant, at: dt.datetime | None = None
) -> LateRegistrationGrant:
    """Give a municipality time-limited access to register events in a past period."""
    _require_imdi(actor)
    ctx = write_context(actor, at)
    return _grant(ctx, grant)


def _grant(ctx: WriteContext, new: NewGrant) -> LateRegistrationGrant:
    if new.covers_to < new.covers_from:
        raise invalid(
            "covers_to", "period.end_before_start", "Perioden kan ikke slutte før den begynner."
        )
    if not new.reason.strip():
        raise invalid("reason", "reason.required", "Oppgi hvorfor tilgangen gis.")
    check_grant(
        covers=DateInterval(new.covers_from, new.covers_to),
        granted_on=ctx.as_of,
        expires_on=new.expires_on,
        config=ctx.config,
    )
    with transaction.atomic():
        kommune = Kommune.objects.get(pk=new.kommune_id)
        grant = LateRegistrationGrant.objects.create(
            kommune=kommune,
            covers_from=new.covers_from,
            covers_to=new.covers_to,
            granted_on=ctx.as_of,
            expires_on=new.expires_on,
            granted_by=ctx.actor.name,
            reason=new.reason.strip(),
        )
        record(
            ctx,
            NewEvent(
                events.LATE_REGISTRATION_GRANTED,
                grant.pk,
                after={
                    "kommune": kommune.number,
                    "covers_from": new.covers_from,
                    "covers_to": new.covers_to,
                    "expires_on": new.expires_on,
                    "reason": grant.reason,
                },
                basis=[BASIS_GRANT],
            ),
        )
    return grant


def revoke_grant(
    *, actor: Actor, grant_id: int, at: dt.datetime | None = None
) -> LateRegistrationGrant:
    """End a grant from today; registrations it admitted stay, with the grant they used."""
    _require_imdi(actor)
    ctx = write_context(actor, at)
    with transaction.atomic():
        grant = LateRegistrationGrant.objects.select_for_update().get(pk=grant_id)
        if grant.revoked_on is not None:
            raise invalid(
                "grant",
                "grant.already_revoked",
                f"Tilgangen ble trukket tilbake {grant.revoked_on:%d.%m.%Y}.",
                revoked_on=grant.revoked_on,
            )
        grant.revoked_on = ctx.as_of
        grant.save(update_fields=["revoked_on"])
        record(
            ctx,
            NewEvent(
                events.LATE_REGISTRATION_REVOKED,
                grant.pk,
                before={"revoked_on": None},
                after={"revoked_on": ctx.as_of},
                basis=[BASIS_GRANT],
            ),
        )
    return grant
