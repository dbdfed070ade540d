from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "nir.web"
    label = "web"
    verbose_name = "Saksbehandlers brukergrensesnitt"
