"""The Provider Access API's resources in the CapabilityStatement (see interop.capability)."""

from portal.fhir.capabilities import register_operation, register_resource

DOCUMENTATION = (
    "Provider Access API (CMS-0057-F): a provider organisation's system, authorized through "
    "SMART Backend Services (client_credentials with a private_key_jwt assertion, RS384 or "
    "ES384), reads its attribution Groups and exports them (Bulk Data Group $export, NDJSON) — "
    "only members attributed to it who have not opted out. Payer-to-Payer: another payer's "
    "system calls Patient/$member-match (Da Vinci HRex)."
)


def register() -> None:
    register_resource(
        {
            "type": "Group",
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "operation": [
                {
                    "name": "export",
                    "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export",
                }
            ],
        },
        DOCUMENTATION,
    )
    register_operation(
        "Patient",
        {
            "name": "member-match",
            "definition": "http://hl7.org/fhir/us/davinci-hrex/OperationDefinition/member-match",
        },
    )
