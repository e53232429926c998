"""`{% feedback_portal_panel case %}`: on the provider's page of a decided request, the rating
form, or the organisation's rating once given (one query). Reads and renders."""

from django import template

from intake.models.care_request import DECIDED_STATUSES

from ..forms_feedback import FeedbackForm
from ..selectors.feedback import feedback_for_organization

register = template.Library()


@register.inclusion_tag("quality/includes/portal_feedback_body.html", takes_context=True)
def feedback_portal_panel(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    decided = case.status in DECIDED_STATUSES
    return {
        "case": case,
        "decided": decided,
        "given": decided
        and feedback_for_organization(
            care_request_id=case.pk,
            organization_id=getattr(user, "provider_organization_id", None),
        ),
        "form": FeedbackForm(),
        "csrf_token": context.get("csrf_token"),
    }
