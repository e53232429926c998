from django.apps import AppConfig


class CrdConfig(AppConfig):
    """Coverage Requirements Discovery (CDS Hooks) and Documentation Templates and Rules (FHIR
    Questionnaires), grown out of the portal (DESIGN §11). Uses intake's rules engine and review's
    criteria sets; nothing imports it — portal.fhir learns of it through registered hooks."""

    name = "crd"
    verbose_name = "CRD and DTR (CDS Hooks, questionnaires)"

    def ready(self) -> None:
        from intake.rules.engine import register_attestation_provider
        from portal.fhir.attachments import register_supporting_renderer
        from review.extensions import register_attestation_source

        from .attestations import attestation_gaps, attested_answers, record_from_pas
        from .capability import register
        from .pas import render_response

        register()
        register_supporting_renderer("QuestionnaireResponse", render_response, record_from_pas)
        # The provider's attested criteria answers: the rules engine may approve on them, the
        # nurse sees them (both apps sit below crd, so they are told here).
        register_attestation_provider(attestation_gaps)
        register_attestation_source(attested_answers)
