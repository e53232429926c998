"""Correcting a provider whose NPI fails the check digit (ADR 0003): a PAS submission keeps such
an NPI as sent, out of network, and the rules hold the case for intake. Intake finds the right
NPI (NPPES, the office) and records it here."""

from django.db import IntegrityError, transaction

from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, ValidationFailed
from um_portal.lib.npi import is_valid_npi

from ..models import CareRequest, CaseNote, Provider

ROLES = {"requesting": "requesting_provider", "servicing": "servicing_provider"}


@transaction.atomic
def case_provider_correct(
    *, care_request: CareRequest, actor, role: str, npi: str, network_status: str, how: str
) -> Provider:
    """Give the case's requesting or servicing provider its correct NPI and network status.

    When another provider record already has that NPI the case is pointed at it (the provider
    is known under its real NPI); else the record that came with the submission is corrected.
    A requesting provider must stay within the case's organisation: the organisation's grant on
    the case rests on it. ValidationFailed (nothing written) for a wrong NPI or choice.
    """
    field = ROLES.get(role)
    if field is None:
        raise ValidationFailed("Choose the provider to correct.", field_errors={"role": ["?"]})
    case = CareRequest.objects.select_for_update().select_related(field).get(pk=care_request.pk)
    if not case.is_open:
        raise InvalidTransition("The request is closed; its providers can no longer change.")
    current: Provider = getattr(case, field)
    if is_valid_npi(current.npi):
        raise InvalidTransition(f"NPI {current.npi} passes the check digit: nothing to correct.")
    npi = (npi or "").strip()
    errors: dict[str, list[str]] = {}
    if not is_valid_npi(npi):
        errors["npi"] = ["Enter the 10-digit NPI with a valid check digit."]
    if network_status not in Provider.Network.values:
        errors["network_status"] = ["Choose in or out of network."]
    if len((how or "").strip()) < 10:
        errors["how"] = ["Say how you verified it (NPPES, a call to the office), for the record."]
    if errors:
        raise ValidationFailed("The provider correction has errors.", field_errors=errors)

    existing = Provider.objects.filter(npi=npi).exclude(pk=current.pk).first()
    if existing is not None:
        if role == "requesting" and existing.organization_id != case.provider_organization_id:
            raise ValidationFailed(
                "That NPI belongs to another organisation's provider.",
                field_errors={"npi": ["That NPI belongs to a provider of another organisation."]},
            )
        CareRequest.objects.filter(pk=case.pk).update(**{field: existing})
        corrected = existing
        what = f"now points to {existing.name} (NPI {npi}), already on file"
    else:
        try:
            with transaction.atomic():
                Provider.objects.filter(pk=current.pk).update(
                    npi=npi, network_status=network_status
                )
        except IntegrityError as exc:  # taken by a concurrent correction
            raise ValidationFailed(
                "That NPI was just registered; try again.", field_errors={"npi": ["Taken."]}
            ) from exc
        corrected = Provider.objects.get(pk=current.pk)
        network = corrected.get_network_status_display().lower()
        what = f"NPI corrected from {current.npi} to {npi}, {network}"
    label = "Requesting" if role == "requesting" else "Servicing"
    CaseNote.objects.create(
        care_request=case,
        author=actor,
        body=f"{label} provider {what}: {how.strip()}",
        visibility=CaseNote.Visibility.INTERNAL,
    )
    audit_event(
        actor=actor,
        action="provider.corrected",
        case_id=case.pk,
        summary=f"{label} provider {what}.",
        data={"role": role, "from_npi": current.npi, "to_npi": npi},
    )
    return corrected
