"""The provider's case page: notes, requests for information, withdraw, downloads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake.models import CareRequestStatus, CaseNote, Document, InformationRequest, StatusEvent
from intake.services.notes import case_note_add
from tests.portal.files import PDF


@pytest.mark.django_db
def test_case_page_shows_provider_notes_but_never_internal_ones(
    client_for, provider_user, own_case, intake_specialist
):
    case_note_add(
        care_request=own_case,
        author=intake_specialist,
        body="Staff-only remark",
        visibility=CaseNote.Visibility.INTERNAL,
    )
    case_note_add(
        care_request=own_case,
        author=intake_specialist,
        body="Please call us",
        visibility=CaseNote.Visibility.PROVIDER,
    )
    body = client_for(provider_user).get(reverse("portal:case", args=[own_case.pk])).content
    body = body.decode()
    assert "Please call us" in body
    assert "Staff-only remark" not in body
    assert 'id="letters"' in body and 'id="p2p"' in body


@pytest.mark.django_db
def test_letters_section_says_no_letters_yet(client_for, provider_user, own_case):
    body = client_for(provider_user).get(reverse("portal:case", args=[own_case.pk])).content
    assert "No letters yet." in body.decode()


@pytest.mark.django_db
def test_provider_answers_a_request_for_information_with_text_and_a_document(
    client_for, provider_user, pended_case
):
    assert pended_case.status == CareRequestStatus.PENDING_INFO
    client = client_for(provider_user)
    page = client.get(reverse("portal:case", args=[pended_case.pk])).content.decode()
    assert "Send the physical therapy notes." in page
    response = client.post(
        reverse("portal:info_response", args=[pended_case.pk]),
        {
            "response": "Therapy notes attached.",
            "kind": "therapy_notes",
            "file": SimpleUploadedFile("pt.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    pended_case.refresh_from_db()
    # Back to the stage that asked (intake, at `submitted`).
    assert pended_case.status == CareRequestStatus.SUBMITTED
    info = InformationRequest.objects.get(care_request=pended_case)
    assert info.response == "Therapy notes attached."
    assert info.answered_by == provider_user
    assert Document.objects.get(care_request=pended_case).original_name == "pt.pdf"


@pytest.mark.django_db
def test_an_unreadable_file_in_an_answer_writes_nothing(client_for, provider_user, pended_case):
    before = StatusEvent.objects.count()
    client_for(provider_user).post(
        reverse("portal:info_response", args=[pended_case.pk]),
        {
            "response": "See attached.",
            "kind": "therapy_notes",
            "file": SimpleUploadedFile("pt.exe", b"MZ\x90\x00", content_type="application/pdf"),
        },
    )
    pended_case.refresh_from_db()
    assert pended_case.status == CareRequestStatus.PENDING_INFO
    assert StatusEvent.objects.count() == before
    assert Document.objects.count() == 0
    assert InformationRequest.objects.get().answered_at is None


@pytest.mark.django_db
def test_answering_when_nothing_was_asked_changes_nothing(client_for, provider_user, own_case):
    before = StatusEvent.objects.count()
    response = client_for(provider_user).post(
        reverse("portal:info_response", args=[own_case.pk]), {"response": "Here you go."}
    )
    assert response.status_code == 302
    own_case.refresh_from_db()
    assert own_case.status == CareRequestStatus.SUBMITTED
    assert StatusEvent.objects.count() == before


@pytest.mark.django_db
def test_provider_withdraws_an_open_request(client_for, provider_user, own_case):
    client_for(provider_user).post(
        reverse("portal:withdraw", args=[own_case.pk]), {"reason": "Service cancelled"}
    )
    own_case.refresh_from_db()
    assert own_case.status == CareRequestStatus.WITHDRAWN
    event = StatusEvent.objects.filter(care_request=own_case).last()
    assert (event.transition, event.actor, event.note) == (
        "withdraw",
        provider_user,
        "Service cancelled",
    )


@pytest.mark.django_db
def test_a_withdrawn_request_cannot_be_withdrawn_again(client_for, provider_user, own_case):
    client = client_for(provider_user)
    client.post(reverse("portal:withdraw", args=[own_case.pk]))
    before = StatusEvent.objects.count()
    page = client.post(reverse("portal:withdraw", args=[own_case.pk]), follow=True)
    assert "not possible while the case is withdrawn" in page.content.decode()
    assert StatusEvent.objects.count() == before


@pytest.mark.django_db
def test_provider_downloads_a_document_of_the_case(client_for, provider_user, own_document):
    response = client_for(provider_user).get(
        reverse("portal:document", args=[own_document.care_request_id, own_document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'


@pytest.mark.django_db
def test_an_answer_refused_by_the_case_state_stores_no_file(
    provider_user, own_case, settings, tmp_path
):
    """The case is not waiting for information: nothing is written, not even the file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from intake.models import Document
    from portal.services import portal_information_response
    from tests.portal.files import PDF
    from um_portal.lib.errors import InvalidTransition

    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(InvalidTransition):
        portal_information_response(
            user=provider_user,
            care_request=own_case,
            response="Here are the notes.",
            kind="clinical_notes",
            upload=SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf"),
        )
    assert not Document.objects.filter(care_request=own_case).exists()
    assert not any(p.is_file() for p in (tmp_path / "media").rglob("*"))
