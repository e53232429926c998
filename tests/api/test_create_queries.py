"""REST create (POST /api/v1/care-requests/) costs a fixed number of queries however many lines
the request has: the lines, their checklist and the rules at receipt are written in bulk, and
the reference data comes from the per-process snapshot (intake/rules/reference.py)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import CareRequest, CareRequestStatus
from intake.rules import reference
from tests.api.test_care_requests import URL, payload

IMAGING = ["72148", "72141", "73721", "70553", "74177", "70551", "72146", "73221", "74176", "71250"]

# Token authentication and the user's groups; the member, plan and providers; the case with its
# lines, diagnoses and checklist, the organisation's grant and audit event; receiving it (lock,
# transition, status event, clock) and the rules at receipt (case, lines, checklist, duplicates,
# evaluation); the case read back for the answer with its lines. No rule matches here, so the
# case is left for intake.
CREATE_QUERIES = 31


def _lines(count: int) -> list[dict]:
    start = timezone.localdate() + timedelta(days=3)
    return [
        {
            "code_system": "cpt",
            "code": code,
            "units": 1,
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=10)).isoformat(),
        }
        for code in IMAGING[:count]
    ]


def _create(client, coverage, provider, lines: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL, payload(coverage, provider, lines=_lines(lines)), format="json")
    assert response.status_code == 201, response.json()
    return len(captured)


@pytest.mark.django_db
def test_a_rest_create_costs_the_same_for_one_line_or_ten(
    api_for, provider_user, coverage, org_provider
):
    # Per-process caches a running server has warm: content types and the reference snapshot.
    ContentType.objects.get_for_model(CareRequest)
    reference.snapshot()
    client = api_for(provider_user)
    one = _create(client, coverage, org_provider, 1)
    CareRequest.objects.update(status=CareRequestStatus.WITHDRAWN)  # no duplicate of the first
    ten = _create(client, coverage, org_provider, 10)
    assert (one, ten) == (CREATE_QUERIES, CREATE_QUERIES)
    assert CareRequest.objects.get(status=CareRequestStatus.SUBMITTED).service_lines.count() == 10
