"""`{% reassign_panel case back="review" %}`: hand a case in clinical review to another reviewer,
for the queue's lead (on the review case view) or a UM manager (on the intake case page, which
managers read). The form posts to review's reassign view, which owns the action."""

from django import template

from ..selectors.routing import reassign_options_for_case

register = template.Library()


@register.inclusion_tag("review/includes/reassign.html", takes_context=True)
def reassign_panel(context, case, back: str = "review"):
    request = context.get("request")
    user = getattr(request, "user", None)
    options = reassign_options_for_case(case=case, user=user) if user else None
    return {
        "case": case,
        "back": back,
        "options": options,
        "csrf_token": context.get("csrf_token"),
    }
