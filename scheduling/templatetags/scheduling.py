"""The P2P panels: `{% p2p_case_panel case %}` for the 360° case view and `{% p2p_portal_panel
case %}` for the provider portal's case page. They read through selectors and render; they decide
nothing."""

from django import template
from django.utils import timezone

from um_portal.accounts.roles import Role

from ..selectors import p2p_active_for_case, p2p_case_summary, p2p_provider_may_change

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


@register.inclusion_tag("scheduling/includes/portal_panel_body.html", takes_context=True)
def p2p_portal_panel(context, case):
    """The case's standing call, if any, in the plan's time zone and, when it differs, the
    provider user's own (one query). `case` is one the portal has already found for this user."""
    request = context.get("request")
    active = p2p_active_for_case(case=case)
    return {
        "case": case,
        "active": active,
        "may_change": active is not None and p2p_provider_may_change(active, now=timezone.now()),
        "request": request,
    }
