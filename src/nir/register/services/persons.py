"""Persons: registering them and correcting their facts (rules.md §7)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from nir.register.models import (
    Person,
    Sex,
)
from nir.register.services import events
from nir.register.services.context import (
    Actor,
    OutOfScope,
    OversightOnly,
    StaleVersion,
    WriteContext,
    write_context,
)
from nir.register.services.history import NewEvent, record
from nir.register.services.norsk import recompute_norsk_frist
from nir.register.services.participations import recompute
from nir.register.services.rows import new_row
from nir.register.services.validation import BASIS_INPUT, invalid, parse_enum
from nir.rules.config import RuleConfig
from nir.rules.identity import (
    compact_identity_number,
    matches_birth_date,
    parse_identity_number,
)
from nir.rules.master_data import MASTER_FIELDS, master_data_violation
from nir.rules.regime import (
    PermitType,
)


@dataclass(frozen=True, slots=True)
class PersonData:
    identity_number: str
    given_name: str
    family_name: str
    birth_date: dt.date
    permit_type: str
    permit_date: dt.date
    sex: str = Sex.UKJENT
    duf_number: str = ""
    arrival_date: dt.date | None = None
    settlement_date: dt.date | None = None
    settled_by_agreement: bool = True
    has_upper_secondary: bool | None = None
    research_reservation: bool = False


def _validated_person_fields(data: PersonData, config: RuleConfig) -> dict[str, Any]:
    number = parse_identity_number(
        data.identity_number, allow_synthetic=config.allow_synthetic_identity_numbers
    )
    if not matches_birth_date(number, data.birth_date):
        raise invalid(
            "birth_date",
            "birth_date.mismatch",
            "Fødselsdatoen stemmer ikke med de seks første sifrene i fødselsnummeret/D-nummeret.",
        )
    if data.duf_number and not (data.duf_number.isdigit() and len(data.duf_number) == 12):
        raise invalid("duf_number", "duf_number.format", "DUF-nummeret må være 12 sifre.")
    for field in ("given_name", "family_name"):
        if not getattr(data, field).strip():
            raise invalid(field, f"{field}.required", "Navn må fylles ut.")
    parse_enum(PermitType, data.permit_type, "permit_type")
    parse_enum(Sex, data.sex, "sex")
    if data.arrival_date and data.settlement_date and data.settlement_date < data.arrival_date:
        raise invalid(
            "settlement_date",
            "settlement_date.before_arrival",
            "Bosettingsdato kan ikke være før ankomstdato.",
        )
    return {
        "identity_number": number.value,
        "identity_kind": number.kind.value,
        "duf_number": data.duf_number,
        "given_name": data.given_name.strip(),
        "family_name": data.family_name.strip(),
        "birth_date": data.birth_date,
        "sex": data.sex,
        "permit_type": data.permit_type,
        "permit_date": data.permit_date,
        "arrival_date": data.arrival_date,
        "settlement_date": data.settlement_date,
        "settled_by_agreement": data.settled_by_agreement,
        "has_upper_secondary": data.has_upper_secondary,
        "research_reservation": data.research_reservation,
    }


def _person_snapshot(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in events.PERSON_STATE}


def register_person(*, actor: Actor, data: PersonData, at: dt.datetime | None = None) -> Person:
    if actor.oversees_only:
        raise OversightOnly()
    ctx = write_context(actor, at)
    try:
        with transaction.atomic():
            person = add_person(ctx, data)
    except IntegrityError:
        number = compact_identity_number(data.identity_number)
        if Person.objects.filter(identity_number=number).exists():
            raise invalid(
                "identity_number",
                "identity_number.exists",
                "Personen er allerede registrert med dette nummeret.",
            ) from None
        raise
    return person


def add_person(ctx: WriteContext, data: PersonData) -> Person:
    """A new person with the facts checked, and its history event."""
    person = new_row(
        Person,
        registered_by_kommune_id=ctx.actor.kommune_id,
        **_validated_person_fields(data, ctx.config),
    )
    ctx.store.add(person)
    record(
        ctx,
        NewEvent(
            events.PERSON_REGISTERED,
            person.pk,
            person=person,
            after=_person_snapshot(person),
            basis=[BASIS_INPUT],
        ),
    )
    return person


def update_person(
    *,
    actor: Actor,
    person_id: int,
    expected_version: int,
    data: PersonData,
    at: dt.datetime | None = None,
) -> Person:
    """Change a person's facts; the frist of every affected participation is recomputed."""
    ctx = write_context(actor, at)
    fields = _validated_person_fields(data, ctx.config)
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=person_id).first()
        if person is None or not _person_in_scope(actor, person):
            raise OutOfScope(entity="person")
        if actor.oversees_only:
            raise OversightOnly()
        if person.version != expected_version:
            raise StaleVersion(entity="person", expected=expected_version, current=person.version)
        refused = master_data_violation(
            [f for f in MASTER_FIELDS if fields[f] != getattr(person, f)],
            _other_owner(actor, person),
        )
        if refused is not None:
            raise refused
        if (
            fields["identity_number"] != person.identity_number
            and Person.objects.filter(identity_number=fields["identity_number"])
            .exclude(pk=person.pk)
            .exists()
        ):
            raise invalid(
                "identity_number",
                "identity_number.exists",
                "Et annet personnummer i registeret har allerede dette nummeret.",
            )
        before = _person_snapshot(person)
        for name, value in fields.items():
            setattr(person, name, value)
        person.version += 1
        person.save()
        record(
            ctx,
            NewEvent(
                events.PERSON_UPDATED,
                person.pk,
                person=person,
                before=before,
                after=_person_snapshot(person),
                basis=[BASIS_INPUT],
            ),
        )
        _recompute_frister(ctx, person)
    return person


def _recompute_frister(ctx: WriteContext, person: Person) -> None:
    """Every frist that reads the person's facts: each programme participation's, and an
    open Norwegian-training ordning's, which reads the person's education where it has none
    of its own (N3-b)."""
    for participation in person.participations.select_for_update().select_related("person"):
        participation.person = person
        recompute(ctx, participation)
    for ordning in person.norsk_participations.select_for_update().filter(end_date__isnull=True):
        ordning.person = person
        recompute_norsk_frist(ctx, ordning)


def _other_owner(actor: Actor, person: Person) -> str | None:
    """The municipality owning the person's master data, by name, when it is not the
    writer's (None for IMDi, for the owner itself, and for a person no municipality owns)."""
    owner = person.registered_by_kommune
    if actor.kommune_id is None or owner is None or owner.pk == actor.kommune_id:
        return None
    return str(owner.display_name)


def _person_in_scope(actor: Actor, person: Person) -> bool:
    """IMDi; a municipality where the person takes part; or, until the person has a
    participation anywhere, the municipality that registered them."""
    if actor.kommune_id is None:
        return True
    participations = person.participations.all()
    if not participations.exists():
        return person.registered_by_kommune_id == actor.kommune_id
    return participations.filter(kommune_id=actor.kommune_id).exists()
