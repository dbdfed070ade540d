from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "nir.register"
    label = "register"
    verbose_name = "Introduksjonsregisteret"
