"""Transactions without a savepoint where one would have nothing to roll back."""

import functools

from django.db import transaction


def in_callers_transaction(func):
    """Run `func` in the caller's transaction when there is one, else in one of its own.

    `@transaction.atomic` inside another atomic block opens a savepoint: two more queries
    (SAVEPOINT, RELEASE) on every call, and a PAS submission nested seven of them. A service
    that raises its domain errors before it writes anything has nothing for a savepoint to roll
    back, so it can run directly in the caller's transaction. Not for a service that may raise
    after writing: a caller that catches the error would commit the half that was written.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if transaction.get_connection().in_atomic_block:
            return func(*args, **kwargs)
        with transaction.atomic():
            return func(*args, **kwargs)

    return wrapper
