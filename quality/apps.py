from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Running the UM program: setup checklist, goals, IRR audits, feedback (DESIGN §11).

    Reads every app; writes only its own models."""

    name = "quality"
    verbose_name = "UM program quality"
