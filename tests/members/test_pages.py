"""The member's own pages: only their own requests, every read logged, English or Spanish."""

import pytest
from django.utils import translation

from determinations.models import DenialReason, Letter
from intake.models.care_request import CareRequestStatus
from um_portal.audit.models import AccessLog

from .conftest import render_letters, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def test_the_list_shows_the_members_requests_only(member_client, denied_case, other_case):
    page = member_client.get("/member/")
    body = page.content.decode()
    assert page.status_code == 200
    assert denied_case.reference in body
    assert other_case.reference not in body
    assert "Not approved" in body and "MRI of the lower back" in body


def test_drafts_and_voided_requests_are_not_shown(member_client, denied_case):
    denied_case.__class__.objects.filter(pk=denied_case.pk).update(status=CareRequestStatus.VOIDED)
    assert denied_case.reference not in member_client.get("/member/").content.decode()
    assert member_client.get(f"/member/requests/{denied_case.pk}/").status_code == 404


def test_another_members_request_and_letter_are_404(member_client, other_case):
    assert member_client.get(f"/member/requests/{other_case.pk}/").status_code == 404
    letter = Letter.objects.filter(
        determination__care_request=other_case, recipient=Letter.Recipient.MEMBER
    ).first()
    assert member_client.get(f"/member/letters/{letter.pk}/pdf/").status_code == 404
    assert (
        member_client.post(f"/member/requests/{other_case.pk}/appeal/", {"reason": "x"}).status_code
        == 404
    )


def test_the_request_page_shows_decision_reason_deadline_and_letters(member_client, denied_case):
    page = member_client.get(f"/member/requests/{denied_case.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    reason = DenialReason.objects.get(code="not_med_necessary")
    assert reason.plain_language in body
    assert "You may appeal until" in body
    assert "Send my appeal" in body
    member_letter = Letter.objects.get(
        determination__care_request=denied_case, recipient=Letter.Recipient.MEMBER
    )
    provider_letter = Letter.objects.get(
        determination__care_request=denied_case, recipient=Letter.Recipient.PROVIDER
    )
    assert f"/member/letters/{member_letter.pk}/pdf/" in body
    assert str(provider_letter.pk) not in body
    # No clinical material: no documents, no notes, no internal rationale page.
    assert "notes.pdf" not in body


def test_the_member_downloads_their_letter_but_not_the_providers(member_client, denied_case):
    member_letter = Letter.objects.get(
        determination__care_request=denied_case, recipient=Letter.Recipient.MEMBER
    )
    provider_letter = Letter.objects.get(
        determination__care_request=denied_case, recipient=Letter.Recipient.PROVIDER
    )
    response = member_client.get(f"/member/letters/{member_letter.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert member_client.get(f"/member/letters/{provider_letter.pk}/pdf/").status_code == 404


def test_every_read_is_in_the_access_log(member_client, member_user, denied_case):
    member_client.get("/member/")
    member_client.get(f"/member/requests/{denied_case.pk}/")
    letter = Letter.objects.get(
        determination__care_request=denied_case, recipient=Letter.Recipient.MEMBER
    )
    member_client.get(f"/member/letters/{letter.pk}/pdf/")
    rows = AccessLog.objects.filter(user=member_user)
    assert set(rows.values_list("action", flat=True)) == {
        "member_list",
        "member_view",
        "member_letter_download",
    }
    assert rows.filter(case_id=denied_case.pk).count() == 3
    assert rows.filter(member_id=denied_case.member_id).count() == 1


def test_the_list_costs_the_same_queries_for_one_or_many_requests(
    client, make_denied_case, intake_specialist, django_assert_num_queries
):
    first = make_denied_case()
    user = sign_up(first.member, actor=intake_specialist, username="rosa")
    client.force_login(user)
    client.get("/member/")  # warm the session
    with django_assert_num_queries(10):
        client.get("/member/")
    more = make_denied_case()
    more.__class__.objects.filter(pk=more.pk).update(member=first.member)
    with django_assert_num_queries(10):
        assert more.reference in client.get("/member/").content.decode()


def test_spanish_from_the_browser_and_from_the_switcher(member_client, denied_case):
    spanish = member_client.get("/member/", HTTP_ACCEPT_LANGUAGE="es")
    body = spanish.content.decode()
    assert "Mis solicitudes" in body and "No aprobada" in body and 'lang="es"' in body
    detail = member_client.get(f"/member/requests/{denied_case.pk}/", HTTP_ACCEPT_LANGUAGE="es")
    reason = DenialReason.objects.get(code="not_med_necessary")
    assert reason.plain_language_es in detail.content.decode()
    assert reason.plain_language not in detail.content.decode()
    member_client.post("/i18n/setlang/", {"language": "es", "next": "/member/"})
    assert "Mis solicitudes" in member_client.get("/member/").content.decode()
    translation.activate("en")


def test_staff_and_providers_have_no_member_pages(client_for, personas, denied_case):
    render_letters(denied_case)
    for persona in ("intake", "nurse", "director", "manager", "provider"):
        client = client_for(personas[persona])
        assert client.get("/member/").status_code == 403
        assert client.get(f"/member/requests/{denied_case.pk}/").status_code == 403


def test_a_member_gets_no_staff_or_provider_page(member_client, denied_case):
    for path in (
        "/intake/",
        "/review/",
        "/portal/",
        "/reports/",
        "/appeals/",
        "/members/",
        f"/portal/requests/{denied_case.pk}/",
        "/admin/",
    ):
        assert member_client.get(path).status_code in (403, 404), path


def test_an_extension_notice_is_among_the_members_letters(member_client, denied_case):
    """A notice hangs off the case, not a determination (an extension has no decision)."""
    import hashlib

    from django.core.files.base import ContentFile

    body = b"%PDF-1.4 extension notice"
    notice = Letter(
        care_request=denied_case,
        recipient=Letter.Recipient.MEMBER,
        template=Letter.Template.EXTENSION,
        sha256=hashlib.sha256(body).hexdigest(),
    )
    notice.pdf.save("notice.pdf", ContentFile(body), save=False)
    notice.save()
    page = member_client.get(f"/member/requests/{denied_case.pk}/").content.decode()
    assert f"/member/letters/{notice.pk}/pdf/" in page
    assert "we need more time to decide" in page
    assert member_client.get(f"/member/letters/{notice.pk}/pdf/").status_code == 200
