"""Da Vinci HRex $member-match (Payer-to-Payer, CMS-0057-F): another payer sends the member's
demographics, the coverage it holds from us and the member's consent; we answer with our unique
member identifier, or 422 when no single member matches."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from intake.models import Member
from members.models import DataSharingChoice
from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access_many, audit_event

from .models import BackendClient

V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
MEMBER_SYSTEM = "urn:um-portal:member"
# HRex: the consent policies a payer may accept ("regular" = no sensitive data; "sensitive").
HREX_CONSENT = "http://hl7.org/fhir/us/davinci-hrex/StructureDefinition-hrex-consent.html"
CONSENT_POLICIES = {f"{HREX_CONSENT}#regular", f"{HREX_CONSENT}#sensitive"}


class BadInput(Exception):
    pass


class NoMatch(Exception):
    pass


@dataclass(frozen=True)
class MatchInput:
    family: str
    given: str
    birth_date: str
    member_numbers: tuple[str, ...]
    consent_policy: str


def _resource(parameters: dict, name: str) -> dict:
    found = [
        p.get("resource")
        for p in parameters.get("parameter") or []
        if isinstance(p, dict) and p.get("name") == name
    ]
    if len(found) != 1 or not isinstance(found[0], dict):
        raise BadInput(f"Give exactly one parameter {name} with a resource.")
    return found[0]


def parse_input(parameters) -> MatchInput:
    """The three parameters HRex requires; BadInput says which is missing or malformed."""
    if not isinstance(parameters, dict) or parameters.get("resourceType") != "Parameters":
        raise BadInput("$member-match takes a Parameters resource.")
    patient = _resource(parameters, "MemberPatient")
    coverage = _resource(parameters, "CoverageToMatch")
    consent = _resource(parameters, "Consent")
    if patient.get("resourceType") != "Patient" or coverage.get("resourceType") != "Coverage":
        raise BadInput("MemberPatient must be a Patient and CoverageToMatch a Coverage.")
    if consent.get("resourceType") != "Consent":
        raise BadInput("Consent must be a Consent.")
    names = patient.get("name") or [{}]
    name = names[0] if isinstance(names, list) and isinstance(names[0], dict) else {}
    given = name.get("given") or [""]
    numbers = [
        str(i.get("value", "")) for i in coverage.get("identifier") or [] if isinstance(i, dict)
    ]
    numbers.append(str(coverage.get("subscriberId") or ""))
    data = MatchInput(
        family=str(name.get("family") or "").strip(),
        given=str(given[0] if isinstance(given, list) else given).strip(),
        birth_date=str(patient.get("birthDate") or ""),
        member_numbers=tuple(n.strip() for n in numbers if n.strip()),
        consent_policy=str((consent.get("policy") or [{}])[0].get("uri", ""))
        if isinstance(consent.get("policy"), list)
        else "",
    )
    if not (data.family and data.birth_date and data.member_numbers):
        raise BadInput(
            "MemberPatient needs a family name and birthDate; "
            "CoverageToMatch an identifier or subscriberId."
        )
    provision = consent.get("provision") if isinstance(consent.get("provision"), dict) else {}
    if consent.get("status") != "active" or provision.get("type") != "permit":
        raise BadInput("Consent must be active and permit disclosure.")
    if data.consent_policy not in CONSENT_POLICIES:
        raise BadInput("Consent.policy must be the HRex regular or sensitive policy.")
    return data


def _find(data: MatchInput) -> Member:
    candidates = list(
        Member.objects.annotate(family=Lower("last_name"))
        .filter(
            family=data.family.lower(),
            birth_date=data.birth_date,
            coverages__member_number__in=data.member_numbers,
        )
        .distinct()[:2]
    )
    if data.given:
        candidates = [
            m for m in candidates if m.first_name.lower() == data.given.lower()
        ] or candidates
    if len(candidates) != 1:
        raise NoMatch
    return candidates[0]


@transaction.atomic
def member_match(*, client: BackendClient, parameters) -> dict:
    """Match, record the member's payer-to-payer consent and answer HRex's output Parameters.
    Raises BadInput (400) or NoMatch (422)."""
    data = parse_input(parameters)
    try:
        member = _find(data)
    except (ValueError, ValidationError) as error:  # a birthDate that is not a date
        raise BadInput("birthDate must be a date (YYYY-MM-DD).") from error
    now = timezone.now()
    DataSharingChoice.objects.update_or_create(
        member=member,
        defaults={
            "payer_to_payer_opted_in": True,
            "payer_to_payer_changed_at": now,
            "payer_to_payer_source": f"$member-match consent via {client.name}"[:200],
            "changed_by": client.user,
        },
    )
    audit_access_many(
        user=client.user,
        action="member_match",
        channel=AccessLog.Channel.FHIR,
        member_ids=[member.pk],
    )
    audit_event(
        actor=None,
        action="access.payer_to_payer_consent",
        summary=f"Payer-to-payer consent recorded from {client.name} ($member-match).",
        data={"member": str(member.pk), "client": str(client.pk), "policy": data.consent_policy},
    )
    return {
        "resourceType": "Parameters",
        "parameter": [
            {
                "name": "MemberIdentifier",
                "valueIdentifier": {
                    "type": {"coding": [{"system": V2_0203, "code": "UMB"}]},
                    "system": MEMBER_SYSTEM,
                    "value": str(member.pk),
                },
            },
            {"name": "MemberId", "valueReference": {"reference": f"Patient/{member.pk}"}},
        ],
    }
