"""Helpers shared by the case page tests."""

from django.urls import reverse

from intake.models import (
    CareRequest,
    CaseNote,
    Document,
    EligibilityCheck,
    InformationRequest,
    StatusEvent,
)
from um_portal.audit.models import AuditEvent

STAFF_ONLY = ["nurse", "director", "provider", "outsider"]


def case_url(case):
    return reverse("intake:case", args=[case.pk])


def action_url(case, action):
    return reverse("intake:action", args=[case.pk, action])


def snapshot(case) -> tuple:
    """Everything an action could write, to prove a refused one wrote nothing."""
    fresh = CareRequest.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.pended_from,
        fresh.eligibility_status,
        StatusEvent.objects.count(),
        InformationRequest.objects.count(),
        EligibilityCheck.objects.count(),
        CaseNote.objects.count(),
        Document.objects.count(),
        AuditEvent.objects.count(),
    )


def offered_actions(response) -> list[str]:
    return [a["name"] for a in response.context["actions"]]
