"""The member's own pages: phone first, English or Spanish, only their own requests."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake.models.care_request import DECIDED_STATUSES
from quality.selectors.feedback import feedback_for_member
from quality.services.feedback import member_feedback_submit
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access, audit_access_many
from um_portal.lib.errors import DomainError
from um_portal.lib.http import case_file_response, report_domain_error

from ..forms import JoinForm, MemberAppealForm, MemberFeedbackForm
from ..selectors import (
    member_account_for,
    member_appeals,
    member_decision,
    member_letter_get,
    member_letters,
    member_request_get,
    member_requests,
)
from ..services import (
    Acceptance,
    invitation_for_token,
    member_appeal_file,
    member_invitation_accept,
)

CHANNEL = AccessLog.Channel.MEMBER


def member_required(view):
    """A signed-in member with an account linked to a member record; anyone else is refused."""

    @role_required(Role.MEMBER)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        account = member_account_for(request.user)
        if account is None:
            raise PermissionDenied
        return view(request, account.member, *args, **kwargs)

    wrapped.required_roles = (Role.MEMBER,)
    return wrapped


@require_http_methods(["GET", "POST"])
def join(request, token):
    """The invitation link: identity first (member ID and birth date), then the sign-in. Shows
    nothing about the member before the identity matches."""
    if invitation_for_token(token) is None:
        return render(request, "members/join_unusable.html", status=404)
    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = member_invitation_accept(
                    token=token,
                    answer=Acceptance(
                        member_number=data["member_number"],
                        birth_date=data["birth_date"],
                        username=data["username"],
                        password=data["password"],
                    ),
                )
            except DomainError as error:
                status = report_domain_error(request, error, form)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("members:home")
        else:
            status = 400
    return render(request, "members/join.html", {"form": form}, status=status)


@member_required
def home(request, member):
    cases = member_requests(member)
    audit_access_many(
        user=request.user,
        action="member_list",
        channel=CHANNEL,
        case_ids=[c.pk for c in cases],
        member_ids=[member.pk],
    )
    return render(request, "members/home.html", {"member": member, "cases": cases})


@member_required
def request_detail(request, member, care_request_id):
    case = member_request_get(member, care_request_id)
    audit_access(user=request.user, case_id=case.pk, action="member_view", channel=CHANNEL)
    return render(request, "members/request.html", _detail_context(case))


def _detail_context(case, form=None, feedback_form=None) -> dict:
    decision = member_decision(case)
    appeals = member_appeals(case)
    open_appeal = next((a for a in appeals if a.is_open), None)
    return {
        "feedback": feedback_for_member(care_request_id=case.pk, member_id=case.member_id),
        "can_rate": case.status in DECIDED_STATUSES,
        "feedback_form": feedback_form or MemberFeedbackForm(),
        "case": case,
        "decision": decision,
        "letters": member_letters(case),
        "appeals": appeals,
        "can_appeal": bool(decision and decision["appeal_by"]) and open_appeal is None,
        "form": form or MemberAppealForm(),
    }


@member_required
@require_http_methods(["POST"])
def appeal(request, member, care_request_id):
    case = member_request_get(member, care_request_id)
    form = MemberAppealForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            filed = member_appeal_file(
                actor=request.user, care_request=case, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            status = report_domain_error(request, error, form)
        else:
            messages.success(
                request,
                _("Your appeal %(reference)s was received. We will write to you with the answer.")
                % {"reference": filed.reference},
            )
            return redirect("members:request", care_request_id=case.pk)
    audit_access(user=request.user, case_id=case.pk, action="member_view", channel=CHANNEL)
    return render(request, "members/request.html", _detail_context(case, form), status=status)


@member_required
@require_http_methods(["POST"])
def feedback(request, member, care_request_id):
    """The member rates how their decided request was handled (quality's feedback, once)."""
    case = member_request_get(member, care_request_id)
    form = MemberFeedbackForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            member_feedback_submit(
                actor=request.user,
                care_request=case,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            status = report_domain_error(request, error, form)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("members:request", care_request_id=case.pk)
    audit_access(user=request.user, case_id=case.pk, action="member_view", channel=CHANNEL)
    context = _detail_context(case, feedback_form=form)
    return render(request, "members/request.html", context, status=status)


@member_required
def letter_pdf(request, member, letter_id):
    letter = member_letter_get(member, letter_id)
    case = letter.case
    return case_file_response(
        user=request.user,
        case_id=case.pk,
        stored_file=letter.pdf,
        filename=f"letter-{case.reference}.pdf",
        content_type="application/pdf",
        action="member_letter_download",
        object_id=str(letter.pk),
    )
