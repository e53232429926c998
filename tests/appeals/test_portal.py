"""The portal's "Appeal this decision": lines, reason, several documents, expedited; isolation."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from appeals.models import Appeal, AppealDocument
from determinations.models import Determination
from intake.models import Document
from tests.portal.files import PDF

pytestmark = pytest.mark.django_db


def page(case):
    return f"/portal/requests/{case.pk}/appeal/"


def files(*names):
    return [SimpleUploadedFile(n, PDF, content_type="application/pdf") for n in names]


def test_decided_case_offers_the_appeal(client_for, provider_user, denied_case):
    html = client_for(provider_user).get(f"/portal/requests/{denied_case.pk}/").content.decode()
    assert f'href="/portal/requests/{denied_case.pk}/appeal/">Appeal this decision' in html


def test_provider_files_with_two_documents(client_for, provider_user, denied_case):
    line2 = denied_case.service_lines.get(sequence=2)
    response = client_for(provider_user).post(
        page(denied_case),
        {
            "lines": [str(line2.pk)],
            "reason": "Eight weeks of therapy are documented in the notes.",
            "expedited": "on",
            "documents": files("notes.pdf", "therapy.pdf"),
        },
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.priority) == ("portal", "expedited")
    assert [al.service_line_id for al in appeal.lines.all()] == [line2.pk]
    names = AppealDocument.objects.filter(appeal=appeal).values_list(
        "document__original_name", flat=True
    )
    assert sorted(names) == ["notes.pdf", "therapy.pdf"]
    html = client_for(provider_user).get(f"/portal/requests/{denied_case.pk}/").content.decode()
    assert appeal.reference in html


def test_late_filing_is_a_form_error_and_writes_nothing(client_for, provider_user, denied_case):
    decided = timezone.now() - timedelta(days=80)
    Determination.objects.filter(care_request=denied_case).update(decided_at=decided)
    deadline = timezone.localdate(decided) + timedelta(days=65)
    response = client_for(provider_user).post(
        page(denied_case),
        {
            "lines": [str(x.pk) for x in denied_case.service_lines.all()],
            "reason": "Please reconsider.",
            "documents": files("notes.pdf"),
        },
    )
    assert response.status_code == 400
    assert f"The appeal window closed on {deadline:%Y-%m-%d}" in response.content.decode()
    assert Appeal.objects.count() == 0
    assert Document.objects.filter(original_name="notes.pdf").count() == 0


def test_a_bad_file_refuses_the_whole_filing(client_for, provider_user, denied_case):
    bad = SimpleUploadedFile("notes.exe", b"MZ\x90\x00", content_type="application/pdf")
    response = client_for(provider_user).post(
        page(denied_case),
        {
            "lines": [str(x.pk) for x in denied_case.service_lines.all()],
            "reason": "Please reconsider.",
            "documents": [bad, *files("ok.pdf")],
        },
    )
    assert response.status_code == 400
    assert "notes.exe is not a PDF, PNG, JPEG or TIFF file." in response.content.decode()
    assert (Appeal.objects.count(), Document.objects.filter(original_name="ok.pdf").count()) == (
        0,
        0,
    )


def test_other_organisation_gets_404(client_for, outsider, denied_case):
    client = client_for(outsider)
    assert client.get(page(denied_case)).status_code == 404
    assert client.post(page(denied_case), {"reason": "x"}).status_code == 404
    assert Appeal.objects.count() == 0


def test_approved_case_has_nothing_to_appeal(client_for, provider_user, make_denied_case):
    case = make_denied_case(lines=1, outcomes=["approve"])
    assert client_for(provider_user).get(page(case)).status_code == 404


def test_case_page_shows_every_line_after_an_appeal_of_one(
    client_for, provider_user, denied_case, file_appeal, appeal_director
):
    from appeals.services.decide import appeal_decide
    from determinations.selectors import decision_summary_for_provider
    from tests.determinations.conftest import approve

    line2 = denied_case.service_lines.get(sequence=2)
    appeal = file_appeal(denied_case, line_ids=[line2.pk])
    appeal_decide(appeal=appeal, director=appeal_director, line_decisions=[approve(line2)])
    summary = decision_summary_for_provider(denied_case)
    assert [(ld.service_line.sequence, ld.outcome) for ld in summary["lines"]] == [
        (1, "denied"),
        (2, "approved"),
    ]
    assert summary["determination"].kind == "appeal"
    assert summary["appeal_by"] is not None  # line 1 is still denied
    html = client_for(provider_user).get(f"/portal/requests/{denied_case.pk}/").content.decode()
    decision = html.split('id="decision"')[1].split("</section>")[0]
    assert decision.count("<td>CPT 72148</td>") == 2


def withdraw_url(appeal):
    return f"/portal/requests/{appeal.care_request_id}/appeals/{appeal.pk}/withdraw/"


def test_provider_withdraws_an_open_appeal(client_for, provider_user, denied_case, file_appeal):
    appeal = file_appeal(denied_case)
    client = client_for(provider_user)
    html = client.get(f"/portal/requests/{denied_case.pk}/").content.decode()
    assert f'action="{withdraw_url(appeal)}"' in html
    response = client.post(withdraw_url(appeal), {"reason": "Member chose physical therapy."})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == "withdrawn"
    event = appeal.events.get(transition="withdraw")
    assert (event.actor, event.note) == (provider_user, "Member chose physical therapy.")
    html = client.get(f"/portal/requests/{denied_case.pk}/").content.decode()
    assert f"Appeal {appeal.reference} was withdrawn." in html
    assert withdraw_url(appeal) not in html  # a closed appeal offers no withdrawal


def test_withdrawing_a_closed_appeal_says_why_and_changes_nothing(
    client_for, provider_user, denied_case, file_appeal
):
    appeal = file_appeal(denied_case)
    client = client_for(provider_user)
    client.post(withdraw_url(appeal))
    response = client.post(withdraw_url(appeal), follow=True)
    assert "not possible while the appeal is withdrawn" in response.content.decode()
    assert appeal.events.filter(transition="withdraw").count() == 1


def test_another_office_cannot_withdraw(client_for, outsider, denied_case, file_appeal):
    appeal = file_appeal(denied_case)
    assert client_for(outsider).post(withdraw_url(appeal)).status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == "received"


def test_withdrawal_is_a_post(client_for, provider_user, denied_case, file_appeal):
    appeal = file_appeal(denied_case)
    assert client_for(provider_user).get(withdraw_url(appeal)).status_code == 405
