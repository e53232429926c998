"""Benchmark CRD order-sign: p95 in-process and through the test client, beside GET /cds-services.

    python -m bench.crd                 # 300 calls, SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/um_bench python -m bench.crd -n 500

In-process: the service's work without HTTP or JWT (read orders, find coverage, needs
assessment and checklist rules, build cards). Test client: the whole POST, JWT verification
included (tokens are signed beforehand: signing is the EHR's cost). Baseline in the same run:
GET /cds-services (discovery, no database), so a loaded machine shows in both figures.
"""

import argparse
import json
import os
import sys
import time
import uuid
from datetime import date

from bench.fhir_submit import setup_django

CPT = "http://www.ama-assn.org/go/cpt"


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, int(round(q * len(values))) - 1)] * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.crd", description=__doc__)
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    setup_django()

    import jwt
    from cryptography.hazmat.primitives.asymmetric import ec
    from django.contrib.auth.models import Group
    from django.test import Client

    from crd import cards, hooks
    from crd.models import CdsClient
    from intake.demo_rules import seed_rules
    from intake.models import Coverage, LineOfBusiness, Member, Plan, ServiceCategory
    from review.demo_criteria import seed_criteria_sets
    from um_portal.accounts.models import ProviderOrganization, User

    seed_rules()
    seed_criteria_sets()
    suffix = uuid.uuid4().hex[:8]
    org = ProviderOrganization.objects.create(name=f"Bench clinic {suffix}")
    user = User.objects.create(username=f"bench-crd-{suffix}", provider_organization=org)
    user.groups.add(Group.objects.get(name="provider"))
    plan = Plan.objects.create(
        name=f"Bench plan {suffix}", line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE
    )
    plan.covered_categories.set(ServiceCategory.objects.all())
    member = Member.objects.create(
        first_name="Ada", last_name="Bench", birth_date=date(1950, 5, 1), sex="F"
    )
    member_id = f"C{suffix}".upper()
    Coverage.objects.create(
        member=member, plan=plan, member_number=member_id, effective_from=date(2020, 1, 1)
    )
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    issuer = f"https://bench-{suffix}.example"
    CdsClient.objects.create(
        name="Bench EHR",
        issuer=issuer,
        jwks={"keys": [jwk | {"kid": "k1", "alg": "ES256"}]},
        organization=org,
        acting_user=user,
    )
    body = {
        "hookInstance": str(uuid.uuid4()),
        "hook": "order-sign",
        "context": {
            "patientId": "1",
            "draftOrders": {
                "resourceType": "Bundle",
                "entry": [
                    {
                        "resource": {
                            "resourceType": "ServiceRequest",
                            "id": "1",
                            "code": {"coding": [{"system": CPT, "code": "72148"}]},
                        }
                    }
                ],
            },
        },
        "prefetch": {"coverage": {"resourceType": "Coverage", "subscriberId": member_id}},
    }
    raw = json.dumps(body)
    url = "http://testserver/cds-services/order-sign-crd"

    def token() -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": url, "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, key, algorithm="ES256", headers={"kid": "k1"})

    client = Client()

    def in_process() -> float:
        started = time.perf_counter()
        orders = hooks.read_orders("order-sign", body["context"])
        coverage = hooks.coverage_for(body["prefetch"], org)
        results = hooks.assess(
            orders=orders, coverage=coverage, provider=hooks.servicing_provider({})
        )
        cards.hook_response(
            results,
            coverage_ref="Coverage",
            base_url="http://testserver/",
            fhir_base="http://testserver/fhir/",
            dtr_url="http://testserver/portal/dtr/",
        )
        return time.perf_counter() - started

    def through_client(bearer: str) -> float:
        started = time.perf_counter()
        response = client.post(
            "/cds-services/order-sign-crd",
            raw,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {bearer}",
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"order-sign answered {response.status_code}")
        return elapsed

    def discovery() -> float:
        started = time.perf_counter()
        client.get("/cds-services")
        return time.perf_counter() - started

    for _ in range(args.warmup):
        in_process(), through_client(token()), discovery()
    tokens = [token() for _ in range(args.n)]
    figures = {
        "order-sign in-process": [in_process() for _ in range(args.n)],
        "order-sign test client": [through_client(t) for t in tokens],
        "GET /cds-services (baseline)": [discovery() for _ in range(args.n)],
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"n={args.n}, load average {load:.2f}")
    for name, values in figures.items():
        print(f"{name:32} median {p(values, 0.5):7.2f} ms   p95 {p(values, 0.95):7.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
