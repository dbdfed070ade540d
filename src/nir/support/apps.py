from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "nir.support"
    label = "support"
    verbose_name = "Brukerstøtte"
