"""Intake and the UM manager invite a member to sign in (the plan hands the link over by mail
or by phone; it is shown once)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from intake.models import Member
from um_portal.accounts.permissions import role_required
from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access_many
from um_portal.lib.errors import DomainError
from um_portal.lib.http import report_domain_error

from ..models import INVITATION_DAYS, MemberInvitation
from ..services import INVITING_ROLES, invitation_url, member_invite

SEARCH_LIMIT = 20


@role_required(*INVITING_ROLES)
@require_http_methods(["GET"])
def invitations(request):
    """Find a member (member ID, or last name) and see their sign-in state."""
    query = (request.GET.get("q") or "").strip()[:60]
    members = []
    if query:
        members = list(
            Member.objects.filter(
                Q(coverages__member_number__iexact=query) | Q(last_name__iexact=query)
            )
            .distinct()
            .prefetch_related("coverages", "accounts", "invitations")[:SEARCH_LIMIT]
        )
    recent = list(MemberInvitation.objects.select_related("member", "created_by")[:10])
    # Both lists name members: one access-log row per member shown.
    audit_access_many(
        user=request.user,
        action="member_search",
        channel=AccessLog.Channel.STAFF,
        member_ids=[m.pk for m in members] + [i.member_id for i in recent],
    )
    return render(
        request,
        "members/invitations.html",
        {"query": query, "members": members, "recent": recent, "invitation_days": INVITATION_DAYS},
    )


@role_required(*INVITING_ROLES)
@require_POST
def invite(request, member_id):
    member = get_object_or_404(Member, pk=member_id)
    try:
        invitation, token = member_invite(actor=request.user, member=member)
    except DomainError as error:
        status = report_domain_error(request, error)
        return render(request, "members/invitations.html", {"members": []}, status=status)
    return render(
        request,
        "members/invited.html",
        {"member": member, "invitation": invitation, "link": invitation_url(token)},
    )
