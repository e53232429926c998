"""The reference data every submission reads, kept per process and rebuilt when it changes.

Each request used to read the rules in force, the queues, the turnaround clocks, the service
categories and the plans' covered categories afresh: seven queries for rows that change a few
times a year. They are read once into a `Reference` snapshot, tagged with a version that lives
in the shared cache (Redis in every deployed process). Saving or deleting any of these rows, or
migrating, writes a new version; the next request of every process sees that its snapshot is
outdated and reads the rows again. The version is written at the save and again after commit:
a process that rebuilt from the old rows between the two (the change was not committed yet)
sees the second version and rebuilds once more.

A queryset `.update()` sends no signal: code that changes reference rows that way calls
`reference_changed()` itself.
"""

import logging
import threading
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from ..models import (
    AuthRequirementRule,
    AutoApprovalRule,
    ChecklistRequirement,
    Plan,
    Queue,
    ServiceCategory,
    TurnaroundStandard,
)

logger = logging.getLogger(__name__)

VERSION_KEY = "intake:reference-version"


def _version_key() -> str:
    # Tests give each test its own key: test processes sharing one Redis must not bump each
    # other's snapshots (their query counts would change under them).
    return getattr(settings, "INTAKE_REFERENCE_VERSION_KEY", VERSION_KEY)


@dataclass(frozen=True)
class Reference:
    version: str
    auth_rules: tuple[AuthRequirementRule, ...]  # in force, by order then key
    checklist_rules: tuple[ChecklistRequirement, ...]  # in force, by kind, required first, key
    auto_rules: tuple[AutoApprovalRule, ...]  # in force, by order then key
    queues: tuple[Queue, ...]  # active, by order then name, with their categories prefetched
    # (line of business, priority, request type, timing) -> the clock row
    turnaround: dict[tuple[str, str, str, str], TurnaroundStandard] = field(repr=False)
    categories: tuple[ServiceCategory, ...]  # by name
    plan_categories: dict = field(repr=False)  # plan id -> frozenset of covered category ids

    def category_by_code(self) -> dict[str, ServiceCategory]:
        return {c.code: c for c in self.categories}


_lock = threading.Lock()
_snapshot: Reference | None = None


def _in_force(model, *order):
    return tuple(model.objects.filter(is_current=True, is_active=True).order_by(*order))


def _load(version: str) -> Reference:
    plan_categories: dict = {}
    through = Plan.covered_categories.through.objects.values_list("plan_id", "servicecategory_id")
    for plan_id, category_id in through:
        plan_categories.setdefault(plan_id, set()).add(category_id)
    return Reference(
        version=version,
        auth_rules=_in_force(AuthRequirementRule, "order", "key"),
        checklist_rules=_in_force(ChecklistRequirement, "document_kind", "-required", "key"),
        auto_rules=_in_force(AutoApprovalRule, "order", "key"),
        queues=tuple(
            Queue.objects.filter(is_active=True)
            .prefetch_related("service_categories")
            .order_by("order", "name")
        ),
        turnaround={
            (s.line_of_business, s.priority, s.request_type, s.timing): s
            for s in TurnaroundStandard.objects.all()
        },
        categories=tuple(ServiceCategory.objects.order_by("name")),
        plan_categories={k: frozenset(v) for k, v in plan_categories.items()},
    )


def _current_version() -> str:
    try:
        version = cache.get(_version_key())
        if version is None:
            cache.add(_version_key(), uuid.uuid4().hex, timeout=None)
            version = cache.get(_version_key())
    except Exception:  # noqa: BLE001 - the cache down must not fail a submission
        version = None
    # Without a cache there is no version to trust: read the rows every time.
    return version or f"uncached-{uuid.uuid4().hex}"


def snapshot() -> Reference:
    """The reference data as of the current version (no query when nothing changed)."""
    global _snapshot
    version = _current_version()
    current = _snapshot
    if current is not None and current.version == version:
        return current
    with _lock:
        if _snapshot is None or _snapshot.version != version:
            _snapshot = _load(version)
        return _snapshot


def forget() -> None:
    """Drop this process's snapshot (tests: their rows are rolled back without a signal)."""
    global _snapshot
    _snapshot = None


def _bump() -> None:
    try:
        cache.set(_version_key(), uuid.uuid4().hex, timeout=None)
    except Exception:  # noqa: BLE001 - the local copy is still dropped below
        # Other processes keep their snapshot until the cache answers again: say so.
        logger.warning("Could not publish a reference data change to the cache.", exc_info=True)
    forget()


def reference_changed(**kwargs) -> None:
    """Mark the reference data changed now and again once the change is committed."""
    _bump()
    transaction.on_commit(_bump, robust=True)


REFERENCE_MODELS = (
    AuthRequirementRule,
    AutoApprovalRule,
    ChecklistRequirement,
    Plan,
    Queue,
    ServiceCategory,
    TurnaroundStandard,
)


def connect_signals() -> None:
    uid = "intake.rules.reference"
    for model in REFERENCE_MODELS:
        post_save.connect(reference_changed, sender=model, dispatch_uid=f"{uid}.save.{model}")
        post_delete.connect(reference_changed, sender=model, dispatch_uid=f"{uid}.del.{model}")
    for through in (Plan.covered_categories.through, Queue.service_categories.through):
        m2m_changed.connect(reference_changed, sender=through, dispatch_uid=f"{uid}.m2m.{through}")
    post_migrate.connect(reference_changed, dispatch_uid=f"{uid}.migrate")
