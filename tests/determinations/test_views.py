"""The decision page, its side actions, and letter downloads (permissions and audit)."""

import pytest
from django.urls import reverse

from determinations.models import Determination, Letter
from determinations.services import determination_issue
from determinations.services.delivery import letter_process
from intake.models import CaseNote, InformationRequest, StatusEvent
from review.models import CriterionAnswer, NurseReview
from tests.determinations.conftest import RATIONALE, approve, deny
from um_portal.audit.models import AccessLog


def _url(case, name="decide"):
    return reverse(f"determinations:{name}", args=[case.pk])


def _post_data(case, criteria_set, *, second="denied", rationale=RATIONALE):
    first, other = case.service_lines.all()
    data = {f"line-{first.sequence}-outcome": "approved"}
    data.update(
        {
            f"line-{other.sequence}-outcome": second,
            f"line-{other.sequence}-reason_code": "not_med_necessary",
            f"line-{other.sequence}-criteria_set": str(criteria_set.pk),
            f"line-{other.sequence}-criterion": str(criteria_set.criteria.first().pk),
            f"line-{other.sequence}-rationale": rationale,
        }
    )
    return data


@pytest.mark.django_db
def test_director_sees_the_nurse_review_and_a_form_per_line(
    md_case, director, nurse, client_for, criteria_set
):
    review = NurseReview.objects.create(
        care_request=md_case,
        nurse=nurse,
        summary="Pain for three weeks, no therapy tried yet.",
        recommendation=NurseReview.Recommendation.REFER,
    )
    criterion = criteria_set.criteria.first()
    CriterionAnswer.objects.create(
        nurse_review=review,
        service_line=md_case.service_lines.first(),
        criteria_set=criteria_set,
        criterion=criterion,
        answer=CriterionAnswer.Answer.NOT_MET,
        note="Only two weeks documented.",
    )
    response = client_for(director).get(_url(md_case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pain for three weeks, no therapy tried yet." in body
    assert "Refer to a medical director" in body
    assert "Six weeks of conservative therapy documented" in body
    assert "Only two weeks documented." in body
    assert body.count('<fieldset class="line-decision"') == 2
    assert "Advanced imaging of the lumbar spine (version 3)" in body
    assert "Refer back to nurse" in body and "Request information" in body
    assert AccessLog.objects.filter(user=director, case_id=md_case.pk, action="view").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nurse", "intake", "manager", "provider", "outsider"])
def test_decision_page_is_for_directors_only(persona, personas, md_case, client_for, criteria_set):
    client = client_for(personas[persona])
    assert client.get(_url(md_case)).status_code == 403
    response = client.post(_url(md_case), _post_data(md_case, criteria_set))
    assert response.status_code == 403
    assert Determination.objects.count() == 0
    assert Letter.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(md_case, client):
    response = client.get(_url(md_case))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_unknown_case_is_404(director, client_for):
    import uuid

    assert (
        client_for(director).get(reverse("determinations:decide", args=[uuid.uuid4()])).status_code
        == 404
    )


@pytest.mark.django_db
def test_director_partially_approves_through_the_page(md_case, director, client_for, criteria_set):
    response = client_for(director).post(_url(md_case), _post_data(md_case, criteria_set))
    assert response.status_code == 302
    assert response["Location"] == _url(md_case)
    d = Determination.objects.get(care_request=md_case)
    assert (d.outcome, d.decided_by) == ("partially_approved", director)
    page = client_for(director).get(_url(md_case)).content.decode()
    assert "Partially approved: determination recorded" in page
    assert page.count("data-letter=") == 2


@pytest.mark.django_db
def test_invalid_decision_shows_field_errors_and_writes_nothing(
    md_case, director, client_for, criteria_set
):
    response = client_for(director).post(
        _url(md_case), _post_data(md_case, criteria_set, rationale="No.")
    )
    assert response.status_code == 400
    assert "Write at least 10 words (60 characters)" in response.content.decode()
    assert Determination.objects.count() == 0
    md_case.refresh_from_db()
    assert md_case.status == "md_review"


@pytest.mark.django_db
def test_missing_outcome_is_a_form_error(md_case, director, client_for, criteria_set):
    data = _post_data(md_case, criteria_set)
    data.pop("line-1-outcome")
    response = client_for(director).post(_url(md_case), data)
    assert response.status_code == 400
    assert Determination.objects.count() == 0


@pytest.mark.django_db
def test_refer_back_to_nurse(md_case, director, client_for):
    response = client_for(director).post(
        _url(md_case, "refer_back"), {"reason": "Please answer the therapy criterion."}
    )
    assert response.status_code == 302
    md_case.refresh_from_db()
    assert md_case.status == "nurse_review"
    event = StatusEvent.objects.filter(care_request=md_case).latest("at")
    assert (event.transition, event.note) == (
        "refer_back_to_nurse",
        "Please answer the therapy criterion.",
    )


@pytest.mark.django_db
def test_refer_back_needs_a_reason(md_case, director, client_for):
    response = client_for(director).post(_url(md_case, "refer_back"), {"reason": ""})
    assert response.status_code == 400
    md_case.refresh_from_db()
    assert md_case.status == "md_review"


@pytest.mark.django_db
def test_request_information(md_case, director, client_for):
    response = client_for(director).post(
        _url(md_case, "request_info"),
        {"description": "Send the physical therapy notes.", "due_by": "2099-01-05T10:00"},
    )
    assert response.status_code == 302
    md_case.refresh_from_db()
    assert (md_case.status, md_case.pended_from) == ("pending_info", "md_review")
    assert InformationRequest.objects.get(care_request=md_case).requested_by == director


@pytest.mark.django_db
def test_request_information_in_the_past_is_refused(md_case, director, client_for):
    response = client_for(director).post(
        _url(md_case, "request_info"),
        {"description": "Send the notes.", "due_by": "2001-01-05T10:00"},
    )
    assert response.status_code == 400
    md_case.refresh_from_db()
    assert md_case.status == "md_review"
    assert InformationRequest.objects.count() == 0


@pytest.mark.django_db
def test_add_note(md_case, director, client_for):
    response = client_for(director).post(_url(md_case, "add_note"), {"body": "Called the office."})
    assert response.status_code == 302
    assert CaseNote.objects.get(care_request=md_case).body == "Called the office."


@pytest.mark.django_db
def test_nurse_cannot_use_director_side_actions(md_case, nurse, client_for):
    client = client_for(nurse)
    assert client.post(_url(md_case, "refer_back"), {"reason": "x"}).status_code == 403
    assert client.post(_url(md_case, "add_note"), {"body": "x"}).status_code == 403
    assert CaseNote.objects.count() == 0
    md_case.refresh_from_db()
    assert md_case.status == "md_review"


@pytest.mark.django_db
def test_reopen_through_the_page(md_case, director, client_for, criteria_set):
    determination_issue(
        case=md_case,
        director=director,
        line_decisions=[deny(x, criteria_set) for x in md_case.service_lines.all()],
    )
    page = client_for(director).get(_url(md_case)).content.decode()
    assert "Reopen for a new decision" in page
    response = client_for(director).post(_url(md_case, "reopen"), {"reason": "P2P: new findings."})
    assert response.status_code == 302
    md_case.refresh_from_db()
    assert md_case.status == "md_review"
    lines = list(md_case.service_lines.all())
    data = {f"line-{x.sequence}-outcome": "approved" for x in lines}
    assert client_for(director).post(_url(md_case), data).status_code == 302
    latest = Determination.objects.filter(care_request=md_case).latest("decided_at")
    assert (latest.kind, latest.outcome, latest.previous.outcome) == (
        "reopening",
        "approved",
        "denied",
    )


# --- downloads ------------------------------------------------------------------------------


@pytest.fixture
def rendered(md_case, director, outbox_env):
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(x) for x in md_case.service_lines.all()],
    )
    for letter in d.letters.all():
        letter_process(letter.pk)
    return {x.recipient: x for x in d.letters.all()}


def _pdf_url(letter):
    return reverse("determinations:letter_pdf", args=[letter.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "nurse", "director", "manager"])
def test_staff_download_any_copy_and_it_is_audited(persona, personas, rendered, client_for):
    user = personas[persona]
    for letter in rendered.values():
        response = client_for(user).get(_pdf_url(letter))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    logs = AccessLog.objects.filter(user=user, action="letter_download")
    assert sorted(logs.values_list("object_id", flat=True)) == sorted(
        str(x.pk) for x in rendered.values()
    )


@pytest.mark.django_db
def test_provider_organisation_downloads_its_copy_only(rendered, provider_user, client_for):
    client = client_for(provider_user)
    assert client.get(_pdf_url(rendered["provider"])).status_code == 200
    assert client.get(_pdf_url(rendered["member"])).status_code == 404
    assert list(
        AccessLog.objects.filter(user=provider_user, action="letter_download").values_list(
            "object_id", flat=True
        )
    ) == [str(rendered["provider"].pk)]


@pytest.mark.django_db
def test_other_organisation_gets_404_and_nothing_is_logged(rendered, outsider, client_for):
    for letter in rendered.values():
        assert client_for(outsider).get(_pdf_url(letter)).status_code == 404
    assert AccessLog.objects.filter(user=outsider).count() == 0


@pytest.mark.django_db
def test_anonymous_download_redirects_to_login(rendered, client):
    response = client.get(_pdf_url(rendered["provider"]))
    assert response.status_code == 302
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_letter_not_yet_rendered_is_404(md_case, director, client_for):
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(x) for x in md_case.service_lines.all()],
    )
    assert client_for(director).get(_pdf_url(d.letters.first())).status_code == 404


@pytest.mark.django_db
def test_letter_list_for_user(rendered, md_case, personas):
    from determinations.selectors import letter_list_for_user

    assert len(letter_list_for_user(personas["nurse"], md_case)) == 2
    assert [x.recipient for x in letter_list_for_user(personas["provider"], md_case)] == [
        "provider"
    ]
    assert letter_list_for_user(personas["outsider"], md_case) == []


@pytest.mark.django_db
def test_case_panel_lists_determinations_and_download_links(rendered, md_case):
    from django.template.loader import render_to_string

    from determinations.selectors import decision_case_get

    case = decision_case_get(md_case.pk)
    html = render_to_string("determinations/includes/case_panel.html", {"case": case})
    assert 'Initial determination: <span class="outcome outcome-approved">Approved</span>' in html
    assert html.count("Download PDF") == 2
    assert case.auth_number in html
