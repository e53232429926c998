"""Dashboard and case view response times and query counts (issue 4's 150 ms budget).

Run on PostgreSQL after seeding:
    DATABASE_URL=postgres://... python manage.py migrate
    DATABASE_URL=postgres://... python manage.py seed_demo --cases 100000
    DATABASE_URL=postgres://... python -m bench.review_pages [--runs 50]

Requests go through Django's test Client in-process (middleware, views, templates, database;
no network or web server), logged in as the demo nurse (or --user).
"""

import argparse
import os
import statistics
import sys
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "um_portal.settings")
    import django

    django.setup()


def _measure(client, url: str, *, runs: int, warmup: int, headers: dict) -> tuple:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(url, **headers)
    times, cpu, queries, status = [], [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        queries, status = len(captured), response.status_code
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(cpu), queries, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.review_pages", description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--user", default="nurse")
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="Skip ANALYZE: by default the planner statistics are refreshed first, because a "
        "freshly bulk-seeded database has none until autovacuum runs.",
    )
    args = parser.parse_args(argv)
    _setup()

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from intake.models import CareRequest
    from um_portal.accounts.models import User

    if connection.vendor == "postgresql" and not args.no_analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    total = CareRequest.objects.count()
    case = (
        CareRequest.objects.filter(status="nurse_review", assigned_to=user)
        .order_by("due_at")
        .first()
        or CareRequest.objects.filter(status="nurse_review").order_by("due_at").first()
    )
    dashboard = reverse("review:dashboard")
    scenarios = [
        ("dashboard (default: mine, nurse review)", dashboard, {}),
        ("dashboard all reviewers", dashboard + "?scope=all", {}),
        (
            "dashboard all open, latest due first",
            dashboard + "?scope=all&status=open&sort=-due",
            {},
        ),
        ("dashboard at risk", dashboard + "?scope=all&status=open&due=at_risk", {}),
        (
            "dashboard expedited, by member, page 3",
            dashboard + "?scope=all&priority=expedited&sort=member&page=3",
            {},
        ),
        ("dashboard 100 per page", dashboard + "?scope=all&per_page=100", {}),
        (
            "dashboard list via htmx",
            dashboard + "?scope=all&status=open",
            {"HTTP_HX_REQUEST": "true"},
        ),
    ]
    if case is not None:
        scenarios.append(("case view", reverse("review:case", args=[case.pk]), {}))
        scenarios.append(("nurse review page", reverse("review:nurse_review", args=[case.pk]), {}))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{connection.vendor}, {total} care requests, user {user.username}, "
        f"{args.runs} runs after {args.warmup} warm-up; load average {load:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    # "app CPU" is this process's CPU time per request (Python, templates, driver): unlike the
    # wall-clock columns it does not grow when other processes compete for the machine.
    header = f"{'page':44} {'median ms':>10} {'p95 ms':>8} {'app CPU ms':>11} {'queries':>8}"
    print(f"{header} {'status':>7}")
    worst = 0.0
    for name, url, headers in scenarios:
        median, p95, cpu, queries, status = _measure(
            client, url, runs=args.runs, warmup=args.warmup, headers=headers
        )
        worst = max(worst, median)
        print(f"{name:44} {median:10.1f} {p95:8.1f} {cpu:11.1f} {queries:8d} {status:7d}")
    print(f"slowest median: {worst:.1f} ms (budget 150 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
