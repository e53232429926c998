"""PAS Claim updates (`Claim.related.claim` naming an earlier request). Updates are not applied
yet (cancel, modify or add items come later): until they are, an update is answered with an
OperationOutcome instead of being taken for a new request, which would open a duplicate case.
A denied request can never be updated: the submitter files a new request or an appeal."""

from intake.apis.selectors import care_request_scope_for_user
from intake.models import CareRequest, CareRequestStatus

from ..models import PasSubmission
from .errors import fail
from .parsing import ParsedBundle


def related_identifiers(parsed: ParsedBundle) -> list[str]:
    """The identifiers of the earlier requests the Claim says it updates."""
    values = []
    for related in parsed.claim.related or []:
        identifier = getattr(related.claim, "identifier", None) if related.claim else None
        if identifier is not None and identifier.value:
            values.append(identifier.value.strip())
    return values


def _earlier_case(user, values: list[str]) -> CareRequest | None:
    submission = (
        PasSubmission.objects.filter(
            organization=user.provider_organization,
            claim_identifier_value__in=values,
            care_request__in=care_request_scope_for_user(user),
        )
        .select_related("care_request")
        .order_by("-created_at")
        .first()
    )
    if submission is not None:
        return submission.care_request
    scope = care_request_scope_for_user(user)
    return (
        scope.filter(reference__in=values).first()
        or scope.filter(auth_number__in=[v for v in values if v]).first()
    )


def refuse_update(*, user, parsed: ParsedBundle) -> None:
    """Raise PasError (422) for a Claim update; return for a new request."""
    values = related_identifiers(parsed)
    if not parsed.claim.related:
        return
    case = _earlier_case(user, values) if values else None
    if case is None:
        raise fail(
            "not-found",
            "Claim.related.claim names no earlier request of your organisation (give the "
            "earlier Claim's identifier, our reference or the authorization number).",
            "Claim.related",
            status=422,
        )
    if case.status == CareRequestStatus.DENIED:
        raise fail(
            "business-rule",
            f"Request {case.reference} was denied and cannot be updated: file a new request, "
            "or an appeal of the denial.",
            "Claim.related",
            status=422,
        )
    raise fail(
        "not-supported",
        f"Updates to a request (Claim.related) are not accepted through PAS yet: to cancel or "
        f"change request {case.reference}, use the provider portal or call the plan.",
        "Claim.related",
        status=422,
    )
