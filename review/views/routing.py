"""Routing actions: "get next case" and reassignment (POST only)."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from intake.models import CareRequest
from um_portal.accounts.models import User
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from ..services.routing import case_get_next, case_reassign


@role_required(Role.NURSE, Role.DIRECTOR)
@require_POST
def get_next(request):
    """Hand the reviewer the most urgent case they may take, or say there is none."""
    case = case_get_next(reviewer=request.user)
    if case is None:
        messages.info(request, "No case is waiting for you.")
        return redirect("review:dashboard")
    return redirect(reverse("review:case", args=[case.pk]))


@role_required(Role.NURSE, Role.DIRECTOR, Role.MANAGER)
@require_POST
def reassign(request, pk):
    """Give the case to the reviewer named by the `to` field (a user's UUID)."""
    case = get_object_or_404(CareRequest.objects.select_related("queue"), pk=pk)
    try:
        to_id = uuid.UUID(request.POST.get("to", "").strip())
    except ValueError:
        to_id = None  # no choice, or not a user's UUID: the service says what is wrong
    to_user = User.objects.filter(pk=to_id, is_active=True).first() if to_id else None
    # Back to the page the form was on: the review case view (a lead) or intake's (a manager).
    page = "intake:case" if request.POST.get("back") == "intake" else "review:case"
    try:
        case_reassign(case=case, to_user=to_user, by=request.user)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except (ValidationFailed, InvalidTransition) as exc:
        messages.error(request, exc.message)
        return redirect(reverse(page, args=[case.pk]))
    messages.success(request, f"Case {case.reference} reassigned to {to_user.display_name}.")
    return redirect(reverse(page, args=[case.pk]))
