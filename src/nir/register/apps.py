from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "nir.register"
    label = "register"
    verbose_name = "Introduksjonsregisteret"

    def import_models(self) -> None:
        super().import_models()
        # The second scheme's rows live in their own module, which builds on models.py;
        # importing it here, while the app's models load, makes them the app's models.
        # The figures stored at each year's cut-off (figures_models.py), likewise.
        import nir.register.figures_models
        import nir.register.norsk_models
        import nir.register.related_item_models  # noqa: F401
