from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "nir.audit"
    label = "audit"
    verbose_name = "Innsynslogg"
