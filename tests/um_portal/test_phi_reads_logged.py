"""Every read of PHI is logged (issue 15): lists, admin pages, FHIR answers, report case lists and
CSV exports write one access-log row per case they showed, in one INSERT; the UM manager reads
them back in the access report (the accounting of disclosures)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from intake.models import CareRequest
from review.models import Notification
from tests.factories import CoverageFactory, UserFactory, make_case
from tests.fhir.conftest import bundle_for, org_provider, pas_client, post  # noqa: F401
from tests.review.routing_support import case_in_review, make_queue, make_reviewer
from um_portal.accounts.roles import Role
from um_portal.audit.models import AccessLog


@pytest.fixture
def cases(intake_specialist, organization, other_organization):
    own = [make_case(actor=intake_specialist, organization=organization) for _ in range(3)]
    other = make_case(actor=intake_specialist, organization=other_organization)
    return own, other


def _api(user) -> APIClient:
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client


def _logged(**filters) -> list[tuple]:
    return sorted(
        (str(row.case_id), row.user_id, row.channel) for row in AccessLog.objects.filter(**filters)
    )


@pytest.mark.django_db
def test_the_api_list_logs_exactly_the_cases_it_returned(provider_user, cases):
    own, other = cases
    response = _api(provider_user).get("/api/v1/care-requests/")
    assert response.status_code == 200
    returned = [row["id"] for row in response.json()["results"]]
    assert sorted(returned) == sorted(str(c.pk) for c in own)
    assert _logged(action="api_list") == sorted((i, provider_user.pk, "api") for i in returned)


@pytest.mark.django_db
def test_the_api_list_logs_one_insert_per_page(provider_user, cases, django_assert_num_queries):
    client = _api(provider_user)
    client.get("/api/v1/care-requests/")
    # token + user, groups, permission ids, count, page, lines, diagnoses, access-log INSERT
    with django_assert_num_queries(8) as captured:
        client.get("/api/v1/care-requests/")
    inserts = [q for q in captured.captured_queries if "audit_accesslog" in q["sql"]]
    assert len(inserts) == 1


@pytest.mark.django_db
def test_staff_and_portal_lists_log_the_cases_they_showed(
    client_for, intake_specialist, provider_user, cases
):
    own, other = cases
    client_for(intake_specialist).get(reverse("intake:queue"))
    assert {c for c, _, _ in _logged(action="queue_list")} == {str(c.pk) for c in [*own, other]}
    client_for(provider_user).get(reverse("portal:home"))
    assert _logged(action="portal_list") == sorted(
        (str(c.pk), provider_user.pk, "portal") for c in own
    )


@pytest.mark.django_db
def test_admin_case_member_and_document_pages_log_their_reads(client, cases):
    own, _ = cases
    manager = UserFactory(roles=[Role.MANAGER], is_staff=True)
    client.force_login(manager)
    case = own[0]
    assert client.get(reverse("admin:intake_carerequest_changelist")).status_code == 200
    assert len(_logged(action="admin_list", channel="admin")) == 4
    assert client.get(reverse("admin:intake_carerequest_change", args=[case.pk])).status_code == 200
    assert _logged(action="admin_view") == [(str(case.pk), manager.pk, "admin")]
    member_url = reverse("admin:intake_member_change", args=[case.member_id])
    assert client.get(member_url).status_code == 200
    assert list(AccessLog.objects.filter(member_id=case.member_id).values_list("action")) == [
        ("admin_view",)
    ]
    assert client.get(reverse("admin:intake_document_changelist")).status_code == 200


@pytest.mark.django_db
def test_fhir_submit_and_inquire_answers_are_logged(pas_client, bundle_for):  # noqa: F811
    bundle = bundle_for(CoverageFactory(), identifier="PAS-LOG-1")
    assert post(pas_client, "/fhir/Claim/$submit", bundle).status_code == 200
    case = CareRequest.objects.get()
    assert post(pas_client, "/fhir/Claim/$inquire", bundle).status_code == 200
    assert sorted(AccessLog.objects.values_list("case_id", "action", "channel")) == [
        (case.pk, "fhir_inquire", "fhir"),
        (case.pk, "fhir_submit", "fhir"),
    ]


@pytest.mark.django_db
def test_the_access_report_shows_who_saw_a_members_data(
    client_for, manager, provider_user, intake_specialist, cases
):
    own, other = cases
    _api(provider_user).get("/api/v1/care-requests/")
    client_for(intake_specialist).get(reverse("intake:queue"))
    client = client_for(manager)
    member_number = own[0].coverage.member_number

    response = client.get(reverse("reports:access"), {"member_number": member_number})
    assert response.status_code == 200
    shown = [(r.user, r.channel, r.reference) for r in response.context["rows"]]
    assert sorted(shown) == sorted(
        [("intake", "Staff pages", own[0].reference), ("provider", "REST API", own[0].reference)]
    )
    only_api = client.get(
        reverse("reports:access"), {"member_number": member_number, "channel": "api"}
    )
    assert [r.user for r in only_api.context["rows"]] == ["provider"]
    by_user = client.get(reverse("reports:access"), {"username": "provider"})
    assert {r.case_id for r in by_user.context["rows"]} == {c.pk for c in own}

    export = client.get(reverse("reports:access_csv"), {"member_number": member_number})
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert lines[0] == ["at", "user", "channel", "action", "case", "member", "case id"]
    # The member's reads, and the manager's own reads of them on the report's pages above.
    assert sorted((line[1], line[2]) for line in lines[1:] if line[1] != "manager") == [
        ("intake", "Staff pages"),
        ("provider", "REST API"),
    ]
    assert {line[2] for line in lines[1:] if line[1] == "manager"} == {"Reports"}
    # Reading the report is itself logged.
    assert AccessLog.objects.filter(user=manager, action="export_access_report").count() == 1


@pytest.mark.django_db
def test_the_access_report_refuses_bad_filters_and_other_roles(client_for, manager, nurse):
    response = client_for(manager).get(
        reverse("reports:access"), {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400
    assert client_for(nurse).get(reverse("reports:access")).status_code == 403


@pytest.mark.django_db
def test_the_api_document_note_and_information_request_lists_log_the_case(provider_user, cases):
    own, _ = cases
    client = _api(provider_user)
    base = f"/api/v1/care-requests/{own[0].pk}"
    for suffix in ("documents/", "notes/", "information-requests/"):
        assert client.get(f"{base}/{suffix}").status_code == 200
    assert sorted(AccessLog.objects.values_list("case_id", "action", "channel")) == [
        (own[0].pk, "api_documents", "api"),
        (own[0].pk, "api_information_requests", "api"),
        (own[0].pk, "api_notes", "api"),
    ]


@pytest.mark.django_db
def test_the_notification_list_logs_the_cases_it_names(client_for, nurse, cases):
    own, other = cases
    for case in (own[0], other):
        Notification.objects.create(
            user=nurse,
            care_request=case,
            kind="at_risk",
            due_at=case.received_at + dt.timedelta(days=1),
            message=f"Case {case.reference} is at risk.",
        )
    assert client_for(nurse).get(reverse("review:notifications")).status_code == 200
    assert _logged(action="notification_list") == sorted(
        (str(c.pk), nurse.pk, "staff") for c in (own[0], other)
    )


@pytest.mark.django_db
def test_get_next_leads_to_the_case_page_which_logs_the_read(client_for, intake_specialist):
    queue = make_queue("imaging")
    reviewer = make_reviewer(queues=[queue], username="holder")
    case = case_in_review(intake_specialist)
    response = client_for(reviewer).post(reverse("review:get_next"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("review:case", args=[case.pk])
    assert list(AccessLog.objects.filter(user=reviewer).values_list("case_id", flat=True)) == [
        case.pk
    ]
