"""Demo appeals in every state: received, in review (with a nurse's summary), overturned, upheld
and forwarded to the IRE (Medicare Advantage, with its case-file PDF), decided by the IRE,
dismissed, and withdrawn; plus reviewer specialties and similar-specialty groups."""

import random

from django.db import transaction

from determinations.demo import demo_criteria_set, letters_render_pending
from determinations.services import LineDecisionInput, determination_issue
from intake.demo import SERVICES
from intake.demo_cases import demo_case
from intake.models import CareRequest, Provider
from intake.services.transitions import care_request_transition
from review.models import ReviewerProfile, SpecialtyGroup

from .models import Appeal
from .services.closing import appeal_dismiss, appeal_withdraw
from .services.decide import appeal_assign, appeal_decide, appeal_prepare
from .services.filing import IntakeReceipt, appeal_file
from .services.ire import appeal_forward_to_ire, appeal_record_ire_decision

GROUPS = {
    "Medicine": ["Internal medicine", "Family medicine", "Cardiology", "Pulmonology", "Neurology"],
    "Musculoskeletal": ["Orthopaedic surgery", "Physical medicine", "Sports medicine"],
}
SPECIALTY = {"director": "Orthopaedic surgery", "director2": "Internal medicine"}
RATIONALE = (
    "The records sent with the appeal still show only two weeks of physical therapy and no "
    "trial of anti-inflammatory medicine, and no warning signs such as weakness or numbness."
)
REASON = "Our notes show eight weeks of therapy without improvement; please look again."


def seed_specialties(users: dict) -> None:
    for name, specialties in GROUPS.items():
        SpecialtyGroup.objects.get_or_create(name=name, defaults={"specialties": specialties})
    for username, specialty in SPECIALTY.items():
        ReviewerProfile.objects.filter(user=users[username], specialty="").update(
            specialty=specialty
        )


def _denied_case(*, rng, users, hours_ago: float) -> CareRequest:
    """A lumbar MRI request of the demo provider's organisation denied by `director`, for a
    service in director2's field (so the appeal has an independent, eligible physician)."""
    org = users["provider"].provider_organization
    case = demo_case(
        rng=rng,
        actor=users["intake"],
        service=SERVICES[0],
        hours_ago=hours_ago,
        provider_organization=org,
    )
    servicing = (
        Provider.objects.filter(organization=org, specialty__in=GROUPS["Medicine"])
        .order_by("npi")
        .first()
    )
    if servicing is not None:
        CareRequest.objects.filter(pk=case.pk).update(servicing_provider=servicing)
    care_request_transition(care_request=case, name="triage", actor=users["intake"])
    care_request_transition(care_request=case, name="refer_to_md", actor=users["nurse"])
    cs = demo_criteria_set(SERVICES[0].code)
    determination_issue(
        case=case,
        director=users["director"],
        line_decisions=[
            LineDecisionInput(
                service_line=line,
                outcome="denied",
                reason_code="not_med_necessary",
                rationale=RATIONALE,
                criteria_set=cs,
                criterion=cs.criteria.first(),
            )
            for line in case.service_lines.all()
        ],
    )
    case.refresh_from_db()
    return case


def seed_appeals(*, users: dict, rng: random.Random) -> int:
    """Returns how many appeals were created (0 when the demo already has them)."""
    seed_specialties(users)
    if Appeal.objects.exists():
        return 0
    rng = random.Random(20261204)  # its own stream: the other demo steps stay as they were
    provider, director2 = users["provider"], users["director2"]
    cs = demo_criteria_set(SERVICES[0].code)

    def upheld(appeal):
        return [
            LineDecisionInput(
                service_line=al.service_line,
                outcome="denied",
                reason_code="not_med_necessary",
                rationale=RATIONALE,
                criteria_set=cs,
                criterion=cs.criteria.first(),
            )
            for al in appeal.lines.all()
        ]

    with transaction.atomic():
        cases = [_denied_case(rng=rng, users=users, hours_ago=200 + 10 * i) for i in range(8)]
        mas = [c for c in cases if c.coverage.plan.line_of_business == "medicare_advantage"][:2]
        ma, ma2 = (mas + [None, None])[:2]
        others = [c for c in cases if c not in mas]
        # Received (standard, acknowledgement letters) and in review (nurse's summary).
        appeal_file(care_request=others[0], actor=provider, reason=REASON)
        in_review = appeal_file(care_request=others[1], actor=provider, reason=REASON)
        appeal_assign(appeal=in_review, by=users["manager"], to_user=director2)
        appeal_prepare(
            appeal=in_review,
            actor=users["nurse"],
            summary="Therapy notes from weeks 3 to 8 added; no new imaging.",
        )
        # Phoned in by the member, expedited by intake.
        appeal_file(
            care_request=others[2],
            actor=users["intake"],
            reason="Member called: pain worse.",
            expedited=True,
            intake=IntakeReceipt(channel="phone", requester="member"),
        )
        overturned = appeal_file(care_request=others[3], actor=provider, reason=REASON)
        appeal_decide(
            appeal=overturned,
            director=director2,
            line_decisions=[
                LineDecisionInput(service_line=al.service_line, outcome="approved")
                for al in overturned.lines.all()
            ],
        )
        dismissed = appeal_file(care_request=others[4], actor=provider, reason=REASON)
        appeal_dismiss(
            appeal=dismissed,
            actor=users["intake"],
            reason="service_received",
            note="The MRI was done before the appeal arrived; a payment appeal may follow.",
        )
        withdrawn = appeal_file(care_request=others[5], actor=provider, reason=REASON)
        appeal_withdraw(appeal=withdrawn, actor=provider, note="Treated conservatively instead.")
        if ma is not None:
            to_ire = appeal_file(care_request=ma, actor=provider, reason=REASON)
            appeal_decide(appeal=to_ire, director=director2, line_decisions=upheld(to_ire))
        elif len(others) > 6:
            upheld_appeal = appeal_file(care_request=others[6], actor=provider, reason=REASON)
            appeal_decide(
                appeal=upheld_appeal, director=director2, line_decisions=upheld(upheld_appeal)
            )
    if ma is not None:
        appeal_forward_to_ire(appeal_id=to_ire.pk)
    # A second MA case reversed by the IRE, when the demo has one.
    if ma2 is not None:
        reversed_ = appeal_file(care_request=ma2, actor=provider, reason=REASON)
        appeal_decide(appeal=reversed_, director=director2, line_decisions=upheld(reversed_))
        appeal_forward_to_ire(appeal_id=reversed_.pk)
        appeal_record_ire_decision(
            appeal=Appeal.objects.get(pk=reversed_.pk),
            actor=users["intake"],
            overturned=True,
            ire_reference="MAX-2026-118204",
        )
    letters_render_pending()
    return Appeal.objects.count()
