from django.apps import AppConfig


class StaysConfig(AppConfig):
    name = "stays"
    verbose_name = "Inpatient stays"

    def ready(self) -> None:
        from intake.services.review_types import StayHooks, register_stay_hooks

        from .services import stay_approved_days_end, stay_concurrent_received

        register_stay_hooks(
            StayHooks(
                concurrent_received=stay_concurrent_received,
                approved_days_end=stay_approved_days_end,
            )
        )
