"""The P2P panel for the 360° case view: `{% p2p_case_panel case %}` reads through a selector and
renders; it decides nothing."""

from django import template
from django.utils import timezone

from um_portal.accounts.roles import Role

from ..selectors import p2p_case_summary

register = template.Library()


@register.inclusion_tag("scheduling/includes/case_panel_body.html", takes_context=True)
def p2p_case_panel(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "is_director": bool(user and user.is_authenticated and user.has_role(Role.DIRECTOR)),
        "p2p": p2p_case_summary(case=case, now=timezone.now()),
        "case": case,
        "user": user,
        "request": request,
    }
