"""Queue Celery tasks only after the surrounding transaction commits (STYLE: background jobs)."""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send `task` with these arguments once the current transaction commits.

    Without a broker (the embedded default) the task then runs in-process.
    """
    transaction.on_commit(partial(task.delay, *args, **kwargs))
