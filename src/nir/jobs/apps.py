from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "nir.jobs"
    label = "jobs"
    verbose_name = "Planlagte jobber og varsler"
