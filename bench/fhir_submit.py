"""Benchmark FHIR PAS Claim/$submit: median and 95th percentile latency.

Runs in-process through Django's test client against a throw-away database, so it measures our
code and the database, not a network:

    python -m bench.fhir_submit               # 200 submissions, SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/um_bench python -m bench.fhir_submit -n 500

With DATABASE_URL the named database is used (and filled with benchmark rows): point it at a
scratch database. Each submission is a new urn:uuid Bundle (new Claim identifier) for a known
member with two items (CPT and HCPCS), so every request creates a case; `--repeat` measures
idempotent resubmissions instead.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["UM_VAR_DIR"] = tempfile.mkdtemp(prefix="um-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "um_portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bundle(member_id: str, birth_date: str, npi: str, identifier: str) -> dict:
    ids = {k: f"urn:uuid:{uuid.uuid4()}" for k in ("c", "p", "cov", "ins", "req")}
    claim = {
        "resourceType": "Claim",
        "identifier": [{"system": "http://bench.example/claim", "value": identifier}],
        "status": "active",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": "professional",
                }
            ]
        },
        "use": "preauthorization",
        "patient": {"reference": ids["p"]},
        "created": "2026-01-05T10:00:00Z",
        "insurer": {"reference": ids["ins"]},
        "provider": {"reference": ids["req"]},
        "priority": {"coding": [{"code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": ids["cov"]}}],
        "diagnosis": [
            {
                "sequence": 1,
                "diagnosisCodeableConcept": {
                    "coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.16"}]
                },
            }
        ],
        "item": [
            {
                "sequence": 1,
                "productOrService": {
                    "coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "72148"}]
                },
            },
            {
                "sequence": 2,
                "productOrService": {
                    "coding": [
                        {
                            "system": "https://bluebutton.cms.gov/resources/codesystem/hcpcs",
                            "code": "E0601",
                        }
                    ]
                },
            },
        ],
    }
    resources = [
        (ids["c"], claim),
        (
            ids["p"],
            {
                "resourceType": "Patient",
                "name": [{"family": "Bench", "given": ["Ada"]}],
                "birthDate": birth_date,
                "identifier": [{"system": "http://bench.example/member", "value": member_id}],
            },
        ),
        (
            ids["cov"],
            {
                "resourceType": "Coverage",
                "status": "active",
                "subscriberId": member_id,
                "beneficiary": {"reference": ids["p"]},
                "payor": [{"reference": ids["ins"]}],
            },
        ),
        (ids["ins"], {"resourceType": "Organization", "name": "Payer"}),
        (
            ids["req"],
            {
                "resourceType": "Organization",
                "name": "Bench Clinic",
                "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": npi}],
            },
        ),
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": u, "resource": r} for u, r in resources],
    }


def make_submitter() -> tuple[str, str, str, str]:
    """A provider organisation, its user's API token, a plan and a member to submit for (new
    rows each time): (member ID, NPI, token, suffix). Django must be set up."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from intake.models import Coverage, LineOfBusiness, Member, Plan, Provider, ServiceCategory
    from um_portal.accounts.models import ProviderOrganization, User
    from um_portal.lib.npi import npi_check_digit

    suffix = uuid.uuid4().hex[:8]
    org = ProviderOrganization.objects.create(name=f"Bench clinic {suffix}")
    user = User.objects.create(username=f"bench-{suffix}", provider_organization=org)
    user.groups.add(Group.objects.get(name="provider"))
    first_nine = "1" + str(int(suffix, 16) % 10**8).zfill(8)
    npi = first_nine + str(npi_check_digit(first_nine))
    Provider.objects.create(
        npi=npi, name="Bench Clinic", organization=org, kind=Provider.Kind.ORGANIZATION
    )
    plan = Plan.objects.create(
        name=f"Bench plan {suffix}", line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE
    )
    plan.covered_categories.set(ServiceCategory.objects.all())
    member = Member.objects.create(
        first_name="Ada", last_name="Bench", birth_date=date(1950, 5, 1), sex="F"
    )
    member_id = f"B{suffix}".upper()
    Coverage.objects.create(
        member=member, plan=plan, member_number=member_id, effective_from=date(2020, 1, 1)
    )
    return member_id, npi, Token.objects.create(user=user).key, suffix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fhir_submit", description=__doc__)
    parser.add_argument("-n", type=int, default=200, help="number of timed submissions")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--repeat", action="store_true", help="resubmit one identical bundle")
    args = parser.parse_args(argv)
    setup_django()

    from django.test import Client

    member_id, npi, token, suffix = make_submitter()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    queries, cpu = [], []

    def submit(identifier: str) -> float:
        body = json.dumps(bundle(member_id, "1950-05-01", npi, identifier))
        # The connection keeps at most 9,000 queries in its log; past that the capture counts 0.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.post(
                "/fhir/Claim/$submit", body, content_type="application/fhir+json"
            )
            elapsed = time.perf_counter() - started
        queries.append(len(captured))
        # This process's CPU time: unlike wall time it does not grow with other load.
        cpu.append(time.process_time() - cpu_started)
        if response.status_code != 200:
            raise SystemExit(f"$submit answered {response.status_code}: {response.content[:500]}")
        return elapsed

    for i in range(args.warmup):
        submit(f"warm-{suffix}-{i}")
    queries.clear()
    cpu.clear()
    timings = [
        submit(f"same-{suffix}" if args.repeat else f"run-{suffix}-{i}") for i in range(args.n)
    ]
    timings.sort()
    p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"database: {connection.vendor}; submissions: {args.n} "
        f"({'idempotent resubmissions' if args.repeat else 'new cases, 2 items each'})"
    )
    print(f"median: {statistics.median(timings) * 1000:.1f} ms")
    print(f"p95:    {p95 * 1000:.1f} ms")
    print(f"max:    {timings[-1] * 1000:.1f} ms")
    print(f"app CPU median: {statistics.median(cpu) * 1000:.1f} ms")
    print(f"queries per submission: median {statistics.median(queries):.0f}, max {max(queries)}")
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
