from django.apps import AppConfig


class InteropConfig(AppConfig):
    """FHIR access APIs grown out of the portal (DESIGN §11): SMART App Launch authorization
    (django-oauth-toolkit) and the CMS-0057-F Patient Access API (PDex prior authorizations,
    Patient, Coverage). Uses intake, determinations and members; nothing imports it."""

    name = "interop"
    verbose_name = "FHIR access APIs"

    def ready(self) -> None:
        from .capability import register

        register()
