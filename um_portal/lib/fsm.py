"""What every state machine of the house shares (cases, appeals): who-may checks for
django-fsm-2's `permission=`, references staff can read over the phone, and a thread-safe reload
of a protected state field."""

import secrets
import threading

from um_portal.accounts.permissions import user_has_role
from um_portal.lib.errors import InvalidTransition

# No 0/O, 1/I: a reference is read aloud on the phone.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def readable_reference(prefix: str, length: int = 8) -> str:
    return prefix + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(length))


def roles(*names: str):
    """A transition permission: the user holds one of these roles."""

    def check(instance, user) -> bool:
        return user_has_role(user, *names)

    check.__name__ = "role_" + "_or_".join(names)
    return check


def nobody(instance, user) -> bool:
    """System-only transitions (the rules engine, beat tasks): no person may trigger them."""
    return False


_REFRESH_LOCK = threading.Lock()


class SafeRefreshMixin:
    """django-fsm-2 reloads a protected state field by switching the protection off on the
    *field* (shared by every instance in the process), reloading, and switching it back on. Two
    threads refreshing at once can interleave so that one reloads while the other has already
    switched it back on, and Django's reload then raises "Direct status modification is not
    allowed". One lock per process makes the switch-reload-switch indivisible; the reload is a
    plain SELECT, which no row lock can block, so it cannot deadlock.
    (tests/intake/test_refresh_threads.py)"""

    def refresh_from_db(self, *args, **kwargs) -> None:
        with _REFRESH_LOCK:
            super().refresh_from_db(*args, **kwargs)


def transition_meta(instance, name: str):
    """The django-fsm-2 metadata of transition `name`, or InvalidTransition for any other
    attribute (the name comes from a form or a URL)."""
    method = getattr(instance, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise InvalidTransition(f"Unknown action {name!r}.")
    return method._django_fsm


def unmet_conditions(instance, name: str, messages: dict[str, str]) -> list[str]:
    """Plain-language messages (keyed by the predicate's name) for the conditions of transition
    `name` that currently fail."""
    for t in instance.get_all_status_transitions():
        if t.name == name and t.source in (instance.status, "*"):
            return [messages.get(c.__name__, c.__name__) for c in t.conditions if not c(instance)]
    return []


def copy_saved_state(*, source, target) -> None:
    """Make `target` (the caller's copy of a row) hold what `source` (a copy of the same row
    that was just saved, all fields loaded) holds, as `target.refresh_from_db()` would, without
    reading the row again. Cached related objects whose key did not change are kept; prefetched
    and reverse relations are dropped, as a refresh drops them."""
    for field in target._meta.concrete_fields:
        value = getattr(source, field.attname)
        changed = target.__dict__.get(field.attname) != value
        if field.is_relation and changed and field.is_cached(target):
            field.delete_cached_value(target)
        # Through __dict__: the protected state field refuses assignment (as a refresh does).
        target.__dict__[field.attname] = value
    for field in target._meta.related_objects:
        if field.is_cached(target):
            field.delete_cached_value(target)
    target.__dict__.pop("_prefetched_objects_cache", None)
    target._state.adding = False
    target._state.db = source._state.db
    if hasattr(target, "_update_initial_state"):  # django-fsm's ConcurrentTransitionMixin
        target._update_initial_state()
