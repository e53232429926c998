from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        # Every process keeps a snapshot of the rules and reference rows; changes to them
        # must reach the other processes (intake/rules/reference.py).
        from .rules.reference import connect_signals

        connect_signals()
