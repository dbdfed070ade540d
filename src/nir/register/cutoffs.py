"""Reading a year's cut-off: IMDi's exception for it, or the published date, or the rule.

Beside the statistics it serves (the services that build reports read it through them);
the exception is written only by ``nir.register.services.cutoffs``.
"""

from __future__ import annotations

from nir.register.figures_models import AnnualCutoffException
from nir.rules.cutoff import Cutoff, CutoffException, annual_cutoff_for


def annual_cutoff(year: int) -> Cutoff:
    """The cut-off of a year's figures (nir.rules.cutoff), with IMDi's exception if set."""
    exception = AnnualCutoffException.objects.filter(year=year).first()
    exceptions = (
        {year: CutoffException(year, exception.cutoff_date, exception.reason)}
        if exception is not None
        else {}
    )
    return annual_cutoff_for(year, exceptions)
