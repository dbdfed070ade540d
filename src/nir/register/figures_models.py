"""The year's published figures as stored when IMDi's annual cut-off passed.

Once the cut-off of a year has passed, its figures no longer change: the scheduler stores
them (``nir.register.services.stored_figures``) and the published pages, the exports and
the comparison with now read them back instead of reconstructing the register as it stood.
The app imports this module with ``models.py`` (``RegisterConfig.import_models``).
"""

from __future__ import annotations

from django.db import models


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
