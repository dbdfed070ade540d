from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nir.accounts"
    label = "accounts"
    verbose_name = "Brukere"
