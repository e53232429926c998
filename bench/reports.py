"""Benchmark the report pages on PostgreSQL at scale.

    createdb um_reports_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/um_reports_bench python manage.py migrate
    DATABASE_URL=... python manage.py seed_demo --cases 100000
    DATABASE_URL=... python -m bench.reports [--runs 15] [--indexes create|drop]

Prints the median and 95th-percentile wall time (ms) and the query count of each page, through
Django's test client (the whole view: queries, template, CSV or PDF). `--indexes drop|create`
removes or restores the reporting indexes of intake's migration 0005 (REPORT_INDEXES) on the
benchmark database, to measure what they are worth.
"""

import argparse
import contextlib
import functools
import os
import statistics
import sys
import time

# The reporting indexes of intake's migration 0005, so `--indexes drop` can measure the pages
# without them (on a benchmark database only; `--indexes create` or re-running migrate's
# `migrate intake 0004 && migrate` puts them back).
REPORT_INDEXES = {
    "care_request_decided": (
        "CREATE INDEX IF NOT EXISTS care_request_decided ON intake_carerequest "
        "(decided_at) WHERE decided_at IS NOT NULL"
    ),
    "care_request_received": (
        "CREATE INDEX IF NOT EXISTS care_request_received ON intake_carerequest (received_at)"
    ),
    "status_event_to_status": (
        "CREATE INDEX IF NOT EXISTS status_event_to_status ON intake_statusevent (to_status, at)"
    ),
    "service_line_category_case": (
        "CREATE INDEX IF NOT EXISTS service_line_category_case ON intake_serviceline "
        "(category_id, care_request_id)"
    ),
}


def add_determinations(batch: int = 5000) -> int:
    """For databases seeded before seed_demo --cases wrote determinations: give every decided
    case without one an initial determination and a sent provider letter (some after the due
    date), and 2% of denials an approving appeal, so auto-approval, throughput, notification
    and appeal metrics have data to chew on."""
    import random
    from datetime import timedelta

    from determinations.models import Determination, Letter
    from intake.models import CareRequest

    rng = random.Random(57)
    outcome = {
        "approved": Determination.Outcome.APPROVED,
        "partially_approved": Determination.Outcome.PARTIALLY_APPROVED,
        "denied": Determination.Outcome.DENIED,
        "closed_no_auth_required": Determination.Outcome.NOT_REQUIRED,
    }
    template = {
        "approved": Letter.Template.APPROVAL,
        "partially_approved": Letter.Template.PARTIAL,
        "denied": Letter.Template.DENIAL,
        "closed_no_auth_required": Letter.Template.NOT_REQUIRED,
    }
    from um_portal.accounts.models import User
    from um_portal.accounts.roles import Role

    nurses = list(User.objects.filter(groups__name=Role.NURSE))
    directors = list(User.objects.filter(groups__name=Role.DIRECTOR))
    todo = (
        CareRequest.objects.filter(status__in=outcome, decided_at__isnull=False)
        .exclude(determinations__isnull=False)
        .values_list("id", "status", "decided_at")
    )
    made = 0
    rows = list(todo)
    for start in range(0, len(rows), batch):
        determinations, letters = [], []
        for case_id, status, decided_at in rows[start : start + batch]:
            if status == "approved":
                source = rng.choice(["rules", "nurse", "nurse", "physician"])
            elif status == "closed_no_auth_required":
                source = "intake"
            else:
                source = "physician"
            person = {"nurse": nurses, "physician": directors}.get(source)
            d = Determination(
                care_request_id=case_id,
                kind=Determination.Kind.INITIAL,
                outcome=outcome[status],
                source=source,
                decided_by=rng.choice(person) if person else None,
                decided_at=decided_at,
            )
            determinations.append(d)
            sent = decided_at + timedelta(minutes=rng.randint(2, 240))
            letters.append(
                Letter(
                    determination=d,
                    recipient=Letter.Recipient.PROVIDER,
                    template=template[status],
                    status=Letter.Status.SENT,
                    sent_at=sent,
                )
            )
            if status == "denied" and rng.random() < 0.02:
                determinations.append(
                    Determination(
                        care_request_id=case_id,
                        kind=Determination.Kind.APPEAL,
                        outcome=Determination.Outcome.APPROVED,
                        source="physician",
                        decided_by=rng.choice(directors),
                        decided_at=decided_at + timedelta(days=20),
                    )
                )
        Determination.objects.bulk_create(determinations)
        Letter.objects.bulk_create(letters)
        made += len(determinations)
    return made


def pages() -> list[tuple[str, str]]:
    from django.utils import timezone

    today = timezone.localdate()
    year_ago = today.replace(year=today.year - 1)
    return [
        ("dashboard, 30 days", "/reports/"),
        (
            "dashboard, 12 months by week",
            f"/reports/?start={year_ago}&end={today}&granularity=week",
        ),
        ("dashboard, 30 days, one line of business", "/reports/?lob=medicaid"),
        ("dashboard, 30 days, one category", "/reports/?category=imaging"),
        ("CMS-0057-F page, last year", "/reports/cms-0057-f/"),
        (
            "CMS-0057-F page, this year, one line",
            f"/reports/cms-0057-f/?year={today.year}&lob=medicaid",
        ),
        ("CMS-0057-F CSV", "/reports/cms-0057-f/report.csv"),
        ("CMS-0057-F PDF", "/reports/cms-0057-f/report.pdf"),
        ("timeliness, 12 months", "/reports/timeliness/"),
        ("timeliness CSV, 12 months", "/reports/export/timeliness.csv"),
        ("late cases CSV, 12 months", "/reports/export/late-cases.csv"),
        ("time-to-decision CSV, 30 days", "/reports/export/time-to-decision.csv"),
    ]


# Pages that read the daily summaries (reports.rollup); `--compare` measures each against the
# live computation it replaced and a bare request, interleaved in the same run.
SUMMARY_PAGES = {
    "CMS-0057-F page, last year",
    "CMS-0057-F page, this year, one line",
    "CMS-0057-F CSV",
    "timeliness, 12 months",
    "timeliness CSV, 12 months",
}
BASELINE_URL = "/favicon.ico"  # a redirect: middleware and URL routing, no query


@contextlib.contextmanager
def live_reports():
    """Point the report views at the live selectors (cases scanned), as before the summaries."""
    from reports.selectors import timeliness
    from reports.views import cms

    saved = timeliness.timeliness, cms.cms0057_report
    timeliness.timeliness = timeliness.timeliness_live
    cms.cms0057_report = functools.partial(saved[1], live=True)
    try:
        yield
    finally:
        timeliness.timeliness, cms.cms0057_report = saved


def compare(client, runs: int) -> None:
    """Summary vs live vs a bare request, round-robin in each run so load hits all three."""
    print(f"{'page (median ms)':40} {'baseline':>9} {'summary':>9} {'live':>9} {'x base':>7}")
    for label, url in pages():
        if label not in SUMMARY_PAGES:
            continue
        fetch(client, url, allow_redirect=False)
        with live_reports():
            fetch(client, url)
        base, summary, live, queries = [], [], [], [0, 0]
        for _ in range(runs):
            base.append(fetch(client, BASELINE_URL, allow_redirect=True)[0])
            elapsed, queries[0] = fetch(client, url)
            summary.append(elapsed)
            with live_reports():
                elapsed, queries[1] = fetch(client, url)
            live.append(elapsed)
        b, s, v = (statistics.median(x) for x in (base, summary, live))
        print(
            f"{label:40} {b:9.1f} {s:9.1f} {v:9.1f} {s / b:7.1f}"
            f"   queries {queries[0]} / {queries[1]}, p95 {p95(summary):.1f} / {p95(live):.1f}"
        )


def fetch(client, url: str, allow_redirect: bool = False) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 and not (allow_redirect and response.status_code < 400):
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(queries)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--indexes", choices=["create", "drop", "keep"], default="keep")
    parser.add_argument(
        "--add-determinations",
        action="store_true",
        help="First give decided cases determinations and sent letters (see add_determinations).",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="Only the pages read from the daily summaries: summary vs live vs a bare request.",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "um_portal.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from um_portal.accounts.models import User
    from um_portal.accounts.roles import Role

    if connection.vendor != "postgresql":
        raise SystemExit("Run the benchmark on PostgreSQL (set DATABASE_URL).")
    if args.add_determinations:
        print(f"Added {add_determinations()} determinations with their letters.")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with connection.cursor() as cursor:
        if args.indexes == "create":
            for sql in REPORT_INDEXES.values():
                cursor.execute(sql)
        elif args.indexes == "drop":
            for name in REPORT_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM intake_carerequest")
        (case_count,) = cursor.fetchone()
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(REPORT_INDEXES)],
        )
        present = sorted(r[0] for r in cursor.fetchall())
    manager = User.objects.filter(groups__name=Role.MANAGER).first()
    if manager is None:
        raise SystemExit("No UM manager user: run manage.py seed_demo first.")
    client = Client()
    client.force_login(manager)
    print(f"{case_count} cases; reporting indexes present: {', '.join(present) or 'none'}")
    if args.compare:
        compare(client, args.runs)
        return 0
    print(f"{'page':48} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in pages():
        fetch(client, url)  # warm the caches once
        times, count = [], 0
        for _ in range(args.runs):
            elapsed, count = fetch(client, url)
            times.append(elapsed)
        print(f"{label:48} {statistics.median(times):10.1f} {p95(times):8.1f} {count:8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
