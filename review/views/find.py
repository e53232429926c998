"""The staff header's "find a case by reference" box: the case page of the searcher's own
workspace, or a friendly "not found" (404) for a reference the searcher may not open."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from intake.selectors import care_request_get_by_reference
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import CLINICAL_ROLES, STAFF_ROLES

from ..selectors.cases import care_request_get_by_reference_for_reviewer


@role_required(*STAFF_ROLES)
def case_find(request: HttpRequest) -> HttpResponse:
    reference = request.GET.get("ref", "").strip().upper()[:20]
    if request.user.role_names & CLINICAL_ROLES:
        case = care_request_get_by_reference_for_reviewer(user=request.user, reference=reference)
        if case is not None:
            return redirect("review:case", case_id=case.pk)
    case = care_request_get_by_reference(user=request.user, reference=reference)
    if case is not None:
        return redirect("intake:case", pk=case.pk)
    return render(request, "review/case_not_found.html", {"reference": reference}, status=404)
