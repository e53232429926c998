"""The care-management queue, a referral's page and its actions, and referring by hand from the
360° case view."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from review.selectors.cases import care_request_get_for_reviewer
from um_portal.accounts.permissions import role_required
from um_portal.audit.services import Channel, audit_access_many
from um_portal.lib.errors import DomainError, NotFound, NotPermitted

from ..forms import ReferForm, ReferralActionForm
from ..models.referrals import CARE_MANAGERS, REFERRERS, ReferralStatus
from ..selectors.referrals import QUEUE_FILTERS, referral_get, referral_history, referral_queue
from ..services.referrals import ACTIONS, referral_create_by_hand, referral_transition

ACTION_LABELS = {
    "accept": "Accept",
    "record_contact": "Member contacted",
    "enroll": "Enrolled",
    "decline": "Declined",
}


def _log_read(request, referrals, action: str) -> None:
    """Referrals name members (and their cases): every page showing them is a PHI read."""
    audit_access_many(
        user=request.user,
        action=action,
        channel=Channel.STAFF,
        case_ids=[r.care_request_id for r in referrals if r.care_request_id],
        member_ids=[r.member_id for r in referrals],
    )


@role_required(*CARE_MANAGERS)
@require_GET
def queue(request):
    show = request.GET.get("show", "open")
    if show not in QUEUE_FILTERS:
        show = "open"
    rows = referral_queue(show=show)
    _log_read(request, rows, "caremgmt_queue")
    filters = [("open", "Open"), *ReferralStatus.choices, ("all", "All")]
    return render(request, "caremgmt/queue.html", {"rows": rows, "show": show, "filters": filters})


def _load(referral_id) -> object:
    try:
        return referral_get(referral_id=referral_id)
    except NotFound as exc:
        raise Http404 from exc


@role_required(*CARE_MANAGERS)
@require_GET
def detail(request, referral_id: uuid.UUID):
    referral = _load(referral_id)
    _log_read(request, [referral], "caremgmt_view")
    actions = [
        (t.name, ACTION_LABELS[t.name])
        for t in referral.get_available_user_status_transitions(request.user)
        if t.name in ACTIONS
    ]
    context = {
        "referral": referral,
        "history": referral_history(referral=referral),
        "actions": actions,
        "form": ReferralActionForm(),
    }
    return render(request, "caremgmt/detail.html", context)


@role_required(*CARE_MANAGERS)
@require_POST
def act(request, referral_id: uuid.UUID, action: str):
    referral = _load(referral_id)
    form = ReferralActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long (at most 500 characters).")
        return redirect("caremgmt:detail", referral_id=referral.pk)
    try:
        referral_transition(
            referral=referral, name=action, actor=request.user, note=form.cleaned_data["note"]
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("caremgmt:detail", referral_id=referral.pk)
    messages.success(request, f"{ACTION_LABELS[action]}: saved.")
    return redirect("caremgmt:detail", referral_id=referral.pk)


@role_required(*REFERRERS)
@require_POST
def refer(request, case_id: uuid.UUID):
    """Refer the case's member by hand; back to the case view with the outcome."""
    try:
        case = care_request_get_for_reviewer(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    form = ReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for the referral (at most 500 characters).")
        return redirect("review:case", case_id=case.pk)
    try:
        referral_create_by_hand(
            actor=request.user, care_request=case, reason=form.cleaned_data["reason"]
        )
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("review:case", case_id=case.pk)
    messages.success(request, "Referred to care management.")
    return redirect("review:case", case_id=case.pk)
