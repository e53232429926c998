"""The documented clock extension (DESIGN §5). The review and intake case pages offer the form;
this view owns the action for both, because the clocks belong to review and intake may not
depend on review. Its own page shows the form again with the errors."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import STAFF_ROLES
from um_portal.lib.errors import DomainError, NotFound

from ..forms import ClockExtensionForm
from ..selectors.clock import (
    care_request_get_for_clock,
    clock_extension_for,
    clock_extension_rule,
    clock_for,
)
from ..services.clocks import care_request_extend, care_request_may_extend, extension_refusal
from .common import case_page_url, form_errors_from, raise_for_access


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def clock_extend(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    try:
        case = care_request_get_for_clock(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc
    back = request.POST.get("back") or request.GET.get("back") or ""
    back_url = case_page_url(request.user, case.pk, prefer=back)
    status = 200
    rule = clock_extension_rule(case)
    if request.method == "GET":
        form = ClockExtensionForm(rule=rule)
    else:
        form = ClockExtensionForm(request.POST, rule=rule)
        status = 400
        if form.is_valid():
            try:
                extended = care_request_extend(
                    case=case,
                    actor=request.user,
                    days=form.cleaned_data["days"],
                    reason=form.reason_text(),
                )
            except DomainError as exc:
                raise_for_access(exc)
                form_errors_from(form, exc)
                status = exc.status_code
                case.refresh_from_db()  # as it is now: perhaps someone else extended it
            else:
                days = form.cleaned_data["days"]
                messages.success(
                    request,
                    f"Clock extended by {days} day{'s' if days != 1 else ''}; "
                    f"{clock_for(extended).label}.",
                )
                return redirect(back_url)
    context = {
        "case": case,
        "back": back,
        "back_url": back_url,
        "clock": clock_for(case),
        "extension": clock_extension_for(case),
        "may_extend": care_request_may_extend(case=case, user=request.user),
        "refusal": extension_refusal(case) or "",
        "rule": rule,
        "form": form,
    }
    return render(request, "review/clock_extend.html", context, status=status)
