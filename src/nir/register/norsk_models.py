"""The rows of the second scheme: training in Norwegian and social studies (rules-norsk.md).

A Norwegian-training participation is its own model, not a ``scheme`` column on the
programme's ``Participation``. The two share the person, the municipality, the history,
the late-registration grants and the leave types, but not their facts: the programme's
participation carries a sluttmaal, a programme group and an automatic termination, this
one an education background, norskmaal versions, tests, exemptions and § 43 g decisions,
and its frist may be not computable at all (N3-b). Every figure, report, the sweep and the
API read ``Participation``; a second kind of row there would have to be filtered out of
each of them, and a forgotten filter would count Norwegian training as the programme.
The app imports this module with ``models.py`` (``RegisterConfig.import_models``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from nir.register.models import (
    Kommune,
    LateRegistrationGrant,
    LeavePeriod,
    Person,
    enum_choices,
)
from nir.rules.norsk.end_reasons import SetBy
from nir.rules.norsk.final_tests import FinalTestKind, ResultSource
from nir.rules.norsk.fritak import FritakGround, FritakKind
from nir.rules.norsk.hours import Subject
from nir.rules.norsk.norskmaal import EducationBackground, NorskmaalKind
from nir.rules.norsk.rights import NorskCategory, PermitList
from nir.rules.regime import Regime


class NorskParticipation(models.Model):
    """One person's Norwegian-training ordning in one municipality."""

    # No index of its own: norsk_person_kommune leads with it.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="norsk_participations", db_index=False
    )
    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="norsk_participations"
    )
    # The municipality's own case id in its case system (the API's key with the identity
    # number); blank for an ordning registered on the web without one.
    case_id = models.CharField(max_length=64, blank=True, default="")
    regime = models.CharField(max_length=32, choices=enum_choices(Regime))
    permit_list = models.CharField(max_length=32, choices=enum_choices(PermitList))
    permit_granted_abroad = models.BooleanField(default=False)
    # Frozen when the ordning starts (Decision N1-b), like the programme's category.
    category = models.CharField(max_length=16, choices=enum_choices(NorskCategory))
    right_start = models.DateField(null=True, blank=True)  # N1: the ordinary rules' anchor
    start_date = models.DateField()  # the first decision's start: kap. 6A's anchor
    # Decision N2-a: three values, confirmed by the caseworker; blank until registered.
    education_background = models.CharField(
        max_length=16, choices=enum_choices(EducationBackground), blank=True, default=""
    )
    # Null while the frist is not computable (N3-b); the derivation then says why.
    frist = models.DateField(null=True, blank=True)
    frist_derivation = models.JSONField()
    # N3-d: the day after the frist, the scheduler flags the open ordning «frist utløpt»;
    # a frist moved past the day lifts the flag.
    frist_flagged_on = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True, default="")
    end_set_by = models.CharField(
        max_length=16, choices=enum_choices(SetBy), blank=True, default=""
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(end_date__isnull=True),
                name="norsk_one_open_per_person",
            ),
            models.UniqueConstraint(
                fields=["kommune", "case_id"],
                condition=~Q(case_id=""),
                name="norsk_case_id_per_kommune",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="norsk_end_complete",
            ),
        ]
        indexes = [
            # Whether a person has an ordning in a municipality: the change feed's probe.
            models.Index(fields=["person", "kommune"], name="norsk_person_kommune"),
            models.Index(
                fields=["kommune", "frist"],
                condition=Q(end_date__isnull=True),
                name="norsk_open_frist",
            ),
        ]

    def __str__(self) -> str:
        return f"Opplæring i norsk {self.pk} ({self.kommune_id})"


class NorskRegistration(models.Model):
    """What every registration on a Norwegian-training participation shares."""

    norsk_participation = models.ForeignKey(
        NorskParticipation, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_by = models.CharField(max_length=150)
    channel = models.CharField(max_length=16)
    late_registration_grant = models.ForeignKey(
        LateRegistrationGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk} (norsk {self.norsk_participation_id})"


class NorskLeave(NorskRegistration, LeavePeriod):
    """Approved leave, the programme's fields (``LeavePeriod``), added to the frist as a
    clock stop like the programme's."""

    norsk_participation = models.ForeignKey(
        NorskParticipation, on_delete=models.PROTECT, related_name="leaves"
    )

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="norsk_leave_period_ordered",
            )
        ]


class ExtendedNorwegianDecision(NorskRegistration):
    """A decision on extended Norwegian training (integreringsforskriften § 43 g, N3-c);
    each one is a grant event of ``grant_nok``."""

    norsk_participation = models.ForeignKey(
        NorskParticipation, on_delete=models.PROTECT, related_name="extended_decisions"
    )
    decision_date = models.DateField()
    months = models.PositiveSmallIntegerField()
    grant_nok = models.PositiveIntegerField()

    class Meta:
        ordering = ["decision_date", "id"]


class NorskmaalVersion(NorskRegistration):
    """The norskmaal in force from ``valid_from`` (N2): a level per skill, or the
    alternative goal; versioned like the programme's sluttmaal."""

    norsk_participation = models.ForeignKey(
        NorskParticipation, on_delete=models.PROTECT, related_name="norskmaal_versions"
    )
    valid_from = models.DateField()
    kind = models.CharField(max_length=16, choices=enum_choices(NorskmaalKind))
    levels = models.JSONField(default=dict)  # skill -> CEFR level

    class Meta:
        ordering = ["valid_from", "id"]


class NorskTestResult(NorskRegistration):
    """One sitting of a final test (N4-b), imported from HK-dir or entered by hand with
    its document reference."""

    norsk_participation = models.ForeignKey(
        NorskParticipation, on_delete=models.PROTECT, related_name="test_results"
    )
    kind = models.CharField(max_length=24, choices=enum_choices(FinalTestKind))
    test_date = models.DateField()
    source = models.CharField(max_length=16, choices=enum_choices(ResultSource))
    levels = models.JSONField(default=dict)  # skill -> CEFR level; a skill not passed is absent
    passed = models.BooleanField(null=True, blank=True)  # the social-studies test
    test_site = models.CharField(max_length=150, blank=True, default="")
    document_ref = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        ordering = ["test_date", "id"]


class NorskExemption(NorskRegistration):
    """An exemption (fritak, N4-c) from training or a test; a training exemption marked
    ``ends_right`` ends the ordning."""

    norsk_participation = models.ForeignKey(
        NorskParticipation, on_delete=models.PROTECT, related_name="exemptions"
    )
    kind = models.CharField(max_length=24, choices=enum_choices(FritakKind))
    ground = models.CharField(max_length=32, choices=enum_choices(FritakGround))
    decision_date = models.DateField()
    ends_right = models.BooleanField(default=False)
    medical_statement = models.BooleanField(default=False)

    class Meta:
        ordering = ["decision_date", "id"]


class NorskHours(NorskRegistration):
    """Hours of Norwegian or of social studies completed in a period (N1, N5): one figure,
    or per module where the timemaal is in modules (the 75-hour scheme, ``module`` 1-3)."""

    norsk_participation = models.ForeignKey(
        NorskParticipation, on_delete=models.PROTECT, related_name="hours"
    )
    subject = models.CharField(max_length=24, choices=enum_choices(Subject))
    module = models.PositiveSmallIntegerField(null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="norsk_hours_period_ordered",
            )
        ]
