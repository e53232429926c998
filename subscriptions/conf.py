"""Delivery settings, overridable in Django settings (SUBSCRIPTION_<NAME>)."""

from django.conf import settings

DEFAULTS = {
    "MAX_ATTEMPTS": 6,  # then the notification is a dead letter, for staff to look at
    "BACKOFF_SECONDS": 30,  # doubled after each failed attempt: 30 s, 1 min, 2 min, ...
    "SWEEP_INTERVAL_SECONDS": 60,
    "CLAIM_STALE_SECONDS": 300,
    "LOOKBACK_HOURS": 48,  # how far back the sweeper looks for events not yet fanned out
    "ALLOW_HTTP": False,  # endpoints must be https, except where a setting allows http
}


def subscription_setting(name: str):
    return getattr(settings, f"SUBSCRIPTION_{name}", DEFAULTS[name])
