"""Action endpoints call the same services as the UI; 403 for a role, 409 for a state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequestStatus, CaseNote, InformationRequest, StatusEvent
from intake.services.eligibility import eligibility_check_record
from tests.factories import make_case
from tests.portal.files import PDF

URL = "/api/v1/care-requests/{}/{}/"


def act(client, case, action, data=None):
    return client.post(URL.format(case.pk, action), data or {}, format="json")


@pytest.mark.django_db
def test_provider_withdraws_then_a_second_withdraw_is_a_409(api_for, provider_user, own_case):
    client = api_for(provider_user)
    response = act(client, own_case, "withdraw", {"reason": "Cancelled"})
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    before = StatusEvent.objects.count()
    again = act(client, own_case, "withdraw")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert StatusEvent.objects.count() == before


@pytest.mark.django_db
def test_provider_submits_a_draft(api_for, provider_user, organization, intake_specialist):
    draft = make_case(actor=intake_specialist, organization=organization, submit=False)
    response = act(api_for(provider_user), draft, "submit")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status != CareRequestStatus.DRAFT
    assert draft.received_at is not None


@pytest.mark.django_db
def test_provider_may_not_triage_403_and_nothing_changes(api_for, provider_user, own_case):
    before = StatusEvent.objects.count()
    response = act(api_for(provider_user), own_case, "triage")
    assert response.status_code == 403
    own_case.refresh_from_db()
    assert own_case.status == CareRequestStatus.SUBMITTED
    assert StatusEvent.objects.count() == before


@pytest.mark.django_db
def test_triage_of_a_pended_request_is_a_409(api_for, intake_specialist, own_case):
    due = (timezone.now() + timedelta(days=2)).isoformat()
    client = api_for(intake_specialist)
    act(client, own_case, "request-info", {"description": "Send notes", "due_by": due})
    before = StatusEvent.objects.count()
    response = act(client, own_case, "triage")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This action (triage) is not possible while the case is pending information."
    )
    assert StatusEvent.objects.count() == before


@pytest.mark.django_db
def test_intake_triages_an_eligible_complete_request(api_for, intake_specialist, own_case):
    eligibility_check_record(care_request=own_case, actor=intake_specialist)
    response = act(api_for(intake_specialist), own_case, "triage", {"note": "Complete"})
    assert response.status_code == 200
    assert response.json()["status"] == "nurse_review"


@pytest.mark.django_db
def test_request_info_then_provider_answers_through_the_api(
    api_for, intake_specialist, provider_user, own_case
):
    due = (timezone.now() + timedelta(days=2)).isoformat()
    pend = act(
        api_for(intake_specialist),
        own_case,
        "request-info",
        {"description": "Send therapy notes", "due_by": due},
    )
    assert pend.status_code == 200 and pend.json()["status"] == "pending_info"
    provider = api_for(provider_user)
    listed = provider.get(f"/api/v1/care-requests/{own_case.pk}/information-requests/").json()
    assert [i["description"] for i in listed] == ["Send therapy notes"]
    answer = act(provider, own_case, "info-response", {"response": "Notes attached"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "submitted"
    assert InformationRequest.objects.get().response == "Notes attached"


@pytest.mark.django_db
def test_request_info_with_a_past_due_date_is_a_400(api_for, intake_specialist, own_case):
    response = act(
        api_for(intake_specialist),
        own_case,
        "request-info",
        {"description": "x", "due_by": "2000-01-01T00:00:00Z"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"due_by": ["Choose a time in the future."]}


@pytest.mark.django_db
def test_void_needs_a_reason_and_the_right_role(api_for, intake_specialist, nurse, own_case):
    assert act(api_for(intake_specialist), own_case, "void").status_code == 400
    assert act(api_for(nurse), own_case, "void", {"reason": "dup"}).status_code == 403
    response = act(api_for(intake_specialist), own_case, "void", {"reason": "Duplicate"})
    assert response.status_code == 200 and response.json()["status"] == "voided"


@pytest.mark.django_db
def test_close_not_required(api_for, intake_specialist, own_case):
    response = act(api_for(intake_specialist), own_case, "close-not-required")
    assert response.status_code == 200
    assert response.json()["status"] == "closed_no_auth_required"
    assert response.json()["service_lines"][0]["decision"] == "not_required"


@pytest.mark.django_db
def test_documents_upload_list_download(api_for, provider_user, own_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_for(provider_user)
    url = f"/api/v1/care-requests/{own_case.pk}/documents/"
    upload = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    created = client.post(url, {"kind": "clinical_notes", "file": upload}, format="multipart")
    assert created.status_code == 201
    doc = created.json()
    assert (doc["original_name"], doc["content_type"], doc["size"]) == (
        "scan.pdf",
        "application/pdf",
        len(PDF),
    )
    assert [d["id"] for d in client.get(url).json()] == [doc["id"]]
    download = client.get(f"{url}{doc['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.django_db
def test_upload_of_a_non_pdf_is_a_400(api_for, provider_user, own_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/v1/care-requests/{own_case.pk}/documents/"
    bad = SimpleUploadedFile("x.pdf", b"hello", content_type="application/pdf")
    response = api_for(provider_user).post(url, {"kind": "other", "file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["x.pdf is not a PDF, PNG, JPEG or TIFF file."]}


@pytest.mark.django_db
def test_upload_to_a_closed_request_is_a_409(api_for, provider_user, intake_specialist, own_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    act(api_for(provider_user), own_case, "withdraw")
    url = f"/api/v1/care-requests/{own_case.pk}/documents/"
    upload = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    response = api_for(provider_user).post(
        url, {"kind": "other", "file": upload}, format="multipart"
    )
    assert response.status_code == 409


@pytest.mark.django_db
def test_providers_see_only_provider_visible_notes(
    api_for, provider_user, intake_specialist, own_case
):
    staff = api_for(intake_specialist)
    url = f"/api/v1/care-requests/{own_case.pk}/notes/"
    staff.post(url, {"body": "internal"}, format="json")
    staff.post(url, {"body": "for you", "visibility": "provider"}, format="json")
    provider = api_for(provider_user)
    assert [n["body"] for n in provider.get(url).json()] == ["for you"]
    # A provider's own note is always provider-visible, whatever they ask for.
    provider.post(url, {"body": "hello", "visibility": "internal"}, format="json")
    assert CaseNote.objects.get(body="hello").visibility == "provider"
    assert [n["body"] for n in staff.get(url).json()] == ["internal", "for you", "hello"]
