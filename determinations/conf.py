"""Letter pipeline settings: Django settings first, then the environment (so a Celery worker
started by a test can be tuned without a settings module of its own), then the default."""

import os

from django.conf import settings

DEFAULTS = {
    # The sweeper re-queues a letter not sent this long after it was written or last touched.
    "LETTER_SWEEP_AFTER_SECONDS": 180,
    # A claim older than this belongs to a worker that died; longer than any real render.
    "LETTER_CLAIM_STALE_SECONDS": 300,
    # After this many attempts a letter is marked failed for a person to look at.
    "LETTER_MAX_ATTEMPTS": 8,
    # Fault injection for the reliability tests only: sleep this long while rendering.
    "LETTER_TEST_RENDER_DELAY": 0,
    # How often beat runs the sweeper.
    "LETTER_SWEEP_INTERVAL_SECONDS": 60,
}


def letter_setting(name: str) -> float:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, DEFAULTS[name])
    return float(value)
