"""The provider's side: request a peer-to-peer for their organisation's denied case, then cancel
the call or move it to another offered time.

Every case is found through `case_for_provider` (the organisation's `change` grant), so another
organisation's case answers 404 at each URL here. The booking services decide what is allowed;
these views only offer it and show the services' refusals on the form.
"""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access
from um_portal.lib.errors import DomainError

from ..forms import PortalCancelForm, RescheduleForm
from ..selectors import (
    DENIAL_STATUSES,
    case_for_provider,
    denial_at,
    free_slots,
    p2p_active_for_case,
    p2p_for_provider,
    p2p_provider_may_change,
    request_window_days,
)
from ..services.booking import CALL_HAS_PASSED, p2p_cancel, p2p_reschedule
from ..services.offers import offer_horizon
from .cases import _booking_page
from .common import apply_domain_error

TEMPLATE = "scheduling/portal_request.html"
# As many times as the booking offer lists (services.offers.p2p_offer_slots).
MOVE_CHOICES = 60


def _move_slots(now):
    return free_slots(now=now, until=now + offer_horizon())


def _page_context(care_request, *, now) -> dict:
    """The P2P page's facts: the request window and, when a call stands that the provider may
    still change, the forms to cancel or move it."""
    denied = denial_at(care_request)
    window = timedelta(days=request_window_days())
    active = p2p_active_for_case(case=care_request)
    context = {
        "case": care_request,
        "active": active,
        "open_until": denied + window if denied else None,
        "window_days": window.days,
        "nav": "requests",
    }
    if active is not None and p2p_provider_may_change(active, now=now):
        move_form = RescheduleForm(slots=_move_slots(now))
        context.update(
            may_change=True,
            move_form=move_form,
            move_slots=list(move_form.fields["slot"].queryset[:MOVE_CHOICES]),
            cancel_form=PortalCancelForm(),
        )
    return context


@role_required(Role.PROVIDER)
def portal_request(request, case_id):
    """Within the window after a denial, the case's provider chooses from the offered slots; once
    booked, the page shows the call with "Cancel the call" and "Choose another time"."""
    care_request = case_for_provider(user=request.user, case_id=case_id)
    audit_access(user=request.user, case_id=care_request.pk, action="view_p2p")
    now = timezone.now()
    context = _page_context(care_request, now=now)
    open_until = context["open_until"]
    can_request = (
        context["active"] is None
        and care_request.status in DENIAL_STATUSES
        and open_until is not None
        and now <= open_until
    )
    if not can_request:
        status = 200 if request.method == "GET" else 409
        return render(request, TEMPLATE, context, status=status)
    return _booking_page(request, care_request, template=TEMPLATE, extra=context)


def _refused(request, p2p, *, form, error: DomainError | None):
    """Show the page again with what went wrong; nothing was changed. The message sits on the
    submitted form while that form is still offered for this call; otherwise (the call has
    started, or was completed or cancelled meanwhile) it heads the page."""
    care_request = p2p.care_request
    audit_access(user=request.user, case_id=care_request.pk, action="view_p2p")
    context = _page_context(care_request, now=timezone.now())
    active = context["active"]
    if context.get("may_change") and active.pk == p2p.pk:
        if error is not None:
            apply_domain_error(request, form, error)
        context["move_form" if isinstance(form, RescheduleForm) else "cancel_form"] = form
    elif error is not None:
        context["alert"] = error.message
    elif active is None or active.pk != p2p.pk:
        context["alert"] = "This call is no longer booked. Nothing was changed."
    else:
        context["alert"] = CALL_HAS_PASSED
    status = error.status_code if error is not None else 400
    return render(request, TEMPLATE, context, status=status)


@role_required(Role.PROVIDER)
@require_POST
def portal_cancel(request, case_id, p2p_id):
    """The case's provider calls off their booked call, with a short reason."""
    p2p = p2p_for_provider(user=request.user, case_id=case_id, p2p_id=p2p_id)
    form = PortalCancelForm(request.POST)
    if not form.is_valid():
        return _refused(request, p2p, form=form, error=None)
    try:
        p2p_cancel(p2p=p2p, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        return _refused(request, p2p, form=form, error=error)
    messages.success(
        request, "The call is cancelled; you and the medical director get a calendar cancellation."
    )
    return redirect("scheduling:portal_request", p2p.care_request_id)


@role_required(Role.PROVIDER)
@require_POST
def portal_reschedule(request, case_id, p2p_id):
    """The case's provider moves their booked call to another of the offered free times."""
    p2p = p2p_for_provider(user=request.user, case_id=case_id, p2p_id=p2p_id)
    now = timezone.now()
    form = RescheduleForm(request.POST, slots=_move_slots(now))
    if not form.is_valid():
        return _refused(request, p2p, form=form, error=None)
    try:
        p2p_reschedule(p2p=p2p, slot=form.cleaned_data["slot"], actor=request.user, now=now)
    except DomainError as error:
        return _refused(request, p2p, form=form, error=error)
    messages.success(
        request, "The call is moved; you and the medical director get an updated calendar invite."
    )
    return redirect("scheduling:portal_request", p2p.care_request_id)
