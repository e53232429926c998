"""Workflow action endpoint of the intake case page.

The page offers only what `available_actions` returns; the services check again and refuse the
rest (NotPermitted, InvalidTransition), so a forged POST changes nothing.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from um_portal.accounts.permissions import role_required
from um_portal.lib.errors import DomainError
from um_portal.lib.http import report_domain_error

from ..models import CareRequest
from ..selectors import INTAKE_READERS
from .action_specs import ACTIONS
from .case import get_case_or_404, render_case


@role_required(*INTAKE_READERS)
@require_POST
def case_action(request: HttpRequest, pk, action: str) -> HttpResponse:
    """Run one workflow action; on refusal show why and change nothing."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case: CareRequest = get_case_or_404(request, pk)
    form = spec.form_class(request.POST, prefix=action)
    status = 400
    if form.is_valid():
        try:
            spec.run(case=case, actor=request.user, data=form.cleaned_data, form=form)
        except DomainError as error:
            status = report_domain_error(request, error, form, field_map=spec.field_map)
        else:
            messages.success(request, spec.done)
            return redirect("intake:case", pk=case.pk)
    # Show the page as it is now (nothing was written) with the form and its errors.
    return render_case(request, get_case_or_404(request, pk), forms={action: form}, status=status)
