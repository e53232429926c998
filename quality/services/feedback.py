"""A provider or the member rates a decided request: once per request and organisation, once
per request and member."""

from django.db import IntegrityError, transaction

from intake.models import CareRequest
from intake.models.care_request import DECIDED_STATUSES
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotFound, ValidationFailed

from ..models import Feedback
from ..models.feedback import COMMENT_MAX

ALREADY = "Your organisation has already rated this request; a rating is given once."
MEMBER_ALREADY = "You have already rated this request; a rating is given once."


def feedback_submit(*, actor, care_request: CareRequest, rating, comment: str = "") -> Feedback:
    """Record `actor`'s organisation's rating (1–5) of a decided request, with an optional
    comment. Another organisation's request is not found; a second rating is refused."""
    org_id = getattr(actor, "provider_organization_id", None)
    if org_id is None or care_request.provider_organization_id != org_id:
        raise NotFound("No such request.")
    return _record(
        actor=actor,
        care_request=care_request,
        rating=rating,
        comment=comment,
        rater={"organization_id": org_id},
        already=ALREADY,
        who="Provider",
    )


def member_feedback_submit(
    *, actor, care_request: CareRequest, rating, comment: str = ""
) -> Feedback:
    """The member rates their own decided request. The members app links the user to the
    member (`member_account`); read through that relation, not an import (members sits above
    quality)."""
    account = getattr(actor, "member_account", None) if user_has_role(actor, Role.MEMBER) else None
    if account is None or account.member_id != care_request.member_id:
        raise NotFound("No such request.")
    return _record(
        actor=actor,
        care_request=care_request,
        rating=rating,
        comment=comment,
        rater={"member_id": account.member_id},
        already=MEMBER_ALREADY,
        who="Member",
    )


def _record(*, actor, care_request, rating, comment, rater: dict, already: str, who: str):
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
    if Feedback.objects.filter(care_request=care_request, **rater).exists():
        raise ValidationFailed(already)
    line = care_request.service_lines.order_by("sequence").first()
    if line is None:
        raise ValidationFailed("This request has no service to rate.")
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                care_request=care_request,
                service_category_id=line.category_id,
                rating=rating,
                comment=comment,
                created_by=actor,
                **rater,
            )
            # The comment stays out of the audit trail: free text may carry PHI.
            audit_event(
                actor=actor,
                action="feedback_submit",
                case_id=care_request.pk,
                summary=f"{who} rated the request {rating}/5",
                data={"feedback": str(feedback.pk), "rating": rating},
            )
    except IntegrityError as exc:  # the same rater rated it a moment ago
        raise ValidationFailed(already) from exc
    return feedback
