"""Where higher apps plug into review's dashboard and clock sweep (dependencies point one way,
so review cannot import them; ADR 0005). They register at start-up in their AppConfig.ready."""

from collections.abc import Callable
from datetime import datetime

# fn(user, now) -> {"template": str, ...context} or None when there is nothing to show
_dashboard_panels: list[Callable] = []
# fn(now) -> {"name": count, ...}, merged into the sweep's counts
_clock_sweeps: list[Callable] = []
# fn(case_id) inside the extending transaction: the written notice of the extension
_clock_extension_listeners: list[Callable] = []


def register_dashboard_panel(panel: Callable) -> None:
    if panel not in _dashboard_panels:
        _dashboard_panels.append(panel)


def register_clock_sweep(sweep: Callable) -> None:
    if sweep not in _clock_sweeps:
        _clock_sweeps.append(sweep)


def dashboard_panels(user, now: datetime) -> list[dict]:
    return [p for p in (panel(user, now) for panel in _dashboard_panels) if p]


def run_clock_sweeps(now: datetime) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sweep in _clock_sweeps:
        counts.update(sweep(now))
    return counts


def register_clock_extension_listener(listener: Callable) -> None:
    if listener not in _clock_extension_listeners:
        _clock_extension_listeners.append(listener)


def clock_extension_notify(case_id) -> None:
    """Called by care_request_extend in its transaction: the provider and the member must get a
    written notice of the extension before the initial period ends (29 CFR 2560.503-1(f)(3),
    42 CFR 422.568(b)(1)(ii)); determinations writes the letters in the same transaction."""
    for listener in _clock_extension_listeners:
        listener(case_id)


# fn(case) -> {criteria set id: {criterion sequence: True | False | None}}: what the provider
# attested in a DTR questionnaire (crd). Shown to the nurse beside each criterion; never saved as
# her answer.
_attestation_sources: list[Callable] = []


def register_attestation_source(source: Callable) -> None:
    if source not in _attestation_sources:
        _attestation_sources.append(source)


def attested_answers(case) -> dict[int, dict[int, bool | None]]:
    out: dict[int, dict[int, bool | None]] = {}
    for source in _attestation_sources:
        out.update(source(case))
    return out
