"""The Patient Access API's resources in the CapabilityStatement, registered when this app is
installed (portal.fhir lists what is installed without importing it)."""

from portal.fhir.capabilities import register_resource

from .pdex import PRIOR_AUTH_PROFILE

DOCUMENTATION = (
    "Patient Access API (CMS-0057-F): a member's app authorized through SMART App Launch "
    "(standalone launch, PKCE; discovery at .well-known/smart-configuration) reads that member's "
    "prior authorizations as PDex Prior Authorization ExplanationOfBenefit resources, their "
    "Patient and Coverage; never another member's."
)
PATIENT_PARAM = [{"name": "patient", "type": "reference"}]


def register() -> None:
    register_resource(
        {
            "type": "ExplanationOfBenefit",
            "supportedProfile": [PRIOR_AUTH_PROFILE],
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": PATIENT_PARAM,
        },
        DOCUMENTATION,
    )
    register_resource({"type": "Patient", "interaction": [{"code": "read"}]})
    register_resource(
        {"type": "Coverage", "interaction": [{"code": "search-type"}], "searchParam": PATIENT_PARAM}
    )
