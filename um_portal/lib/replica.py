"""Report reads on a streaming read replica, when the plan runs one (docs/architecture.md,
"Past one machine").

`DATABASE_REPLICA_URL` adds a `replica` database and names it in `READ_REPLICA`. Only what runs
inside `replica_reads()` (the reports' views, wrapped in reports/urls.py) reads from it: the
reports are the long scans, and a second or two of replication lag does not matter to a monthly
figure. Everything else — and
every write, including the access-log rows the reports write — stays on the primary, so a case
page never shows a state older than the one its user just saved. Without a replica nothing
changes: the router answers None and Django uses `default`.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads():
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view):
    """A view whose reads go to the replica (see the module's docstring)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and settings.READ_REPLICA:
            return settings.READ_REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica follows the primary's schema; it is never migrated itself.
        return db != settings.READ_REPLICA
