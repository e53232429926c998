"""What a signed-in member may read: only their own member record's requests and letters.
Everything else is a 404, never a 403, so another member's request is not revealed."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal
from determinations.models import DenialReason, Letter, LineDecision
from determinations.selectors import decision_summary_for_provider
from intake.models import CareRequest
from intake.models.care_request import CareRequestStatus as S
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role

from .models import MemberAccount

# Never shown to a member: a draft is the office's unfinished work; a voided request was
# entered in error.
HIDDEN_STATUSES = (S.DRAFT, S.VOIDED)
# The member's words for where a request stands (the staff labels speak of queues).
MEMBER_STATUS = {
    S.SUBMITTED: _("Received"),
    S.PENDING_INFO: _("Waiting for information from your doctor"),
    S.NURSE_REVIEW: _("Being reviewed"),
    S.MD_REVIEW: _("Being reviewed by a doctor"),
    S.APPROVED: _("Approved"),
    S.PARTIALLY_APPROVED: _("Partly approved"),
    S.DENIED: _("Not approved"),
    S.WITHDRAWN: _("Withdrawn"),
    S.CLOSED_NO_AUTH_REQUIRED: _("No approval needed"),
}


OUTCOME_WORDS = {
    LineDecision.Outcome.APPROVED: _("Approved"),
    LineDecision.Outcome.MODIFIED: _("Approved with fewer visits, units or days than asked"),
    LineDecision.Outcome.DENIED: _("Not approved"),
    LineDecision.Outcome.NOT_REQUIRED: _("No approval needed"),
}


LETTER_WORDS = {
    Letter.Template.APPROVAL: _("Approval letter"),
    Letter.Template.PARTIAL: _("Decision letter"),
    Letter.Template.DENIAL: _("Decision letter"),
    Letter.Template.NOT_REQUIRED: _("Letter: no approval needed"),
    Letter.Template.APPEAL_ACK: _("Letter: your appeal was received"),
    Letter.Template.APPEAL_DECISION: _("Appeal decision letter"),
    Letter.Template.ADMIN_DENIAL: _("Decision letter"),
    Letter.Template.EXTENSION: _("Letter: we need more time to decide"),
}


def member_account_for(user) -> MemberAccount | None:
    if not user_has_role(user, Role.MEMBER):
        return None
    return MemberAccount.objects.select_related("member").filter(user=user).first()


def member_requests(member) -> list[CareRequest]:
    """The member's requests, newest first, with their services (two queries)."""
    cases = list(
        CareRequest.objects.filter(member=member)
        .exclude(status__in=HIDDEN_STATUSES)
        .select_related("requesting_provider")
        .prefetch_related("service_lines")
        .order_by("-received_at", "-created_at")
    )
    for case in cases:
        case.member_status = MEMBER_STATUS.get(case.status, case.get_status_display())
    return cases


def member_request_get(member, care_request_id) -> CareRequest:
    case = (
        CareRequest.objects.filter(member=member, pk=care_request_id)
        .exclude(status__in=HIDDEN_STATUSES)
        .select_related("requesting_provider", "coverage__plan")
        .prefetch_related("service_lines")
        .first()
    )
    if case is None:
        raise Http404
    case.member_status = MEMBER_STATUS.get(case.status, case.get_status_display())
    return case


def member_letters(case: CareRequest) -> list[Letter]:
    """The letters addressed to the member, ready to download, named in the member's words."""
    letters = [
        letter
        # A decision's letters hang off its determination; a notice (an extension) off the case.
        for letter in Letter.objects.filter(
            Q(determination__care_request=case) | Q(care_request=case),
            recipient=Letter.Recipient.MEMBER,
        )
        .select_related("determination")
        .order_by("-created_at")
        if letter.is_downloadable
    ]
    for letter in letters:
        letter.member_title = LETTER_WORDS.get(letter.template, letter.get_template_display())
    return letters


def member_letter_get(member, letter_id) -> Letter:
    letter = (
        Letter.objects.select_related("determination__care_request", "care_request")
        .filter(pk=letter_id, recipient=Letter.Recipient.MEMBER)
        .filter(Q(determination__care_request__member=member) | Q(care_request__member=member))
        .first()
    )
    if letter is None or not letter.is_downloadable or letter.case.status in HIDDEN_STATUSES:
        raise Http404
    return letter


def member_appeals(case: CareRequest) -> list[Appeal]:
    return list(Appeal.objects.filter(care_request=case).order_by("-received_at"))


def member_decision(case: CareRequest) -> dict | None:
    """The decision in force per service (determinations' own selector), with the outcome and
    the reason in the member's words and language (the plan's Spanish wording of each reason
    when the page is in Spanish)."""
    decision = decision_summary_for_provider(case)
    if decision is None:
        return None
    codes = {ld.reason_code for ld in decision["lines"] if ld.reason_code}
    spanish = (get_language() or "").startswith("es")
    words = (
        dict(
            DenialReason.objects.filter(code__in=codes).values_list(
                "code", "plain_language_es" if spanish else "plain_language"
            )
        )
        if codes
        else {}
    )
    for ld in decision["lines"]:
        ld.member_outcome = OUTCOME_WORDS.get(ld.outcome, ld.get_outcome_display())
        ld.member_reason = words.get(ld.reason_code, "")
    return decision
