"""Benchmark the append-only logs' insert cost (access log, audit events) as the tables grow.

    createdb um_audit_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/um_audit_bench python -m bench.audit_inserts

PostgreSQL only (it is the question: does an insert into a log of a million rows, with its
indexes, still cost what it cost into an empty one?). For each size (0, then 1,000,000 rows by
default) the tables are filled in SQL (generate_series, minutes not hours), then N inserts of
each kind are timed as the application makes them — `audit_access_many` (one multi-row INSERT per
page: 1 and 25 cases) and `audit_event` — each beside a same-run baseline, `SELECT 1` on the same
connection, because this machine is shared and noisy. Prints the median and 95th percentile in
microseconds, the ratio to the baseline and the tables' and indexes' sizes.

The database is filled with benchmark rows: point it at a scratch database.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench.audit_inserts needs DATABASE_URL=postgres://... (a scratch database)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "um_portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(table_rows: int, user_id) -> None:
    """Grow both logs to `table_rows` rows, spread over the last year, in SQL."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table, sql in (
            (
                "audit_accesslog",
                "INSERT INTO audit_accesslog (user_id, case_id, member_id, action, channel,"
                " object_id, at) SELECT %s, md5(g::text)::uuid, NULL, 'view', 'staff', '',"
                " now() - (g %% 525600) * interval '1 minute' FROM generate_series(1, %s) g",
            ),
            (
                "audit_auditevent",
                "INSERT INTO audit_auditevent (id, actor_id, case_id, action, summary, data, at)"
                " SELECT md5('e' || g::text)::uuid, %s, md5(g::text)::uuid, 'note_add',"
                " 'A note was added.', '{}'::jsonb,"
                " now() - (g %% 525600) * interval '1 minute' FROM generate_series(1, %s) g",
            ),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            missing = table_rows - cursor.fetchone()[0]
            if missing > 0:
                cursor.execute(sql, [user_id, missing])
        cursor.execute("ANALYZE audit_accesslog; ANALYZE audit_auditevent")


def sizes() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_table_size(oid)),"
            " pg_size_pretty(pg_indexes_size(oid)) FROM pg_class"
            " WHERE relname IN ('audit_accesslog', 'audit_auditevent') ORDER BY relname"
        )
        return "; ".join(f"{n}: table {t}, indexes {i}" for n, t, i in cursor.fetchall())


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1e6)
    return out


def run_size(rows: int, n: int, user) -> None:
    import uuid

    from django.db import connection

    from um_portal.audit.services import Channel, audit_access_many, audit_event

    fill(rows, user.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_accesslog")
        actual = cursor.fetchone()[0]

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    def one_case():
        audit_access_many(user=user, action="view", channel=Channel.STAFF, case_ids=[uuid.uuid4()])

    def page_of_25():
        audit_access_many(
            user=user,
            action="view",
            channel=Channel.STAFF,
            case_ids=[uuid.uuid4() for _ in range(25)],
        )

    def event():
        audit_event(actor=user, action="note_add", case_id=uuid.uuid4(), summary="A note.")

    print(f"\n~{actual:,} rows in the access log — {sizes()}")
    print(f"{'insert':34} {'median µs':>10} {'p95 µs':>9} {'× SELECT 1':>11}")
    results = {}
    # Interleave the kinds run by run so load changes hit them alike.
    kinds = {
        "SELECT 1 (baseline)": baseline,
        "access log, 1 case": one_case,
        "access log, page of 25 cases": page_of_25,
        "audit event": event,
    }
    for _ in range(n):
        for name, fn in kinds.items():
            results.setdefault(name, []).extend(timed(fn, 1))
    base = statistics.median(results["SELECT 1 (baseline)"])
    for name, values in results.items():
        values.sort()
        median = statistics.median(values)
        p95 = values[int(len(values) * 0.95) - 1]
        print(f"{name:34} {median:10.0f} {p95:9.0f} {median / base:11.1f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="inserts of each kind per size")
    parser.add_argument(
        "--sizes", default="0,1000000", help="comma-separated table sizes (rows) to measure at"
    )
    args = parser.parse_args(argv)
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    user, _ = get_user_model().objects.get_or_create(username="bench-audit")
    for rows in sorted(int(s) for s in args.sizes.split(",")):
        if rows == 0:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE audit_accesslog, audit_auditevent")
        run_size(rows, args.n, user)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
