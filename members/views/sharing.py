"""The member's data-sharing choices (CMS-0057-F Provider Access opt-out, Payer-to-Payer
opt-in): the member changes them on /member/sharing/, staff on the member's behalf."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake.models import Member
from um_portal.accounts.permissions import role_required
from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access_many

from ..forms import DataSharingForm
from ..models import DataSharingChoice
from ..services import INVITING_ROLES, data_sharing_set
from .own import member_required


def _initial(member) -> tuple[DataSharingChoice | None, dict]:
    choice = DataSharingChoice.objects.filter(member=member).first()
    if choice is None:
        return None, {"provider_access_opted_out": False, "payer_to_payer_opted_in": False}
    return choice, {
        "provider_access_opted_out": choice.provider_access_opted_out,
        "payer_to_payer_opted_in": choice.payer_to_payer_opted_in,
    }


def _page(request, member, *, template: str, channel: str, done_url: str):
    choice, initial = _initial(member)
    form = DataSharingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data_sharing_set(actor=request.user, member=member, **form.cleaned_data)
        messages.success(request, _("Your choices are saved."))
        return redirect(done_url)
    audit_access_many(
        user=request.user, action="data_sharing_view", channel=channel, member_ids=[member.pk]
    )
    return render(request, template, {"member": member, "form": form, "choice": choice})


@member_required
@require_http_methods(["GET", "POST"])
def own_sharing(request, member):
    return _page(
        request,
        member,
        template="members/sharing.html",
        channel=AccessLog.Channel.MEMBER,
        done_url="members:sharing",
    )


@role_required(*INVITING_ROLES)
@require_http_methods(["GET", "POST"])
def staff_sharing(request, member_id):
    member = get_object_or_404(Member, pk=member_id)
    return _page(
        request,
        member,
        template="members/staff_sharing.html",
        channel=AccessLog.Channel.STAFF,
        done_url=request.path,
    )
