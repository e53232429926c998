from django.apps import AppConfig


class DeterminationsConfig(AppConfig):
    name = "determinations"

    def ready(self) -> None:
        from intake.services.decision_hooks import register_decision_recorder

        from .services.recorder import determination_record_notice

        register_decision_recorder(determination_record_notice)
