"""Demo: a benefit denial with its letters (home physical therapy, which the commercial plan
does not cover) and an out-of-network exception waiting for a medical director."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from intake.demo import DEMO_SYSTEM, SERVICES, active_coverages
from intake.models import CareRequest, Provider, ServiceCategory
from intake.services.eligibility import eligibility_check_record
from intake.services.receipt import ServiceLineInput, care_request_create

from .demo import letters_render_pending
from .models import Determination, NetworkException
from .services.administrative import AdministrativeLine, determination_issue_administrative
from .services.network_exception import network_exception_request

BENEFIT_RATIONALE = (
    "The member's commercial plan does not include physical therapy visits at home among its "
    "benefits; therapy at an outpatient clinic is covered instead."
)
BENEFIT_PROVISION = "Evidence of Coverage 2026, chapter 4 (Exclusions), section 4.7: home health"


def _request(*, rng, actor, coverage, service, provider: Provider) -> CareRequest:
    start = timezone.localdate() + timedelta(days=rng.randint(5, 15))
    return care_request_create(
        actor=actor,
        coverage=coverage,
        requesting_provider=provider,
        servicing_provider=provider,
        lines=[
            ServiceLineInput(
                code_system=service.system,
                code=service.code,
                category=ServiceCategory.objects.get(code=service.category),
                units=service.units,
                start_date=start,
                end_date=start + timedelta(days=service.days - 1),
                place_of_service="12" if service.setting == "home_health" else "11",
                description=service.description,
            )
        ],
        diagnoses=list(service.diagnoses[:2]),
        channel=CareRequest.Channel.FAX,
        priority="standard",
        request_type=CareRequest.RequestType.PROSPECTIVE,
        review_setting=service.setting,
        external_system=DEMO_SYSTEM,
        external_id=f"demo-admin-{rng.getrandbits(40):x}",
    )


def seed_administrative(*, users: dict, rng: random.Random) -> str:
    """Idempotent: nothing is added once an administrative determination exists."""
    if Determination.objects.filter(administrative=True).exists():
        return "already present"
    intake = users["intake"]
    providers = Provider.objects.filter(kind=Provider.Kind.INDIVIDUAL).order_by("npi")
    home_pt = next(s for s in SERVICES if s.code == "G0151")
    mri = next(s for s in SERVICES if s.code == "72148")
    coverages = active_coverages()
    uncovered = [c for c in coverages if not c.plan.covered_categories.filter(code="home-health")]
    covered = [c for c in coverages if c.plan.covered_categories.filter(code="imaging")]
    out_of_network = providers.filter(network_status=Provider.Network.OUT)
    if not uncovered or not covered or not out_of_network.exists():
        return "skipped (no commercial member or out-of-network provider in the demo)"
    with transaction.atomic():
        case = _request(
            rng=rng,
            actor=intake,
            coverage=rng.choice(uncovered),
            service=home_pt,
            provider=providers.filter(network_status=Provider.Network.IN).first(),
        )
        eligibility_check_record(care_request=case, actor=intake)  # fails: not covered
        determination_issue_administrative(
            case=case,
            actor=intake,
            lines=[
                AdministrativeLine(line, "not_covered", BENEFIT_PROVISION)
                for line in case.service_lines.all()
            ],
            rationale=BENEFIT_RATIONALE,
        )
        oon = _request(
            rng=rng,
            actor=intake,
            coverage=rng.choice(covered),
            service=mri,
            provider=out_of_network.first(),
        )
        eligibility_check_record(care_request=oon, actor=intake)
        network_exception_request(
            case=oon,
            actor=intake,
            basis=NetworkException.Basis.NETWORK_ADEQUACY,
            reason="No network imaging centre offers an open MRI within 40 miles of the member, "
            "who cannot lie in a closed scanner.",
        )
    letters_render_pending()
    return f"benefit denial {case.reference}, network exception waiting on {oon.reference}"
