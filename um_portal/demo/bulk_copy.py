"""Writing the bulk seed's batches with PostgreSQL COPY, on a writer thread.

`bulk_create` of ~13 rows per case spent most of a 100k seed (13 min) waiting on INSERT
round trips and statement parsing; COPY streams a batch's rows per table in one statement.
The builder (main thread) makes the next batch's rows while the writer thread copies the
previous one, so PostgreSQL and Python work at the same time. The queue holds two batches at
most, which bounds memory whatever the count.

Rows are made the way Django's INSERT compiler makes them (`pre_save`, then
`get_db_prep_save`), so defaults, `auto_now_add` and JSON adapt exactly as `bulk_create` would;
integer identity keys are left to the database (nothing refers to them in a batch).
"""

import queue
import threading
from collections.abc import Iterable

from django.db import connection, connections, models, transaction

_DONE = object()


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
    ]


def copy_rows(model: type[models.Model], objs: Iterable[models.Model]) -> tuple[str, list]:
    """(COPY statement, rows) for unsaved instances of `model`."""
    fields = _columns(model)
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    rows = [
        tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields) for obj in objs
    ]
    return sql, rows


def _write(tables: list[tuple[str, list]]) -> None:
    # One transaction per batch: a case is never visible without its lines, history or grants
    # (the foreign keys are deferred, so the order of tables inside it is free).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        for sql, rows in tables:
            if not rows:
                continue
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)


class CopyWriter:
    """A thread with its own database connection that COPYs the batches put to it.

    Inside a transaction (a test, or a caller's atomic block) the batches are written inline on
    the caller's connection instead: another connection would not see the caller's uncommitted
    rows, and its own commits would escape the caller's rollback."""

    def __init__(self) -> None:
        self.inline = connection.in_atomic_block
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = None
        if not self.inline:
            self.thread = threading.Thread(target=self._run, name="seed-copy", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            while (item := self.queue.get()) is not _DONE:
                tables, on_done = item
                _write(tables)
                on_done()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread in close()
            self.error = exc
            # Keep draining so the builder never blocks on a full queue after a failure.
            while self.queue.get() is not _DONE:
                pass
        finally:
            connections.close_all()

    def put(self, tables: list[tuple[str, list]], on_done) -> None:
        if self.inline:
            _write(tables)
            on_done()
            return
        if self.error is not None:
            raise self.error
        self.queue.put((tables, on_done))

    def close(self) -> None:
        if self.thread is None:
            return
        self.queue.put(_DONE)
        self.thread.join()
        if self.error is not None:
            raise self.error
