"""Demo: a benefit denial with its letters (home physical therapy, which the commercial plan
does not cover), an out-of-network exception waiting for a medical director, and a mixed
decision (the uncovered line denied by intake, the other line approved by the director; one
notice names both)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from intake.demo import DEMO_SYSTEM, SERVICES, active_coverages
from intake.demo_cases import demo_documents_supply
from intake.models import CareRequest, Provider, ServiceCategory
from intake.services.eligibility import eligibility_check_record
from intake.services.receipt import ServiceLineInput, care_request_create
from intake.services.transitions import care_request_transition
from intake.services.workflow import care_request_triage

from .demo import letters_render_pending
from .models import Determination, NetworkException
from .services.administrative import AdministrativeLine, determination_issue_administrative
from .services.decide import determination_issue
from .services.network_exception import network_exception_request
from .services.validation import LineDecisionInput

BENEFIT_RATIONALE = (
    "The member's commercial plan does not include physical therapy visits at home among its "
    "benefits; therapy at an outpatient clinic is covered instead."
)
BENEFIT_PROVISION = "Evidence of Coverage 2026, chapter 4 (Exclusions), section 4.7: home health"
MIXED_PREFIX = "demo-mixed-"


def _request(*, rng, actor, coverage, services, provider: Provider, prefix="demo-admin-"):
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
            for service in services
        ],
        diagnoses=list(dict.fromkeys(d for s in services for d in s.diagnoses[:2])),
        channel=CareRequest.Channel.FAX,
        priority="standard",
        request_type=CareRequest.RequestType.PROSPECTIVE,
        review_setting=services[-1].setting,
        external_system=DEMO_SYSTEM,
        external_id=f"{prefix}{rng.getrandbits(40):x}",
    )


def seed_administrative(*, users: dict, rng: random.Random) -> str:
    """Idempotent: each part is added once (a demo made before the mixed decision existed gets
    only that)."""
    parts = []
    if not Determination.objects.filter(administrative=True).exists():
        parts.append(_benefit_denial_and_exception(users=users, rng=rng))
    mixed = CareRequest.objects.filter(
        external_system=DEMO_SYSTEM, external_id__startswith=MIXED_PREFIX
    )
    if not mixed.exists():
        parts.append(_mixed_decision(users=users, rng=rng))
    return "; ".join(parts) or "already present"


def _benefit_denial_and_exception(*, users: dict, rng: random.Random) -> str:
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
            services=[home_pt],
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
            services=[mri],
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


def _mixed_decision(*, users: dict, rng: random.Random) -> str:
    """Home physical therapy (not a benefit of the member's plan) and a lumbar MRI (covered) on
    one request: intake denies the therapy line for the benefit reason, the MRI goes on to the
    nurse and the director, who approves it; the partial approval's letters name both services,
    each with its own outcome and reason."""
    intake, nurse, director = users["intake"], users["nurse"], users["director"]
    home_pt = next(s for s in SERVICES if s.code == "G0151")
    mri = next(s for s in SERVICES if s.code == "72148")
    coverages = [
        c
        for c in active_coverages()
        if c.plan.covered_categories.filter(code="imaging").exists()
        and not c.plan.covered_categories.filter(code="home-health").exists()
    ]
    provider = (
        Provider.objects.filter(kind=Provider.Kind.INDIVIDUAL, network_status=Provider.Network.IN)
        .order_by("npi")
        .first()
    )
    if not coverages or provider is None:
        return "mixed decision skipped (no plan covering imaging but not home health)"
    with transaction.atomic():
        case = _request(
            rng=rng,
            actor=intake,
            coverage=rng.choice(coverages),
            services=[home_pt, mri],
            provider=provider,
            prefix=MIXED_PREFIX,
        )
        eligibility_check_record(care_request=case, actor=intake)  # fails on the therapy line
        therapy = case.service_lines.get(code=home_pt.code)
        determination_issue_administrative(
            case=case,
            actor=intake,
            lines=[AdministrativeLine(therapy, "not_covered", BENEFIT_PROVISION)],
            rationale=BENEFIT_RATIONALE,
            note="Home therapy is excluded; the MRI goes on to review.",
        )
        demo_documents_supply(case, actor=intake)
        care_request_triage(care_request=case, actor=intake)
        care_request_transition(care_request=case, name="refer_to_md", actor=nurse)
        case.refresh_from_db()
        determination_issue(
            case=case,
            director=director,
            line_decisions=[
                LineDecisionInput(service_line=line, outcome="approved")
                for line in case.service_lines.filter(decision="pending")
            ],
        )
    letters_render_pending()
    return f"mixed decision {case.reference}"
