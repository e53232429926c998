"""A provider rates a decided request: once per request and organisation."""

from django.db import IntegrityError, transaction

from intake.models import CareRequest
from intake.models.care_request import DECIDED_STATUSES
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotFound, ValidationFailed

from ..models import Feedback
from ..models.feedback import COMMENT_MAX

ALREADY = "Your organisation has already rated this request; a rating is given once."


def feedback_submit(*, actor, care_request: CareRequest, rating, comment: str = "") -> Feedback:
    """Record `actor`'s organisation's rating (1–5) of a decided request, with an optional
    comment. Another organisation's request is not found; a second rating is refused."""
    org_id = getattr(actor, "provider_organization_id", None)
    if org_id is None or care_request.provider_organization_id != org_id:
        raise NotFound("No such request.")
    if care_request.status not in DECIDED_STATUSES:
        raise ValidationFailed("A request can be rated once it is decided.")
    errors: dict[str, list[str]] = {}
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        errors["rating"] = ["Choose a rating from 1 to 5."]
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [f"At most {COMMENT_MAX} characters."]
    if errors:
        raise ValidationFailed("Check the rating.", field_errors=errors)
    if Feedback.objects.filter(care_request=care_request, organization_id=org_id).exists():
        raise ValidationFailed(ALREADY)
    line = care_request.service_lines.order_by("sequence").first()
    if line is None:
        raise ValidationFailed("This request has no service to rate.")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                care_request=care_request,
                organization_id=org_id,
                service_category_id=line.category_id,
                rating=rating,
                comment=comment,
                created_by=actor,
            )
            # The comment stays out of the audit trail: free text may carry PHI.
            audit_event(
                actor=actor,
                action="feedback_submit",
                case_id=care_request.pk,
                summary=f"Provider rated the request {rating}/5",
                data={"feedback": str(feedback.pk), "rating": rating},
            )
    except IntegrityError as exc:  # the same organisation rated it a moment ago
        raise ValidationFailed(ALREADY) from exc
    return feedback
