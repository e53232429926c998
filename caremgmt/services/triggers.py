"""When rules refer a member: a case is approved (django-fsm's post_transition on CareRequest)
or a stay grows long or is a readmission (review's clock sweep). The rule checks run after the
deciding transaction commits, so a failing check can never undo a decision."""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from intake.models import CareRequest
from intake.models.care_request import CareRequestStatus
from stays.models import Stay, StayReview, StayStatus

from ..models import ReferralRule
from .referrals import referral_create_for_rule

DECIDED = {CareRequestStatus.APPROVED, CareRequestStatus.PARTIALLY_APPROVED}
READMISSION_WINDOW = 30


def _plain(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _matches_prefix(codes, prefixes) -> bool:
    plain = [_plain(p) for p in prefixes]
    return any(_plain(code).startswith(p) for code in codes for p in plain)


def stay_days_used(stay: Stay, today: dt.date) -> int:
    """Inpatient days: the admission day counts, the discharge day does not; in house, today
    counts (as stays/days.py counts them)."""
    admitted = timezone.localdate(stay.admitted_at)
    if stay.discharged_at:
        return max((timezone.localdate(stay.discharged_at) - admitted).days, 1)
    return (today - admitted).days + 1


def _window(rule: ReferralRule) -> dt.timedelta:
    return dt.timedelta(days=rule.days or READMISSION_WINDOW)


def is_readmission(stay: Stay, rule: ReferralRule) -> bool:
    return Stay.objects.filter(
        member_id=stay.member_id,
        discharged_at__isnull=False,
        discharged_at__lte=stay.admitted_at,
        discharged_at__gte=stay.admitted_at - _window(rule),
    ).exists()


def rule_matches_case(rule: ReferralRule, case: CareRequest, stay: Stay | None, today) -> bool:
    lines = list(case.service_lines.all())
    if rule.kind == ReferralRule.Kind.SERVICE:
        by_category = any(line.category_id == rule.service_category_id for line in lines)
        return by_category or _matches_prefix([line.code for line in lines], rule.code_list)
    if rule.kind == ReferralRule.Kind.DIAGNOSIS:
        codes = [d.code for d in case.diagnoses.all()] + list(stay.diagnoses if stay else [])
        return _matches_prefix(codes, rule.code_list)
    if stay is None:
        return False
    if rule.kind == ReferralRule.Kind.LENGTH_OF_STAY:
        return stay_days_used(stay, today) > (rule.days or 0)
    return is_readmission(stay, rule)


def referral_rules_run_for_case(*, care_request_id) -> int:
    """Refer the member of an approved case for every active rule it matches. Returns the
    referrals made (0 when each rule had already referred the member)."""
    rules = list(ReferralRule.objects.filter(is_active=True))
    if not rules:  # most plans: one query and done
        return 0
    case = CareRequest.objects.select_related("member").get(pk=care_request_id)
    review = StayReview.objects.select_related("stay").filter(care_request=case).first()
    stay = review.stay if review else None
    today = timezone.localdate()
    made = 0
    for rule in rules:
        if rule_matches_case(rule, case, stay, today):
            made += bool(
                referral_create_for_rule(
                    rule=rule, member=case.member, care_request=case, stay=stay
                )
            )
    return made


def referral_on_case_transition(sender, instance, name, source, target, **kwargs) -> None:
    """django-fsm's post_transition for CareRequest: an approval runs the rules after commit."""
    if target in DECIDED:
        case_id = instance.pk
        transaction.on_commit(
            lambda: referral_rules_run_for_case(care_request_id=case_id), robust=True
        )


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _first_case(stay: Stay):
    review = StayReview.objects.filter(stay=stay).order_by("sequence").first()
    return review.care_request if review else None


def referral_stays_sweep(now: dt.datetime) -> dict[str, int]:
    """Refer members in house longer than a length-of-stay rule allows, or readmitted within a
    readmission rule's window. Registered with review's clock sweep (periodic)."""
    today = timezone.localdate(now)
    made = 0
    for rule in ReferralRule.objects.filter(
        is_active=True,
        kind__in=[ReferralRule.Kind.LENGTH_OF_STAY, ReferralRule.Kind.READMISSION],
    ):
        stays = (
            Stay.objects.filter(status=StayStatus.IN_HOUSE)
            .exclude(member__care_referrals__rule=rule)
            .select_related("member")
        )
        if rule.kind == ReferralRule.Kind.LENGTH_OF_STAY:
            # More than N days used: admitted on or before today - N (the admission day counts),
            # i.e. before the start of the day after that, in the plan's time zone.
            day_after_cutoff = today - dt.timedelta(days=(rule.days or 0) - 1)
            stays = stays.filter(admitted_at__lt=_start_of(day_after_cutoff))
        else:
            earlier = Stay.objects.filter(
                member_id=OuterRef("member_id"),
                discharged_at__isnull=False,
                discharged_at__lte=OuterRef("admitted_at"),
                discharged_at__gte=OuterRef("admitted_at") - _window(rule),
            )
            stays = list(stays.filter(Exists(earlier)))
        for stay in stays:
            made += bool(
                referral_create_for_rule(
                    rule=rule, member=stay.member, care_request=_first_case(stay), stay=stay
                )
            )
    return {"care_referrals": made} if made else {}
