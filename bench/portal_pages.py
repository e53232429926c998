"""Provider portal and API reads through object-permission grants: times and query counts.

Every provider read is scoped by the organisation's django-guardian grants (a subquery on the
direct-FK grant table), so this measures what that costs on a large database. Run on PostgreSQL
after seeding:
    DATABASE_URL=postgres://... python manage.py seed_demo --cases 100000
    DATABASE_URL=postgres://... python -m bench.portal_pages [--runs 30] [--user provider]

Requests go through Django's test Client in-process, logged in as the demo provider (or --user);
the API is called with the same session.
"""

import argparse
import os
import sys

from bench.review_pages import _measure, _setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.portal_pages", description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--user", default="provider")
    args = parser.parse_args(argv)
    _setup()

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from intake.apis.selectors import care_request_scope_for_user
    from intake.models import CareRequest, CareRequestGroupObjectPermission
    from um_portal.accounts.models import User

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    granted = care_request_scope_for_user(user).count()
    case = care_request_scope_for_user(user).order_by("-created_at").first()
    home = reverse("portal:home")
    scenarios = [
        ("portal request list", home),
        ("portal request list, open", home + "?show=open"),
        ("portal request list, page 40", home + "?page=40"),
        ("API list (page 1)", "/api/v1/care-requests/"),
        ("API list, filtered by status", "/api/v1/care-requests/?status=denied"),
    ]
    if case is not None:
        scenarios.append(("portal case page", reverse("portal:case", args=[case.pk])))
        scenarios.append(("API one request", f"/api/v1/care-requests/{case.pk}/"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{connection.vendor}, {CareRequest.objects.count()} care requests, "
        f"{CareRequestGroupObjectPermission.objects.count()} grants; user {user.username} "
        f"sees {granted}; {args.runs} runs after {args.warmup} warm-up; load average "
        f"{load:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'app CPU ms':>11} {'queries':>8} status")
    for name, url in scenarios:
        median, p95, cpu, queries, status = _measure(
            client, url, runs=args.runs, warmup=args.warmup, headers={}
        )
        print(f"{name:32} {median:10.1f} {p95:8.1f} {cpu:11.1f} {queries:8d} {status:6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
