from django.apps import AppConfig


class AccessConfig(AppConfig):
    """CMS-0057-F Provider Access and Payer-to-Payer APIs: SMART Backend Services clients,
    member attribution to provider organisations, Group bulk export and $member-match. Uses
    intake, members and interop (its PDex mapping and SMART validator); nothing imports it."""

    name = "access"
    verbose_name = "Provider Access API"

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - registers the beat entries
        from .capability import register

        register()
