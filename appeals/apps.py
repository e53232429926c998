from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "appeals"

    def ready(self) -> None:
        from determinations.services.letters import register_letter_context
        from review.extensions import register_clock_sweep, register_dashboard_panel

        from .selectors import appeal_dashboard_panel
        from .services.clocks import appeal_clocks_sweep
        from .services.letters import appeal_letter_context

        register_letter_context("appeal_ack", appeal_letter_context)
        register_letter_context("appeal_decision", appeal_letter_context)
        register_clock_sweep(appeal_clocks_sweep)
        register_dashboard_panel(appeal_dashboard_panel)
