"""A director edits their own weekly availability and exceptions."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.lib.errors import DomainError

from ..forms import AvailabilityExceptionForm, AvailabilityRuleForm
from ..models import AvailabilityException, AvailabilityRule
from ..services import availability as services
from .common import apply_domain_error


@role_required(Role.DIRECTOR)
def availability(request):
    director = request.user
    rule_form = AvailabilityRuleForm(prefix="rule")
    exception_form = AvailabilityExceptionForm(prefix="exc")
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "rule":
                rule_form = AvailabilityRuleForm(request.POST, prefix="rule")
                if rule_form.is_valid():
                    services.availability_rule_create(
                        director=director, actor=request.user, **rule_form.cleaned_data
                    )
                    messages.success(request, "Weekly window added; your slots are updated.")
                    return redirect("scheduling:availability")
            elif which == "exception":
                exception_form = AvailabilityExceptionForm(request.POST, prefix="exc")
                if exception_form.is_valid():
                    data = dict(exception_form.cleaned_data)
                    services.availability_exception_create(
                        director=director, actor=request.user, day=data.pop("date"), **data
                    )
                    messages.success(request, "Exception added; your slots are updated.")
                    return redirect("scheduling:availability")
        except DomainError as error:
            form = rule_form if which == "rule" else exception_form
            status = apply_domain_error(request, form, error)
        else:
            status = 400  # an invalid form (or no form named)
    today = timezone.localdate()
    return render(
        request,
        "scheduling/availability.html",
        {
            "rules": AvailabilityRule.objects.filter(director=director).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=today)
            ),
            "exceptions": AvailabilityException.objects.filter(director=director, date__gte=today),
            "rule_form": rule_form,
            "exception_form": exception_form,
            "zone": director.time_zone,
        },
        status=status,
    )


@role_required(Role.DIRECTOR)
@require_POST
def availability_rule_delete(request, uid):
    rule = get_object_or_404(AvailabilityRule, uid=uid, director=request.user)
    services.availability_rule_delete(rule=rule, actor=request.user)
    messages.success(request, "Weekly window removed; unbooked slots in it are withdrawn.")
    return redirect("scheduling:availability")


@role_required(Role.DIRECTOR)
@require_POST
def availability_exception_delete(request, uid):
    exception = get_object_or_404(AvailabilityException, uid=uid, director=request.user)
    services.availability_exception_delete(exception=exception, actor=request.user)
    messages.success(request, "Exception removed; your slots are updated.")
    return redirect("scheduling:availability")
