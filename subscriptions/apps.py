from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "subscriptions"
    verbose_name = "FHIR subscriptions"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the status-event receiver
        from .capability import register

        register()
