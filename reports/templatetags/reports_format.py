"""Display helpers for report numbers: percentages and durations."""

from datetime import timedelta
from decimal import Decimal

from django import template

register = template.Library()

DASH = "—"


@register.filter
def pct(value: Decimal | None) -> str:
    return DASH if value is None else f"{value}%"


@register.filter
def hours(value: timedelta | None) -> str:
    """A duration in hours with one decimal, the unit turnaround standards use (72 h, 168 h)."""
    return DASH if value is None else f"{value.total_seconds() / 3600:,.1f} h"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, 0)
