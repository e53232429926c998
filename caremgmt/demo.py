"""Demo data for care management: the referral rules, one referral a rule made (a long stay,
found by the stays sweep) and one a nurse made by hand and has worked. Idempotent; runs after
the stays demo."""

from django.db import transaction
from django.utils import timezone

from intake.models import CareRequest
from intake.models.care_request import CareRequestStatus as S

from .models import Referral, ReferralRule
from .services.referrals import referral_create_by_hand, referral_transition
from .services.triggers import referral_stays_sweep

TRANSPLANT_CODES = "32851 32852 32853 32854 33945 47135 48554 50360 50365"
RULES = [
    {
        "name": "Organ transplant",
        "kind": ReferralRule.Kind.SERVICE,
        "codes": TRANSPLANT_CODES,
        "reason": "Transplant: pre- and post-transplant care coordination.",
    },
    {
        "name": "Inpatient stay over 7 days",
        "kind": ReferralRule.Kind.LENGTH_OF_STAY,
        "days": 7,
        "reason": "Long inpatient stay: discharge planning and follow-up.",
    },
    {
        "name": "Readmission within 30 days",
        "kind": ReferralRule.Kind.READMISSION,
        "days": 30,
        "reason": "Readmitted within 30 days of a discharge: transition-of-care outreach.",
    },
    {
        "name": "End-stage kidney disease",
        "kind": ReferralRule.Kind.DIAGNOSIS,
        "codes": "N18.5 N18.6 Z99.2",
        "reason": "Stage 5 or end-stage kidney disease: dialysis and transplant planning.",
    },
]
MANUAL_REASON = (
    "Lives alone, three emergency visits this year and a new insulin regimen; would benefit "
    "from a care manager's follow-up."
)


def seed_referral_rules() -> int:
    added = 0
    for rule in RULES:
        _, created = ReferralRule.objects.get_or_create(name=rule["name"], defaults=rule)
        added += created
    return added


def seed_caremgmt(*, users: dict, log=print) -> None:
    log(f"Care-management rules: {seed_referral_rules()} added.")
    if Referral.objects.exists():
        return
    with transaction.atomic():
        swept = referral_stays_sweep(timezone.now()).get("care_referrals", 0)
        case = (
            CareRequest.objects.filter(status__in=[S.APPROVED, S.PARTIALLY_APPROVED])
            .exclude(member__care_referrals__isnull=False)
            .order_by("reference")
            .first()
        )
        manual = 0
        if case is not None:
            nurse = users["nurse"]
            referral = referral_create_by_hand(actor=nurse, care_request=case, reason=MANUAL_REASON)
            referral = referral_transition(referral=referral, name="accept", actor=nurse)
            referral_transition(
                referral=referral,
                name="record_contact",
                actor=nurse,
                note="Called the member; a home visit is booked for next week.",
            )
            manual = 1
    log(f"Care-management referrals: {swept} by rule, {manual} by hand.")
