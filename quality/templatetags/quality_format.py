"""IRR figures as the pages and the PDF show them: agreement as a percentage, kappa to two
places, a dash when undefined."""

from django import template

register = template.Library()
DASH = "—"


@register.filter
def share_pct(value: float | None) -> str:
    return DASH if value is None else f"{value * 100:.1f} %"


@register.filter
def kappa(value: float | None) -> str:
    return DASH if value is None else f"{value:.2f}"
