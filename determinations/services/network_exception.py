"""The out-of-network exception (network adequacy or a single-case agreement): intake or the
nurse asks while the case is with them; a medical director decides. Approved, the case goes on
in review as if the provider were in network; denied, the case is denied administratively
(out of network) with its letter, by the director, in the same transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.models import CareRequest, CareRequestStatus, ServiceLine
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from ..models import NetworkException
from .administrative import AdministrativeLine, determination_issue_administrative

# Who may ask, by the stage the case is in (the stage's owner, as for pends).
REQUEST_ROLE_BY_STATUS = {
    CareRequestStatus.SUBMITTED: Role.INTAKE,
    CareRequestStatus.NURSE_REVIEW: Role.NURSE,
}
OUT_OF_NETWORK = "out_of_network"


def network_exception_approval_refusal(case: CareRequest) -> str:
    """An out-of-network service is approved only after its exception is approved: while the
    exception waits for a medical director, or after it was denied, nothing is approved (the
    approval would bypass the director's network decision)."""
    latest = (
        NetworkException.objects.filter(care_request_id=case.pk)
        .order_by("-requested_at")
        .values_list("status", flat=True)
        .first()
    )
    if latest == NetworkException.Status.REQUESTED:
        return (
            "The out-of-network exception is waiting for a medical director: no service can "
            "be approved until the exception is approved."
        )
    if latest == NetworkException.Status.DENIED:
        return (
            "The out-of-network exception was denied: the out-of-network services cannot be "
            "approved."
        )
    return ""


def network_exception_may_request(case: CareRequest, user) -> bool:
    role = REQUEST_ROLE_BY_STATUS.get(case.status)
    return role is not None and user_has_role(user, role)


@transaction.atomic
def network_exception_request(
    *, case: CareRequest, actor, basis: str, reason: str
) -> NetworkException:
    """Mark the case as needing an out-of-network exception for a director to decide."""
    locked = (
        CareRequest.objects.select_for_update().select_related("servicing_provider").get(pk=case.pk)
    )
    if not network_exception_may_request(locked, actor):
        raise NotPermitted("Only intake or the reviewing nurse may ask for a network exception.")
    errors = {}
    if basis not in NetworkException.Basis.values:
        errors["basis"] = ["Choose network adequacy or a single-case agreement."]
    if len(reason.strip()) < 20:
        errors["reason"] = ["Say in a sentence why the member needs this provider."]
    if errors:
        raise ValidationFailed("The request has errors.", field_errors=errors)
    provider = locked.servicing_provider
    if provider is None or provider.network_status != provider.Network.OUT:
        raise ValidationFailed(
            "The servicing provider is in the plan's network: no exception is needed."
        )
    try:
        with transaction.atomic():
            exception = NetworkException.objects.create(
                care_request=locked,
                basis=basis,
                reason=reason.strip(),
                requested_by=actor,
                requested_at=timezone.now(),
            )
    except IntegrityError as exc:  # another open exception, perhaps asked a moment ago
        raise InvalidTransition("A network exception is already waiting for a director.") from exc
    audit_event(
        actor=actor,
        action="network_exception.requested",
        case_id=locked.pk,
        summary=f"Out-of-network exception requested ({exception.get_basis_display()}).",
        data={"exception": str(exception.pk)},
    )
    return exception


@transaction.atomic
def network_exception_decide(
    *,
    exception: NetworkException,
    director,
    approve: bool,
    note: str,
    provision: str = "",
) -> NetworkException:
    """A medical director approves or denies the exception. Denial denies every line of the
    case for "out of network" (the note is the letter's explanation, `provision` the plan
    provision it rests on); raises as determination_issue_administrative does then."""
    if not user_has_role(director, Role.DIRECTOR):
        raise NotPermitted("Only a medical director decides a network exception.")
    locked = NetworkException.objects.select_for_update().get(pk=exception.pk)
    if locked.status != NetworkException.Status.REQUESTED:
        raise InvalidTransition(
            f"This exception was decided already: {locked.get_status_display()}."
        )
    if len(note.strip()) < 20:
        raise ValidationFailed(
            "Explain the decision.", field_errors={"note": ["Explain the decision in a sentence."]}
        )
    case = locked.care_request
    if not approve:
        # The administrative denial checks the director's permission, the case's state, the
        # provision and the explanation; any error rolls this whole decision back.
        determination_issue_administrative(
            case=case,
            actor=director,
            lines=[
                AdministrativeLine(
                    service_line=line, reason_code=OUT_OF_NETWORK, provision=provision
                )
                # Lines denied administratively before are decided already.
                for line in case.service_lines.filter(decision=ServiceLine.Decision.PENDING)
            ],
            rationale=note,
            note="Out-of-network exception denied.",
        )
    elif not case.is_open:
        raise InvalidTransition("The case is closed; the exception no longer matters.")
    locked.status = NetworkException.Status.APPROVED if approve else NetworkException.Status.DENIED
    locked.decided_by = director
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_event(
        actor=director,
        action="network_exception.decided",
        case_id=case.pk,
        summary=f"Out-of-network exception {'approved' if approve else 'denied'}.",
        data={"exception": str(locked.pk)},
    )
    exception.refresh_from_db()
    return locked
