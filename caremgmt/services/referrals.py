"""Writes for referrals: made by a rule, made by hand, and moved along their status."""

from django.db import IntegrityError, transaction
from django_fsm import ConcurrentTransition

from intake.models import CareRequest, Member
from um_portal.accounts.permissions import user_has_role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed
from um_portal.lib.fsm import transition_meta

from ..models import Referral, ReferralRule
from ..models.referrals import REFERRERS

ACTIONS = ("accept", "record_contact", "enroll", "decline")
REASON_MAX = 500


def referral_create_for_rule(
    *, rule: ReferralRule, member: Member, care_request=None, stay=None
) -> Referral | None:
    """Refer `member` because `rule` matched; None when the rule already referred them (a rule
    may fire again on every decision and every sweep: the unique constraint makes it once)."""
    if Referral.objects.filter(member=member, rule=rule).exists():
        return None
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                member=member, rule=rule, care_request=care_request, stay=stay, reason=rule.reason
            )
            audit_event(
                actor=None,
                action="referral_create",
                case_id=care_request.pk if care_request else None,
                summary=f"Referred to care management by the rule {rule.name}",
                data={"referral": str(referral.pk), "rule": rule.pk},
            )
    except IntegrityError:  # another worker's sweep or decision referred them first
        return None
    return referral


@transaction.atomic
def referral_create_by_hand(*, actor, care_request: CareRequest, reason: str) -> Referral:
    """A nurse or medical director refers the case's member, with a reason."""
    if not user_has_role(actor, *REFERRERS):
        raise NotPermitted("Only a nurse or a medical director may refer to care management.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Say why.", field_errors={"reason": ["Say why."]})
    if len(reason) > REASON_MAX:
        message = f"At most {REASON_MAX} characters."
        raise ValidationFailed(message, field_errors={"reason": [message]})
    exists = Referral.objects.filter(
        member_id=care_request.member_id, care_request=care_request, rule__isnull=True
    ).exists()
    if exists:
        raise ValidationFailed("This member was already referred from this case.")
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                member_id=care_request.member_id,
                care_request=care_request,
                reason=reason,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationFailed("This member was already referred from this case.") from exc
    audit_event(
        actor=actor,
        action="referral_create",
        case_id=care_request.pk,
        summary="Referred to care management by hand",
        data={"referral": str(referral.pk)},
    )
    return referral


@transaction.atomic
def referral_transition(*, referral: Referral, name: str, actor, note: str = "") -> Referral:
    """Accept, record the contact, enroll or decline: lock, check who may, move, record."""
    if name not in ACTIONS:
        raise InvalidTransition(f"Unknown action {name!r}.")
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    meta = transition_meta(locked, name)
    if not meta.has_transition(locked.status):
        raise InvalidTransition(
            f"Not possible while the referral is {locked.get_status_display().lower()}."
        )
    if not meta.has_transition_perm(locked, locked.status, actor):
        raise NotPermitted("You may not take this action on this referral.")
    from_status = locked.status
    if name == "accept":
        locked.accept(by=actor)
    else:
        getattr(locked, name)()
    note = (note or "").strip()[:REASON_MAX]
    if note:
        locked.outcome_note = note
    try:
        locked.save()
    except ConcurrentTransition as exc:
        raise InvalidTransition("The referral changed while you were working; reload it.") from exc
    audit_event(
        actor=actor,
        action=f"referral_{name}",
        case_id=locked.care_request_id,
        summary=f"Care-management referral {from_status} → {locked.status}",
        data={"referral": str(locked.pk), "from": from_status, "to": locked.status, "note": note},
    )
    return locked
