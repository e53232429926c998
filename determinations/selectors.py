"""Determinations reads, scoped to the asking user."""

from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils import timezone

from intake.apis.selectors import care_request_visible_to
from intake.models import CareRequest, Document
from intake.models.care_request import CareRequestStatus
from review.models import CriteriaSet, CriterionAnswer, NurseReview
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import STAFF_ROLES, Role

from .models import (
    AdministrativeAuthority,
    AppealPolicy,
    DenialReason,
    Letter,
    LineDecision,
    NetworkException,
)

DEFAULT_APPEAL_DAYS = 60


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
    # The extension notice has no determination: it hangs on the case itself.
    letters = Letter.objects.filter(
        Q(determination__care_request=case) | Q(care_request=case)
    ).select_related("determination")
    if _is_staff(user):
        return list(letters.order_by("-created_at", "recipient"))
    if _is_case_provider(user, case):
        return list(letters.filter(recipient=Letter.Recipient.PROVIDER).order_by("-created_at"))
    return []


def letter_get_for_user(user, letter_id) -> Letter:
    """The letter if the user may download it; Http404 otherwise (never reveal it exists)."""
    letter = (
        Letter.objects.select_related("determination__care_request", "care_request")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or not letter.is_downloadable:
        raise Http404
    case = letter.case
    if _is_staff(user):
        return letter
    if (
        letter.recipient == Letter.Recipient.PROVIDER
        and _is_case_provider(user, case)
        and care_request_visible_to(user, case.pk)
    ):
        return letter
    raise Http404


def decision_case_get(case_id) -> CareRequest:
    """A case with what the decision page shows; Http404 when it does not exist."""
    case = (
        CareRequest.objects.select_related(
            "member", "coverage__plan", "requesting_provider", "servicing_provider", "queue"
        )
        .prefetch_related(
            "service_lines__category",
            "diagnoses",
            "determinations__previous",
            "determinations__line_decisions__service_line",
            "determinations__letters",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


EARLIER_REQUESTS_SHOWN = 10


def decision_material(case: CareRequest) -> dict:
    """What the director reads beside the decision: the case's documents and the member's
    earlier requests (two queries)."""
    return {
        "documents": list(Document.objects.filter(care_request=case).order_by("uploaded_at")),
        "earlier": list(
            CareRequest.objects.filter(member_id=case.member_id)
            .exclude(pk=case.pk)
            .exclude(status=CareRequestStatus.DRAFT)
            .order_by("-received_at")[:EARLIER_REQUESTS_SHOWN]
        ),
    }


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


def nurse_unmet_criteria(review: NurseReview | None) -> dict:
    """{service line id: the criterion the nurse found unmet}, for the decide pages to preselect
    as "the criterion that is not met": the first "not met" answer of the line, else its first
    "not documented" one. Reads `review` as nurse_review_latest returns it (answers prefetched in
    criterion order): no query."""
    found: dict = {}
    rank = {CriterionAnswer.Answer.NOT_MET: 0, CriterionAnswer.Answer.NOT_DOCUMENTED: 1}
    for answer in review.answers.all() if review else ():
        if answer.answer not in rank:
            continue
        held = found.get(answer.service_line_id)
        if held is None or rank[answer.answer] < rank[held.answer]:
            found[answer.service_line_id] = answer
    return {line_id: answer.criterion for line_id, answer in found.items()}


def criteria_sets_current() -> list[CriteriaSet]:
    """Current sets with their criteria (the decide forms offer each set's criteria)."""
    return list(
        CriteriaSet.objects.filter(is_current=True).order_by("name").prefetch_related("criteria")
    )


def denial_reasons_active() -> list[DenialReason]:
    return list(DenialReason.objects.filter(is_active=True))


def appeal_days_for(line_of_business: str) -> int:
    """Calendar days to appeal after the decision, per line of business (admin-editable)."""
    policy = AppealPolicy.objects.filter(line_of_business=line_of_business).first()
    return policy.appeal_days if policy else DEFAULT_APPEAL_DAYS


def decision_summary_for_provider(case: CareRequest) -> dict | None:
    """The decision in force on a decided case, per line, for the provider's case page: the
    outcome, what was approved, the reason in plain language, the physician's rationale and
    the criterion; for an adverse decision also the appeal deadline. None while undecided.

    One query for the lines (each line's newest decision as a subquery: an appeal decides only
    the appealed lines, so the newest determination alone would hide the others; the reason
    texts as annotations), and one for the appeal policy when the decision is adverse.
    """
    if case.decided_at is None:
        return None
    newest_for_line = (
        LineDecision.objects.filter(service_line=OuterRef("service_line"))
        .order_by("-determination__decided_at", "-pk")
        .values("pk")[:1]
    )
    reasons = DenialReason.objects.filter(code=OuterRef("reason_code"))
    lines = list(
        LineDecision.objects.filter(service_line__care_request=case, pk=Subquery(newest_for_line))
        .select_related("determination", "service_line")
        .annotate(
            reason_text=Subquery(reasons.values("plain_language")[:1]),
        )
        .order_by("service_line__sequence")
    )
    if not lines:
        return None
    determination = max((ld.determination for ld in lines), key=lambda d: d.decided_at)
    adverse_lines = [
        ld
        for ld in lines
        if ld.outcome in (LineDecision.Outcome.DENIED, LineDecision.Outcome.MODIFIED)
    ]
    appeal_by: date | None = None
    if adverse_lines:
        days = appeal_days_for(case.coverage.plan.line_of_business)
        decided = max(ld.determination.decided_at for ld in adverse_lines)
        appeal_by = timezone.localdate(decided) + timedelta(days=days)
    return {"determination": determination, "lines": lines, "appeal_by": appeal_by}


LETTER_ATTENTION_ROLES = (Role.MANAGER, Role.INTAKE)


def letters_needing_attention(user) -> list[Letter]:
    """Failed letters, oldest first, with their cases (one query): what the pipeline gave up on
    and a person must resolve. Only the UM manager and intake (who run the mail room) see them."""
    if not (user.is_authenticated and user.has_role(*LETTER_ATTENTION_ROLES)):
        return []
    return list(
        Letter.objects.filter(status=Letter.Status.FAILED)
        .select_related(
            "determination__care_request__provider_organization",
            "care_request__provider_organization",
        )
        .order_by("created_at", "pk")[:200]
    )


# Other apps add rows to the attention page without determinations importing them (arrows
# point one way, DESIGN §11): a source takes the user and returns rows {"letter", "case",
# "problem", "note"}, in one query, and [] for a user who may not see them.
_ATTENTION_SOURCES: list[Callable[..., list[dict]]] = []


def attention_source_register(source: Callable[..., list[dict]]) -> None:
    if source not in _ATTENTION_SOURCES:
        _ATTENTION_SOURCES.append(source)


def letters_attention_other(user) -> list[dict]:
    """The registered sources' rows (one query per source)."""
    if not (user.is_authenticated and user.has_role(*LETTER_ATTENTION_ROLES)):
        return []
    return [row for source in _ATTENTION_SOURCES for row in source(user)]


def letter_failed_get(user, letter_id) -> Letter:
    """A failed letter for the attention page's actions; Http404 for anyone else or any other."""
    if not (user.is_authenticated and user.has_role(*LETTER_ATTENTION_ROLES)):
        raise Http404
    letter = Letter.objects.filter(pk=letter_id, status=Letter.Status.FAILED).first()
    if letter is None:
        raise Http404
    return letter


def _administrative_role(case: CareRequest, user) -> str | None:
    """The role the user would deny in: a director at any review stage; intake while the
    request is with intake; a nurse during nurse review (the stage's owner, as for pends)."""
    if user_has_role(user, Role.DIRECTOR):
        return Role.DIRECTOR
    if case.status == CareRequestStatus.SUBMITTED and user_has_role(user, Role.INTAKE):
        return Role.INTAKE
    if case.status == CareRequestStatus.NURSE_REVIEW and user_has_role(user, Role.NURSE):
        return Role.NURSE
    return None


def administrative_reasons_for(case: CareRequest, user) -> list[DenialReason]:
    """The administrative reasons `user` may deny `case` for (one query): a director any; intake
    and nurses those their plan's AdministrativeAuthority row (or else the global one) allows."""
    role = _administrative_role(case, user)
    if role is None:
        return []
    reasons = DenialReason.objects.filter(is_active=True, administrative=True)
    if role == Role.DIRECTOR:
        return list(reasons)
    rows = (
        AdministrativeAuthority.objects.filter(reason__in=reasons)
        .filter(Q(plan__isnull=True) | Q(plan__coverages=case.coverage_id))
        .select_related("reason")
    )
    allowed = "intake_may_decide" if role == Role.INTAKE else "nurse_may_decide"
    by_reason: dict[int, AdministrativeAuthority] = {}
    for row in sorted(rows, key=lambda r: r.plan_id is not None):  # the plan's row wins
        by_reason[row.reason_id] = row
    chosen = [row.reason for row in by_reason.values() if getattr(row, allowed)]
    return sorted(chosen, key=lambda r: (r.sort_order, r.label))


def may_deny_administratively(case: CareRequest, user) -> bool:
    """The state machine's permission for deny_administratively (registered in apps.py)."""
    return bool(administrative_reasons_for(case, user))


def network_exceptions_open() -> list[NetworkException]:
    """Exceptions waiting for a medical director, oldest first (a director's work list)."""
    return list(
        NetworkException.objects.filter(status=NetworkException.Status.REQUESTED)
        .select_related("care_request__member", "care_request__servicing_provider", "requested_by")
        .order_by("requested_at")
    )
