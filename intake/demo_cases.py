"""Demo care requests in the intake stages, built through the real services.

Later apps' demo steps call `demo_case()` and move the cases on through their own services.
"""

import random
from datetime import timedelta

from django.utils import timezone

from .demo import DEMO_SYSTEM, SERVICES, DemoService, active_coverages, demo_pdf
from .models import CareRequest, Priority, Provider, ServiceCategory
from .services.documents import document_upload
from .services.eligibility import eligibility_check_record
from .services.receipt import ServiceLineInput, care_request_create, care_request_submit
from .services.workflow import (
    care_request_request_info,
    care_request_triage,
    care_request_void,
    care_request_withdraw,
)


def demo_case(
    *,
    rng: random.Random,
    actor,
    service: DemoService | None = None,
    channel: str = "fax",
    priority: str | None = None,
    hours_ago: float | None = None,
    submit: bool = True,
    verify: bool = True,
    documents: bool = True,
    units: int | None = None,
    provider_organization=None,
    in_network: bool = False,
) -> CareRequest:
    """A realistic request, received `hours_ago` hours ago, optionally verified with documents."""
    service = service or rng.choice(
        [s for s in SERVICES if s.category not in {"office-visit", "lab"}]
    )
    coverages = [c for c in active_coverages() if service.category in _covered_codes(c.plan_id)]
    coverage = rng.choice(coverages)
    providers = Provider.objects.filter(kind=Provider.Kind.INDIVIDUAL)
    if provider_organization is not None:
        providers = providers.filter(organization=provider_organization)
    if in_network:
        providers = providers.filter(network_status=Provider.Network.IN)
    provider_list = list(providers.order_by("npi"))
    requesting = rng.choice(provider_list)
    servicing = rng.choice(provider_list)
    start = timezone.localdate() + timedelta(days=rng.randint(2, 20))
    category = ServiceCategory.objects.get(code=service.category)
    care_request = care_request_create(
        actor=actor,
        coverage=coverage,
        requesting_provider=requesting,
        servicing_provider=servicing,
        lines=[
            ServiceLineInput(
                code_system=service.system,
                code=service.code,
                category=category,
                units=units or service.units,
                start_date=start,
                end_date=start + timedelta(days=service.days - 1),
                place_of_service="11" if service.setting != "inpatient" else "21",
                description=service.description,
            )
        ],
        diagnoses=list(rng.sample(service.diagnoses, k=min(2, len(service.diagnoses)))),
        channel=channel,
        priority=priority or (Priority.EXPEDITED if rng.random() < 0.2 else Priority.STANDARD),
        request_type=CareRequest.RequestType.PROSPECTIVE,
        review_setting=service.setting,
        clinical_summary=f"Requesting {service.description.lower()}; symptoms persist despite "
        f"conservative treatment.",
        external_system=DEMO_SYSTEM,
        external_id=f"demo-{rng.getrandbits(48):x}",
        submit=submit,
    )
    if submit and hours_ago is not None:
        _backdate(care_request, hours_ago)
    if verify and submit:
        eligibility_check_record(care_request=care_request, actor=actor)
    if documents:
        demo_documents_supply(care_request, actor=actor, channel=channel)
    care_request.refresh_from_db()
    return care_request


_covered_cache: dict = {}


def _covered_codes(plan_id) -> set[str]:
    if plan_id not in _covered_cache:
        from .models import Plan

        _covered_cache[plan_id] = set(
            Plan.objects.get(pk=plan_id).covered_categories.values_list("code", flat=True)
        )
    return _covered_cache[plan_id]


def _backdate(care_request: CareRequest, hours_ago: float) -> None:
    """Move the receipt back in time, keeping the turnaround span, so clocks look lived-in."""
    shift = timedelta(hours=hours_ago)
    CareRequest.objects.filter(pk=care_request.pk).update(
        received_at=care_request.received_at - shift, due_at=care_request.due_at - shift
    )
    care_request.refresh_from_db()


def seed_intake_cases(*, users: dict, rng: random.Random) -> None:
    """Cases waiting at intake, pended, in nurse review, and closed in each intake way."""
    intake, provider = users["intake"], users["provider"]
    for hours in (2, 20, 60, 130):
        demo_case(rng=rng, actor=intake, hours_ago=hours, verify=hours > 50, documents=hours != 20)
    demo_case(
        rng=rng,
        actor=provider,
        channel="portal",
        submit=False,
        verify=False,
        provider_organization=provider.provider_organization,
    )
    for hours in (5, 30, 100, 150, 170):
        case = demo_case(rng=rng, actor=intake, hours_ago=hours)
        care_request_triage(care_request=case, actor=intake)
    pended = demo_case(rng=rng, actor=intake, hours_ago=40, documents=False)
    care_request_request_info(
        care_request=pended,
        actor=intake,
        description="Please send the office notes from the last 90 days.",
        due_by=timezone.now() + timedelta(days=2),
    )
    withdrawn = demo_case(
        rng=rng,
        actor=provider,
        channel="portal",
        hours_ago=80,
        provider_organization=provider.provider_organization,
    )
    care_request_withdraw(
        care_request=withdrawn, actor=provider, reason="Patient chose to postpone the procedure."
    )
    duplicate = demo_case(rng=rng, actor=intake, hours_ago=26)
    care_request_void(
        care_request=duplicate,
        actor=intake,
        reason="Duplicate of a faxed request received the same day.",
    )
    seed_rule_decided_cases(users=users, rng=rng)


def seed_rule_decided_cases(*, users: dict, rng: random.Random) -> None:
    """Requests the rules engine decides at receipt (intake.demo_rules): two that need no
    authorization, and three complete portal requests that meet an auto-approval rule."""
    intake, provider = users["intake"], users["provider"]
    for code, hours in (("99214", 48), ("80053", 30)):
        service = next(s for s in SERVICES if s.code == code)
        demo_case(
            rng=rng, actor=intake, service=service, hours_ago=hours, verify=False, documents=False
        )
    for code in ("E0601", "73721", "G0151"):
        # A draft with its documents attached, then submitted: approved in the same transaction.
        draft = demo_case(
            rng=rng,
            actor=provider,
            service=next(s for s in SERVICES if s.code == code),
            channel="portal",
            submit=False,
            verify=False,
            provider_organization=provider.provider_organization,
            in_network=True,
        )
        care_request_submit(care_request=draft, actor=provider)
    in_review = (
        CareRequest.objects.filter(external_system=DEMO_SYSTEM, status="nurse_review")
        .order_by("received_at")
        .first()
    )
    if in_review is not None:
        demo_resubmission(original=in_review, actor=intake)


def demo_resubmission(*, original: CareRequest, actor) -> CareRequest:
    """The same request faxed again: the engine flags it as a possible duplicate for intake."""
    return care_request_create(
        actor=actor,
        coverage=original.coverage,
        requesting_provider=original.requesting_provider,
        servicing_provider=original.servicing_provider,
        lines=[
            ServiceLineInput(
                code_system=line.code_system,
                code=line.code,
                category=line.category,
                units=line.units,
                start_date=line.start_date,
                end_date=line.end_date,
                place_of_service=line.place_of_service,
                description=line.description,
            )
            for line in original.service_lines.all()
        ],
        diagnoses=[d.code for d in original.diagnoses.all()],
        channel="fax",
        priority=original.priority,
        request_type=original.request_type,
        review_setting=original.review_setting,
        clinical_summary=original.clinical_summary,
        external_system=DEMO_SYSTEM,
        external_id=f"{original.external_id}-fax",
    )


def demo_documents_supply(
    case: CareRequest, *, actor, channel: str = "fax", text: str = ""
) -> None:
    """Every document the case's checklist asks for, as a one-page demo PDF received by
    `channel` (the text on the page: `text`, else the checklist item's description)."""
    for item in case.checklist_items.all():
        document_upload(
            care_request=case,
            actor=actor,
            kind=item.document_kind,
            name=f"{item.get_document_kind_display()}.pdf",
            data=demo_pdf(text or f"{item.description} - demo document"),
            channel=channel,
        )
