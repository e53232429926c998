"""Determinations reads, scoped to the asking user."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from intake.apis.selectors import care_request_visible_to
from intake.models import CareRequest
from review.models import CriteriaSet, CriterionAnswer, NurseReview
from um_portal.accounts.roles import STAFF_ROLES, Role

from .models import DenialReason, Determination, Letter


def _is_staff(user) -> bool:
    return bool(user.is_authenticated and user.has_role(*STAFF_ROLES))


def _is_case_provider(user, case: CareRequest) -> bool:
    return bool(
        user.is_authenticated
        and user.has_role(Role.PROVIDER)
        and user.provider_organization_id
        and user.provider_organization_id == case.provider_organization_id
    )


def letter_list_for_user(user, case: CareRequest) -> list[Letter]:
    """Letters of `case` the user may see: staff see every copy; the requesting provider
    organisation sees the copies addressed to it; anyone else nothing."""
    letters = Letter.objects.filter(determination__care_request=case).select_related(
        "determination"
    )
    if _is_staff(user):
        return list(letters.order_by("-determination__decided_at", "recipient"))
    if _is_case_provider(user, case):
        return list(
            letters.filter(recipient=Letter.Recipient.PROVIDER).order_by(
                "-determination__decided_at"
            )
        )
    return []


def letter_get_for_user(user, letter_id) -> Letter:
    """The letter if the user may download it; Http404 otherwise (never reveal it exists)."""
    letter = (
        Letter.objects.select_related("determination__care_request").filter(pk=letter_id).first()
    )
    if letter is None or not letter.is_downloadable:
        raise Http404
    case = letter.determination.care_request
    if _is_staff(user):
        return letter
    if (
        letter.recipient == Letter.Recipient.PROVIDER
        and _is_case_provider(user, case)
        and care_request_visible_to(user, case.pk)
    ):
        return letter
    raise Http404


def determination_list_for_case(case: CareRequest) -> QuerySet[Determination]:
    """A case's determinations, newest first, with lines and letters (staff view)."""
    return (
        Determination.objects.filter(care_request=case)
        .select_related("previous")
        .prefetch_related("line_decisions__service_line", "letters")
        .order_by("-decided_at")
    )


def decision_case_get(case_id) -> CareRequest:
    """A case with what the decision page shows; Http404 when it does not exist."""
    case = (
        CareRequest.objects.select_related(
            "member", "coverage__plan", "requesting_provider", "servicing_provider", "queue"
        )
        .prefetch_related(
            "service_lines__category",
            "diagnoses",
            "determinations__line_decisions__service_line",
            "determinations__letters",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def nurse_review_latest(case: CareRequest) -> NurseReview | None:
    """The nurse's most recent review with its criteria answers."""
    return (
        NurseReview.objects.filter(care_request=case)
        .select_related("nurse")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=CriterionAnswer.objects.select_related(
                    "criteria_set", "criterion", "service_line"
                ).order_by("service_line__sequence", "criterion__sequence"),
            )
        )
        .order_by("-started_at")
        .first()
    )


def criteria_sets_current() -> list[CriteriaSet]:
    return list(CriteriaSet.objects.filter(is_current=True).order_by("name"))


def denial_reasons_active() -> list[DenialReason]:
    return list(DenialReason.objects.filter(is_active=True))
