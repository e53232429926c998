"""Telling the provider's office that the plan needs information (a pended case): an e-mail to
the organisation's address, once, after the pend commits. Without it the office would learn of
a request for information only by opening the portal, while the decision clock keeps running.

The e-mail names the request's reference, the answer-by and decision-due times and a link to
the case in the portal — what is needed is clinical and stays behind the portal's sign-in (no
PHI in e-mail subjects or bodies here).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from um_portal.audit.services import audit_event

from ..models import InformationRequest


def information_request_notify_provider(*, information_request_id) -> bool:
    """E-mail the case's provider organisation about one request for information; True when
    sent now. Claimed with a conditional UPDATE so a repeated task sends nothing; a mail server
    error gives the claim back and re-raises, for the task's retry."""
    info = (
        InformationRequest.objects.select_related("care_request__provider_organization")
        .filter(pk=information_request_id)
        .first()
    )
    organization = info.care_request.provider_organization if info else None
    if info is None or organization is None or not organization.email:
        return False
    claimed_at = timezone.now()
    claimed = InformationRequest.objects.filter(
        pk=info.pk, provider_notified_at__isnull=True
    ).update(provider_notified_at=claimed_at)
    if not claimed:
        return False
    case = info.care_request
    body = render_to_string(
        "emails/information_requested.txt",
        {
            "reference": case.reference,
            "due_by": info.due_by,
            "decision_due": case.due_at,
            "zone": settings.TIME_ZONE,
            "link": settings.SITE_URL + reverse("portal:case", args=[case.pk]) + "#information",
        },
    )
    try:
        EmailMessage(
            subject=f"Information requested for prior authorization request {case.reference}",
            body=body,
            to=[organization.email],
        ).send()
    except Exception:
        InformationRequest.objects.filter(pk=info.pk, provider_notified_at=claimed_at).update(
            provider_notified_at=None
        )
        raise
    # The notice is part of the case's record: when the office was told, and where.
    audit_event(
        actor=None,
        action="information_request.provider_notified",
        case_id=case.pk,
        summary=f"Provider office e-mailed ({organization.email}) that information is needed.",
        data={"information_request": str(info.pk)},
    )
    return True
