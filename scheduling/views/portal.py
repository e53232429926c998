"""The provider's side: request a peer-to-peer for their organisation's denied case."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access

from ..models import PeerToPeer
from ..selectors import DENIAL_STATUSES, case_for_provider, denial_at, request_window_days
from .cases import _booking_page
from .common import in_user_zone


@role_required(Role.PROVIDER)
@in_user_zone
def portal_request(request, case_id):
    """Within the window after a denial, the case's provider chooses from the offered slots.
    Another organisation's case answers 404."""
    care_request = case_for_provider(user=request.user, case_id=case_id)
    audit_access(user=request.user, case_id=care_request.pk, action="view_p2p")
    active = (
        PeerToPeer.objects.filter(care_request=care_request, status__in=("requested", "scheduled"))
        .select_related("slot__director")
        .first()
    )
    denied = denial_at(care_request)
    window = timedelta(days=request_window_days())
    open_until = denied + window if denied else None
    context = {
        "case": care_request,
        "active": active,
        "open_until": open_until,
        "window_days": window.days,
        "body_class": "portal",
    }
    can_request = (
        active is None
        and care_request.status in DENIAL_STATUSES
        and open_until is not None
        and timezone.now() <= open_until
    )
    if not can_request:
        status = 200 if request.method == "GET" else 409
        return render(request, "scheduling/portal_request.html", context, status=status)
    return _booking_page(
        request, care_request, template="scheduling/portal_request.html", extra=context
    )
