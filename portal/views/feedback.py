"""The provider rates a decided request from its case page (quality records it)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from quality.forms_feedback import FeedbackForm
from quality.services.feedback import feedback_submit
from um_portal.lib.errors import DomainError, NotFound

from .common import get_case, provider_required


@provider_required
@require_POST
def feedback_submit_view(request, care_request_id):
    case = get_case(request, care_request_id)  # another organisation's case: 404
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Choose a rating from 1 to 5; a comment has at most 1000 characters."
        )
        return redirect("portal:case", care_request_id=case.pk)
    try:
        feedback_submit(
            actor=request.user,
            care_request=case,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:case", care_request_id=case.pk)
    messages.success(request, "Thank you for your rating.")
    return redirect("portal:case", care_request_id=case.pk)
