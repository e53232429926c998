from django.apps import AppConfig


class CrdConfig(AppConfig):
    """Coverage Requirements Discovery (CDS Hooks) and Documentation Templates and Rules (FHIR
    Questionnaires), grown out of the portal (DESIGN §11). Uses intake's rules engine and review's
    criteria sets; nothing imports it — portal.fhir learns of it through registered hooks."""

    name = "crd"
    verbose_name = "CRD and DTR (CDS Hooks, questionnaires)"

    def ready(self) -> None:
        from portal.fhir.attachments import register_supporting_renderer

        from .capability import register
        from .pas import render_response

        register()
        register_supporting_renderer("QuestionnaireResponse", render_response)
