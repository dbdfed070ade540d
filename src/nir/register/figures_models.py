"""What leaves the register as figures or extracts, kept: IMDi's own cut-off for a year where
it sets one, the year's published figures as stored when the cut-off passed, the reports
built for a period as delivered, the suppression pattern of every release, and the log of
research extracts.

Once the cut-off of a year has passed, its figures no longer change: the scheduler stores
them (``nir.register.services.stored_figures``) and the published pages, the exports and
the comparison with now read them back instead of reconstructing the register as it stood.
The app imports this module with ``models.py`` (``RegisterConfig.import_models``).
"""

from __future__ import annotations

from django.db import models


class AnnualCutoffException(models.Model):
    """IMDi's own cut-off for one year's figures, where the published rule does not hold.

    Set and changed only through ``nir.register.services.cutoffs``, which writes the change
    with its reason to the history in the same transaction.
    """

    year = models.PositiveSmallIntegerField(unique=True)
    cutoff_date = models.DateField()
    reason = models.TextField()
    set_by = models.CharField(max_length=150)
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"Frist for tallene for {self.year}: {self.cutoff_date}"


class StoredFigures(models.Model):
    """One year's figures at its cut-off, counted one way (IMDi's or SSB's): every
    dimension's counts (``figures``: per dimension, per label, the participants, the starts
    and the endings by reason) and every published cell of the release with its
    protection (``cells``: the cell's key, its value and whether it is hidden as a small
    count or to protect one), with the cut-off they were drawn at and the rules' version."""

    year = models.PositiveSmallIntegerField()
    counting = models.CharField(max_length=8)
    cutoff_date = models.DateField()
    cutoff_at = models.DateTimeField()
    config_version = models.CharField(max_length=64)
    stored_at = models.DateTimeField()
    figures = models.JSONField(default=dict)
    cells = models.JSONField(default=dict)

    class Meta:
        ordering = ["-year", "counting"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "counting"], name="figures_stored_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"Tall for {self.year} ({self.counting}) ved fristen {self.cutoff_date}"


class PublishedReport(models.Model):
    """A report built for a period as the register stood at its cut-off, kept as delivered."""

    kind = models.CharField(max_length=32)  # "ukraina_monthly"
    period = models.CharField(max_length=16)  # "2026-10"
    cutoff = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)
    xlsx = models.BinaryField()

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period"], name="report_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period}"


class ResearchExtract(models.Model):
    """The log of every pseudonymised extract made for an approved research project."""

    project = models.CharField(max_length=64)
    requested_by = models.CharField(max_length=150)
    columns = models.JSONField()
    years = models.CharField(max_length=16)
    rows = models.PositiveIntegerField()
    reserved_persons = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    # What the extract protects: k of its quasi-identifiers, what was generalised or left
    # out to reach it, and what the project said it is for.
    purpose = models.CharField(max_length=300, blank=True)
    k = models.PositiveSmallIntegerField(default=5)
    generalised = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Uttrekk {self.project} {self.created_at:%Y-%m-%d}"


class PublishedRelease(models.Model):
    """The suppression pattern of one release of figures (a year now or at the cut-off, a
    month of the Ukraina report), kept so that publishing it again, or one more table of it
    later, never unlocks a cell that was hidden (rules.md §8)."""

    key = models.CharField(max_length=64, unique=True)
    hidden = models.JSONField(default=list)
    published = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64, blank=True)
    protected_at = models.DateTimeField()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"Publisering {self.key}"
