"""Who may decide an appeal: reviewer independence and specialty match.

42 CFR 422.590(h)(2) (Medicare Advantage), 42 CFR 438.406(b)(2) (Medicaid), 29 CFR
2560.503-1(h)(3)(ii)–(v) (employer plans) and NCQA UM 8: the appeal is decided by a physician
who made neither the decision under appeal nor any reopening of it (nor is that person's
subordinate), with expertise in the field of medicine of the service. The same rule is the
transition permission (Appeal._may_decide), the assignment check and the service's check.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from determinations.models import Determination
from review.models import ReviewerProfile, SpecialtyGroup
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role


def normalized(specialty: str) -> str:
    return " ".join((specialty or "").split()).casefold()


def similar_specialties(specialty: str) -> set[str]:
    """The specialty itself and every specialty sharing an admin-configured group with it."""
    wanted = normalized(specialty)
    if not wanted:
        return set()
    similar = {wanted}
    for names in SpecialtyGroup.objects.values_list("specialties", flat=True):
        group = {normalized(n) for n in names or []}
        if wanted in group:
            similar |= group
    return similar


def service_specialty(appeal) -> str:
    """The field of medicine of the appealed service: the servicing provider's specialty."""
    return appeal.care_request.servicing_provider.specialty


def decider_refusal(appeal, user) -> str | None:
    """Why `user` may not decide `appeal`, in words for the user, or None when they may."""
    if not user_has_role(user, Role.DIRECTOR):
        return "Only a medical director (physician) may decide an appeal."
    took_part = Determination.objects.filter(
        care_request_id=appeal.care_request_id,
        decided_by=user,
        kind__in=[Determination.Kind.INITIAL, Determination.Kind.REOPENING],
    ).exists()
    if took_part:
        return (
            "You made the decision under appeal (or a reopening of it): another physician "
            "must decide the appeal."
        )
    needed = service_specialty(appeal)
    profile = ReviewerProfile.objects.filter(user=user, is_active=True).first()
    if not needed:
        return "The service has no recorded specialty: ask the manager to record the provider's."
    if profile is None or normalized(profile.specialty) not in similar_specialties(needed):
        return (
            f"Your recorded specialty ({(profile.specialty if profile else '') or 'none'}) is "
            f"neither {needed} nor a similar specialty."
        )
    return None


def eligible_deciders(appeal) -> QuerySet:
    """Active medical directors who may decide `appeal` (what routing offers)."""
    User = get_user_model()
    authors = Determination.objects.filter(
        care_request_id=appeal.care_request_id,
        kind__in=[Determination.Kind.INITIAL, Determination.Kind.REOPENING],
        decided_by__isnull=False,
    ).values("decided_by")
    similar = similar_specialties(service_specialty(appeal))
    ids = [
        user_id
        for user_id, specialty in ReviewerProfile.objects.filter(
            is_active=True, user__groups__name=Role.DIRECTOR, user__is_active=True
        )
        .exclude(user__in=authors)
        .values_list("user_id", "specialty")
        if normalized(specialty) in similar
    ]
    return User.objects.filter(pk__in=ids).order_by("last_name", "username")
