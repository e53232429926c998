"""DTR Questionnaires in the CapabilityStatement (portal.fhir lists what is installed)."""

from portal.fhir.capabilities import register_resource

DOCUMENTATION = (
    "Coverage Requirements Discovery: CDS Hooks services (order-select, order-sign, "
    "appointment-book) at /cds-services, JWT-authenticated. Documentation Templates and Rules: "
    "each criteria set and checklist document as a Questionnaire, and "
    "Questionnaire/$questionnaire-package; a QuestionnaireResponse in a PAS Claim's "
    "supportingInfo answers them."
)


def register() -> None:
    register_resource(
        {
            "type": "Questionnaire",
            "supportedProfile": [
                "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/dtr-std-questionnaire"
            ],
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "operation": [
                {
                    "name": "questionnaire-package",
                    "definition": "http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/"
                    "questionnaire-package",
                }
            ],
        },
        DOCUMENTATION,
    )
