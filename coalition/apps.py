from django.apps import AppConfig


class CoalitionConfig(AppConfig):
    name = "coalition"
    verbose_name = "Summits, commitments and sources"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import history, signals  # noqa: F401  (connects the receivers)
