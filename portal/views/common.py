from datetime import date
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from intake.apis.selectors import care_request_get_for_user, user_is_provider
from intake.models import CareRequest
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.lib.errors import NotFound, NotPermitted


def provider_required(view):
    """A provider user attached to an organisation; anyone else is refused (deny by default)."""

    @role_required(Role.PROVIDER)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not user_is_provider(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.required_roles = (Role.PROVIDER,)
    return wrapped


def get_case(request, care_request_id) -> CareRequest:
    """A case granted to the user's organisation, or 404 — never 403, so another's case is not
    revealed. A POST acts on the case, so it needs the `change` grant as well (403 without)."""
    perm = "view" if request.method in ("GET", "HEAD") else "change"
    try:
        return care_request_get_for_user(request.user, care_request_id, perm=perm)
    except NotFound as exc:
        raise Http404 from exc
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from exc


NEXT_STEPS = {
    "draft": "Finish and submit the request",
    "submitted": "Received: intake is checking it",
    "pending_info": "Send the information we asked for",
    "nurse_review": "In clinical review",
    "md_review": "With a physician reviewer",
    "approved": "Approved: use the authorization number",
    "partially_approved": "Read the decision letter. For the services not approved you may "
    "ask for a peer-to-peer call with the physician reviewer, and you may appeal{by}; the letter "
    "says how",
    "denied": "Read the decision letter. You may ask for a peer-to-peer call with the physician "
    "reviewer, and you may appeal{by}; the letter says how",
    "withdrawn": "Withdrawn: nothing to do",
    "closed_no_auth_required": "No authorization needed: nothing to do",
    "voided": "Voided: nothing to do",
}


def next_step(care_request: CareRequest, *, appeal_by: date | None = None) -> str:
    """What the provider does next; after an adverse decision, the P2P and the appeal (with
    its deadline when the caller knows it: the list page does not look it up per row)."""
    by = f" until {appeal_by:%Y-%m-%d}" if appeal_by else " by the deadline in the letter"
    return NEXT_STEPS.get(care_request.status, "").format(by=by)
