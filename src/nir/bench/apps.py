from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "nir.bench"
    label = "bench"
    verbose_name = "Ytelsesmålinger"
