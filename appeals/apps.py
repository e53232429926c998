from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "appeals"

    def ready(self) -> None:
        from determinations.services.letters import register_letter_context

        from .services.letters import appeal_letter_context

        register_letter_context("appeal_ack", appeal_letter_context)
        register_letter_context("appeal_decision", appeal_letter_context)
