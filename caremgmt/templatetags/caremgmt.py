"""`{% referral_case_panel case %}`: the member's care-management referrals on the 360° case
view (one query), and the form to refer by hand for a nurse or director. Reads and renders."""

from django import template

from um_portal.accounts.permissions import user_has_role

from ..forms import ReferForm
from ..models.referrals import CARE_MANAGERS, REFERRERS
from ..selectors.referrals import referrals_for_member

register = template.Library()


@register.inclusion_tag("caremgmt/includes/case_panel_body.html", takes_context=True)
def referral_case_panel(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "case": case,
        "referrals": referrals_for_member(member_id=case.member_id),
        "may_refer": user_has_role(user, *REFERRERS),
        "may_open": user_has_role(user, *CARE_MANAGERS),
        "form": ReferForm(),
        "csrf_token": context.get("csrf_token"),
    }
