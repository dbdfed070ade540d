from django.apps import AppConfig


class ImdiConfig(AppConfig):
    """IMDi's pages (support, grants, data quality, statistics, reports, the scheduler) and
    the municipality's side of support requests."""

    name = "nir.imdi"
    label = "imdi"
    verbose_name = "IMDi"
