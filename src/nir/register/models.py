"""The register's data model (rules.md §7).

Rows carry no business logic: every write goes through ``nir.register.services``, which
checks the rules, recomputes the frist and appends a history event in one transaction.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from nir.register.json_text import JsonText
from nir.rules.regime import Category, PermitType, Regime
from nir.rules.termination import TERMINATION_REASONS, ParticipationStatus


def enum_choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]  # type: ignore[attr-defined]


class Kommune(models.Model):
    """A municipality, with the period its number was valid (numbers change at mergers)."""

    number = models.CharField(max_length=4)
    name = models.CharField(max_length=100)
    display_name = models.CharField(
        max_length=150,
        help_text="SSB's official form, with the Sámi or Kven name where it has one.",
    )
    county_number = models.CharField(max_length=2)
    county_name = models.CharField(max_length=100)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["number", "valid_from"], name="kommune_number_period")
        ]
        verbose_name_plural = "kommuner"

    def __str__(self) -> str:
        return f"{self.number} {self.display_name}"


class Sex(models.TextChoices):
    """As registered; never read from the identity number."""

    KVINNE = "kvinne", "Kvinne"
    MANN = "mann", "Mann"
    UKJENT = "ukjent", "Ukjent"


class Person(models.Model):
    identity_number = models.CharField(max_length=11, unique=True)
    identity_kind = models.CharField(max_length=16)
    duf_number = models.CharField(max_length=12, blank=True, default="")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField()
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UKJENT)
    permit_type = models.CharField(max_length=32, choices=enum_choices(PermitType))
    permit_date = models.DateField()
    arrival_date = models.DateField(null=True, blank=True)
    settlement_date = models.DateField(null=True, blank=True)
    settled_by_agreement = models.BooleanField(default=True)
    # None: education background not registered.
    has_upper_secondary = models.BooleanField(null=True, blank=True)
    research_reservation = models.BooleanField(default=False)
    # Until the person has a participation, the municipality that registered them is the one
    # that may see and correct them.
    # Indexed with the id (person_registered_by): a municipality's persons are read as ids.
    registered_by_kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["duf_number"], name="person_duf"),
            models.Index(fields=["family_name", "given_name"], name="person_name"),
            # A municipality's persons as ids from the index alone (the change feed's).
            models.Index(fields=["registered_by_kommune", "id"], name="person_registered_by"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class TerminationSource(models.TextChoices):
    USER = "user", "Registrert av kommunen"
    SYSTEM = "system", "Satt av registeret"


class Participation(models.Model):
    """One participation in the introduction programme, in one municipality, under one law."""

    # The person has no index of its own (participation_person_kommune leads with it); the
    # kommune keeps its own, which a municipality's person list walks index-only.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations", db_index=False
    )
    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="participations")
    case_id = models.CharField(
        max_length=64, blank=True, default="", help_text="The municipality's own case id."
    )
    regime = models.CharField(max_length=32, choices=enum_choices(Regime))
    category = models.CharField(max_length=16, choices=enum_choices(Category))
    start_date = models.DateField()
    # Computed by the services from the facts below, with the derivation that explains it.
    programme_group = models.CharField(max_length=32)
    rule_row = models.CharField(max_length=64)
    sluttmaal_missing = models.BooleanField(default=False)
    # No decision (vedtak) registered: kept by the services with every decision written or
    # cancelled, so data quality and the lists read it instead of searching the decisions.
    decision_missing = models.BooleanField(default=True)
    frist = models.DateField()
    frist_derivation = models.JSONField()
    # Termination: set by a user or case system with a real reason, or by the sweep.
    end_date = models.DateField(null=True, blank=True)
    termination_reason = models.CharField(
        max_length=32, blank=True, default="", choices=[(c, c) for c in TERMINATION_REASONS]
    )
    termination_source = models.CharField(
        max_length=8, blank=True, default="", choices=TerminationSource.choices
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kommune", "case_id"],
                condition=~Q(case_id=""),
                name="participation_case_id_per_kommune",
            ),
            models.CheckConstraint(
                condition=(
                    Q(end_date__isnull=True, termination_reason="", termination_source="")
                    | (
                        Q(end_date__isnull=False)
                        & ~Q(termination_reason="")
                        & ~Q(termination_source="")
                    )
                ),
                name="participation_termination_complete",
            ),
        ]
        indexes = [
            # The sweep: active participations by frist.
            models.Index(
                fields=["frist"],
                condition=Q(end_date__isnull=True),
                name="participation_open_frist",
            ),
            # A municipality's ends (the worklist, the reports) and, holding every column
            # they count, the figures and data quality read from the index alone.
            models.Index(
                fields=[
                    "kommune",
                    "end_date",
                    "start_date",
                    "termination_reason",
                    "termination_source",
                    "regime",
                    "category",
                    "person",
                    "id",
                ],
                name="participation_kommune_end",
            ),
            models.Index(fields=["kommune", "updated_at"], name="participation_kommune_changed"),
            # Whether a person takes part in a municipality: the change feed's probe.
            models.Index(fields=["person", "kommune"], name="participation_person_kommune"),
            # The worklist, tomorrow's reminders and the API's deadlines: a municipality's
            # open participations by frist, and by start (what is still to be registered).
            models.Index(
                fields=["kommune", "frist"],
                condition=Q(end_date__isnull=True),
                name="participation_k_open_frist",
            ),
            models.Index(
                fields=["kommune", "start_date"],
                condition=Q(end_date__isnull=True),
                name="participation_k_open_start",
            ),
            # The participations still without a sluttmål or a decision (data quality), each
            # from its index alone.
            models.Index(
                fields=["kommune", "start_date", "end_date"],
                condition=Q(sluttmaal_missing=True),
                name="participation_no_sluttmaal",
            ),
            models.Index(
                fields=["kommune", "start_date", "end_date"],
                condition=Q(decision_missing=True),
                name="participation_no_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Deltakelse {self.pk} ({self.kommune.number})"

    @property
    def status(self) -> ParticipationStatus:
        if self.end_date is None:
            return ParticipationStatus.ACTIVE
        if self.termination_source == TerminationSource.SYSTEM:
            return ParticipationStatus.ENDED_BY_SYSTEM
        return ParticipationStatus.ENDED

    @property
    def is_active(self) -> bool:
        return self.end_date is None


class Registration(models.Model):
    """What every registration on a participation shares: when, by whom, through which channel."""

    participation = models.ForeignKey(Participation, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.CharField(max_length=150)
    channel = models.CharField(max_length=16)
    late_registration_grant = models.ForeignKey(
        "LateRegistrationGrant", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk} (deltakelse {self.participation_id})"


class SluttmaalVersion(Registration):
    """The sluttmål in force from ``valid_from``; the newest version drives the frist."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="sluttmaal_versions"
    )
    sluttmaal = models.CharField(max_length=32)
    valid_from = models.DateField()

    class Meta:
        ordering = ["valid_from", "id"]


class DecisionType(models.TextChoices):
    TILBUD = "tilbud", "Tilbud om introduksjonsprogram"
    KRAV = "krav", "Krav om deltakelse"
    INNVILGET = "innvilget", "Innvilget deltakelse"
    AVSLAG = "avslag", "Avslag"
    OPPSTART = "oppstart", "Oppstart"
    KLAGE = "klage", "Klage"
    KLAGE_UTFALL = "klage_utfall", "Utfall av klage"


class Decision(Registration):
    """A decision (vedtak) other than leave, extension and stop, which have their own rows."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="decisions"
    )
    decision_type = models.CharField(max_length=16, choices=DecisionType.choices)
    decided_on = models.DateField()
    reason = models.CharField(max_length=200, blank=True, default="")
    # The programme time a start decision granted, in months, where it states one: the
    # register compares it with the sluttmål's (nir.rules.decided_programme_time).
    programme_months = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["decided_on", "id"]
        indexes = [
            # The latest decision stating a programme time, without a sort, and the few
            # participations with one (selectors.programme_time_exceeded).
            models.Index(
                fields=["participation", "-decided_on", "-id"],
                include=["programme_months"],
                condition=Q(programme_months__isnull=False),
                name="decision_stated_months",
            ),
        ]


class LeavePeriod(models.Model):
    """Approved leave's fields, the same in both schemes: a type of the shared leave types
    (RuleConfig.leave_types), its period and the decision's date (approved leave stops the
    frist's clock)."""

    leave_type = models.CharField(max_length=32)
    start_date = models.DateField()
    end_date = models.DateField()
    decided_on = models.DateField()

    class Meta:
        abstract = True


class Leave(Registration, LeavePeriod):
    """Granted leave (permisjon); its type's flag says whether it moves the frist."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="leaves"
    )

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="leave_period_ordered"
            )
        ]


class Absence(Registration):
    """Absence: hours in a month, or a dated interval whose type may move the frist."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="absences"
    )
    absence_type = models.CharField(max_length=32)
    start_date = models.DateField()
    end_date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["start_date", "id"]


class Extension(Registration):
    """Utvidet programtid: an extension decision of whole months."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="extensions"
    )
    months = models.PositiveSmallIntegerField()
    decided_on = models.DateField()

    class Meta:
        ordering = ["decided_on", "id"]


class StopKind(models.TextChoices):
    MIDLERTIDIG = "midlertidig", "Midlertidig stans"
    VARIG = "varig", "Varig stans"


class Stop(Registration):
    """Stans (§ 18). A temporary stop does not move the frist; a permanent one ends it."""

    participation = models.ForeignKey(Participation, on_delete=models.PROTECT, related_name="stops")
    kind = models.CharField(max_length=16, choices=StopKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    decided_on = models.DateField()


class Measure(Registration):
    """A measure (tiltak) in the programme, with its period and weekly hours."""

    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="measures"
    )
    measure_type = models.CharField(max_length=48)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)


class LateRegistrationGrant(models.Model):
    """IMDi's time-limited permission for a municipality to register events late."""

    kommune = models.ForeignKey(Kommune, on_delete=models.PROTECT, related_name="grants")
    covers_from = models.DateField()
    covers_to = models.DateField()
    granted_on = models.DateField()
    expires_on = models.DateField()
    revoked_on = models.DateField(null=True, blank=True)
    granted_by = models.CharField(max_length=150)
    reason = models.TextField()

    def __str__(self) -> str:
        return f"Etterregistrering {self.kommune.number} {self.covers_from}–{self.covers_to}"


# The history actions that create a participation and that change its termination (each
# with the state before it in ``before``: the figures at a past moment read the state
# before the first one after it; an undone termination is one of them).
CREATION_ACTIONS = ("participation_created", "participation_seeded")
PERSON_UPDATED_ACTION = "person_updated"
# A Norwegian-training ordning's start and end, as the monthly Ukraina report reads them.
NORSK_STARTED_ACTION = "norsk_participation_started"
NORSK_ENDED_ACTION = "norsk_participation_ended"
TERMINATION_ACTIONS = (
    "automatic_termination_end",
    "automatic_termination_lift",
    "automatic_termination_move",
    "termination_cancelled",
    "termination_registered",
    "termination_replaced_automatic",
)


class HistoryEvent(models.Model):
    """One change, appended by the service that made it, in the same transaction."""

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150)
    channel = models.CharField(max_length=16)
    action = models.CharField(max_length=48)
    # No index of their own: history_feed_by_kommune and history_by_part lead with them.
    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="+", null=True, db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="history", null=True)
    participation = models.ForeignKey(
        Participation, on_delete=models.PROTECT, related_name="history", null=True, db_index=False
    )
    # The Norwegian-training participation an event is about (norsk_models.py).
    norsk_participation = models.ForeignKey(
        "register.NorskParticipation", on_delete=models.PROTECT, related_name="history", null=True
    )
    entity = models.CharField(max_length=32)
    entity_id = models.BigIntegerField(null=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    legal_basis = models.JSONField(default=list)
    late_registration_grant = models.ForeignKey(
        LateRegistrationGrant, on_delete=models.PROTECT, null=True, related_name="uses"
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["participation", "occurred_at"], name="history_by_part"),
            # When each participation was created: the register as it stood at a moment.
            models.Index(
                fields=["participation", "occurred_at"],
                condition=Q(action__in=CREATION_ACTIONS),
                name="history_created",
            ),
            # With each change's end before and after it: the changes after the cut-off that
            # bear on a year (an end by its last day) are told from the index, not the rows.
            models.Index(
                F("occurred_at"),
                JsonText("before", "end_date"),
                JsonText("after", "end_date"),
                condition=Q(action__in=TERMINATION_ACTIONS),
                name="history_termination_changes",
            ),
            # The ordninger started and ended by a moment (the Ukraina report's Norwegian
            # part), which the report otherwise reads the whole history for.
            *(
                models.Index(
                    fields=["norsk_participation", "occurred_at"],
                    condition=Q(action=action),
                    name=f"history_norsk_{name}",
                )
                for action, name in (
                    (NORSK_STARTED_ACTION, "started"),
                    (NORSK_ENDED_ACTION, "ended"),
                )
            ),
            # The participations registered after a moment (the cut-off against now), with
            # each creation's start, so those started by a year's last day are told apart.
            models.Index(
                F("occurred_at"),
                JsonText("after", "start_date"),
                condition=Q(action__in=CREATION_ACTIONS),
                name="history_created_at",
            ),
            # The persons whose facts changed after a moment: a corrected sex or birth date
            # moves a participation between the figures' rows (the cut-off against now).
            models.Index(
                fields=["occurred_at"],
                condition=Q(action=PERSON_UPDATED_ACTION),
                name="history_person_updated_at",
            ),
            # The change feed (api/selectors.changes) reads each part in id order after a
            # cursor: a municipality's own events, and the person-level events (no
            # municipality, no participation) of its persons.
            models.Index(fields=["kommune", "id"], name="history_feed_by_kommune"),
            # With the person (PostgreSQL; SQLite has no covering indexes), so the feed's
            # persons' parts never read the table: walked in id order with each event's
            # person probed among the municipality's, or, for a small municipality, the range
            # hashed against its persons (migration 0020 gives the planner the statistics
            # to choose).
            models.Index(
                fields=["id"],
                include=["person"],
                condition=Q(kommune__isnull=True, participation__isnull=True),
                name="history_feed_person_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} ({self.actor})"
