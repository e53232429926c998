"""The staff side of a case's peer-to-peer: offer and booking (nurse), the call (director)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access
from um_portal.lib.errors import DomainError

from ..forms import BookingForm, CallRecordForm, CancelForm, RescheduleForm
from ..ics import build_invite
from ..models import PeerToPeer
from ..selectors import (
    DENIAL_STATUSES,
    call_tolerance,
    case_for_staff,
    free_slots,
    p2p_case_summary,
    p2p_get_for_user,
)
from ..services.booking import p2p_book
from ..services.booking import p2p_cancel as cancel_service
from ..services.booking import p2p_reschedule as move
from ..services.calls import peer_to_peer_record_outcome
from ..services.offers import offer_horizon, p2p_offer_slots
from .common import apply_domain_error

STAFF = (Role.NURSE, Role.DIRECTOR)


def _contact_initial(case) -> dict:
    org = case.provider_organization
    return {
        "contact_name": case.requesting_provider.name,
        "contact_phone": case.requesting_provider.phone or (org.phone if org else ""),
        "contact_email": org.email if org else "",
    }


@role_required(*STAFF)
def case(request, case_id):
    """The case's peer-to-peer page: the offer, the booking, the calls and their history."""
    care_request = case_for_staff(user=request.user, case_id=case_id)
    audit_access(user=request.user, case_id=care_request.pk, action="view_p2p")
    summary = p2p_case_summary(case=care_request, now=timezone.now())
    return render(request, "scheduling/case.html", {"case": care_request, "p2p": summary})


@role_required(*STAFF)
def book(request, case_id):
    """A nurse (or director) books a slot from the offer for a denied case."""
    care_request = case_for_staff(user=request.user, case_id=case_id)
    if care_request.status not in DENIAL_STATUSES:
        messages.error(request, "A peer-to-peer is offered only after a denial.")
        return redirect("scheduling:case", care_request.pk)
    summary = p2p_case_summary(case=care_request, now=timezone.now())
    if summary.active is not None:
        messages.info(request, "This case already has a peer-to-peer booked.")
        return redirect("scheduling:p2p", summary.active.pk)
    return _booking_page(request, care_request, template="scheduling/book.html")


def _booking_page(request, care_request, *, template: str, extra: dict | None = None):
    """Shared by the nurse's booking page and the provider's request page."""
    now = timezone.now()
    offer = p2p_offer_slots(case=care_request, now=now)
    slots_qs = free_slots(now=now, until=now + offer_horizon())
    status = 200
    if request.method == "POST":
        form = BookingForm(request.POST, slots=slots_qs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                p2p = p2p_book(
                    case=care_request,
                    slot=data["slot"],
                    actor=request.user,
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                    now=now,
                )
            except DomainError as error:
                status = apply_domain_error(request, form, error)
            else:
                messages.success(request, "Peer-to-peer booked; both sides get a calendar invite.")
                if request.user.is_provider:
                    return redirect("scheduling:portal_request", care_request.pk)
                return redirect("scheduling:p2p", p2p.pk)
        else:
            status = 400
        offer = p2p_offer_slots(case=care_request, now=now)
    else:
        initial = _contact_initial(care_request)
        if offer.earliest is not None:
            initial["slot"] = offer.earliest.pk
        form = BookingForm(initial=initial, slots=slots_qs)
    context = {"case": care_request, "offer": offer, "form": form, **(extra or {})}
    return render(request, template, context, status=status)


@role_required(*STAFF)
def p2p_detail(request, p2p_id):
    """The director conducts the call here and records it; nurses see it read-only."""
    p2p = p2p_get_for_user(user=request.user, p2p_id=p2p_id)
    audit_access(user=request.user, case_id=p2p.care_request_id, action="view_p2p")
    may_record = request.user.has_role(Role.DIRECTOR) and p2p.is_active
    form = None
    status = 200
    if may_record:
        form = CallRecordForm(
            request.POST or None,
            slot=p2p.slot,
            tolerance_minutes=int(call_tolerance().total_seconds() // 60),
        )
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                peer_to_peer_record_outcome(p2p=p2p, director=request.user, **form.cleaned_data)
            except DomainError as error:
                status = apply_domain_error(request, form, error)
            else:
                if form.cleaned_data["decision"] == PeerToPeer.Outcome.RECONSIDER:
                    messages.success(request, "Call recorded; the case is reopened for you.")
                    return redirect("determinations:decide", p2p.care_request_id)
                messages.success(request, "Call recorded.")
                return redirect("scheduling:p2p", p2p.pk)
        else:
            status = 400
    return render(
        request,
        "scheduling/p2p.html",
        {
            "p2p": p2p,
            "case": p2p.care_request,
            "form": form,
            "cancel_form": CancelForm(),
        },
        status=status,
    )


@role_required(*STAFF)
def p2p_reschedule(request, p2p_id):
    p2p = p2p_get_for_user(user=request.user, p2p_id=p2p_id)
    now = timezone.now()
    slots_qs = free_slots(now=now, until=now + offer_horizon())
    status = 200
    form = RescheduleForm(request.POST or None, slots=slots_qs)
    if request.method == "POST":
        if form.is_valid():
            try:
                move(p2p=p2p, slot=form.cleaned_data["slot"], actor=request.user, now=now)
            except DomainError as error:
                status = apply_domain_error(request, form, error)
            else:
                messages.success(request, "Peer-to-peer moved; both sides get an updated invite.")
                return redirect("scheduling:p2p", p2p.pk)
        else:
            status = 400
    return render(
        request,
        "scheduling/reschedule.html",
        {"p2p": p2p, "case": p2p.care_request, "form": form},
        status=status,
    )


@role_required(*STAFF)
@require_POST
def p2p_cancel(request, p2p_id):
    p2p = p2p_get_for_user(user=request.user, p2p_id=p2p_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        cancel_service(p2p=p2p, actor=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Peer-to-peer cancelled; both sides get a cancellation.")
    return redirect("scheduling:p2p", p2p.pk)


@role_required(*STAFF, Role.PROVIDER)
def p2p_invite(request, p2p_id):
    """Download the booking's calendar file (staff, or the case's own provider)."""
    p2p = p2p_get_for_user(user=request.user, p2p_id=p2p_id)
    if p2p.slot_id is None:
        raise Http404
    # The invite names the member: a read of the case like the booking page.
    audit_access(
        user=request.user, case_id=p2p.care_request_id, action="p2p_invite", object_id=str(p2p.pk)
    )
    response = HttpResponse(build_invite(p2p), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="p2p-{p2p.care_request.reference}.ics"'
    return response
