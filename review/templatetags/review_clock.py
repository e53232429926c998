"""`{% clock_extension case back="review" %}`: the documented clock extension on a staff case
page — what was extended, or the form when the user may extend now. The intake and review case
pages both show it; the form posts to review's extension view, which owns the action."""

from django import template

from ..forms import ClockExtensionForm
from ..selectors.clock import clock_extension_for, clock_extension_rule
from ..services.clocks import care_request_may_extend

register = template.Library()


@register.inclusion_tag("review/includes/clock_extension.html", takes_context=True)
def clock_extension(context, case, back: str = "review"):
    request = context.get("request")
    user = getattr(request, "user", None)
    may_extend = care_request_may_extend(case=case, user=user)
    rule = clock_extension_rule(case) if may_extend else None
    return {
        "case": case,
        "back": back,
        "extension": clock_extension_for(case),
        "may_extend": may_extend,
        "rule": rule,
        "form": ClockExtensionForm(rule=rule),
        "csrf_token": context.get("csrf_token"),
    }
