"""The guided nurse review page and its approve / refer / pend forms."""

import pytest
from django.urls import reverse

from intake.models import CareRequest, InformationRequest
from review.models import CriterionAnswer, NurseReview
from review.selectors.criteria import criteria_set_for_line_map

pytestmark = pytest.mark.django_db


def page_url(case) -> str:
    return reverse("review:nurse_review", args=[case.pk])


def answers_payload(case, answer: str = "met", *, first: str | None = None) -> dict:
    data = {}
    lines = list(case.service_lines.all())
    for line_id, criteria_set in criteria_set_for_line_map(lines).items():
        for criterion in criteria_set.criteria.all():
            data[f"a-{line_id}-{criterion.pk}"] = first or answer
            data[f"n-{line_id}-{criterion.pk}"] = "Office note, page 2."
            first = None
    return data


def test_page_lists_every_criterion_of_every_line(client_for, review_case, nurse):
    case = review_case(lines=2)
    body = client_for(nurse).get(page_url(case)).content.decode()
    assert body.count('<fieldset class="criterion"') == 10
    assert body.count('type="radio"') == 30
    assert "Answer every criterion of every line" in body


def test_saving_all_met_answers_opens_approval(client_for, review_case, nurse):
    case = review_case()
    client = client_for(nurse)
    response = client.post(page_url(case), answers_payload(case))
    assert response.status_code == 302
    assert CriterionAnswer.objects.filter(answer="met").count() == 5
    body = client.get(page_url(case)).content.decode()
    assert 'data-recommendation="approve"' in body
    assert reverse("review:nurse_approve", args=[case.pk]) in body


def test_unmet_answer_recommends_referral_and_hides_approval(client_for, review_case, nurse):
    case = review_case()
    client = client_for(nurse)
    client.post(page_url(case), answers_payload(case, first="not_met"))
    body = client.get(page_url(case)).content.decode()
    assert 'data-recommendation="refer"' in body
    assert reverse("review:nurse_approve", args=[case.pk]) not in body
    assert "A nurse cannot deny." in body


def test_malformed_answer_fields_are_a_400(client_for, review_case, nurse):
    case = review_case()
    response = client_for(nurse).post(page_url(case), {"a-not-a-uuid-x": "met"})
    assert response.status_code == 400
    assert CriterionAnswer.objects.count() == 0


def test_answer_to_a_foreign_criterion_is_a_400(client_for, review_case, nurse, criteria_sets):
    case = review_case()
    line = case.service_lines.get()
    oxygen = criteria_sets["home-oxygen"].criteria.first()
    response = client_for(nurse).post(page_url(case), {f"a-{line.pk}-{oxygen.pk}": "met"})
    assert response.status_code == 400
    assert "does not apply" in response.content.decode()
    assert NurseReview.objects.count() == 0


def test_approve_through_the_page(client_for, review_case, nurse):
    case = review_case(assign_to=nurse)
    client = client_for(nurse)
    client.post(page_url(case), answers_payload(case))
    response = client.post(reverse("review:nurse_approve", args=[case.pk]), {"summary": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:case", args=[case.pk])
    case.refresh_from_db()
    assert case.status == "approved"
    assert case.auth_number in client.get(response["Location"]).content.decode()


def test_approve_refused_when_a_criterion_is_not_documented(client_for, review_case, nurse):
    case = review_case()
    client = client_for(nurse)
    client.post(page_url(case), answers_payload(case, first="not_documented"))
    response = client.post(reverse("review:nurse_approve", args=[case.pk]), {"summary": ""})
    assert response.status_code == 400
    assert "every criterion of every line is met" in response.content.decode()
    assert CareRequest.objects.get(pk=case.pk).status == "nurse_review"


def test_refer_through_the_page(client_for, review_case, nurse):
    case = review_case(assign_to=nurse)
    client = client_for(nurse)
    response = client.post(
        reverse("review:refer", args=[case.pk]),
        {"summary": "No exam findings.", "recommendation": "Peer-to-peer first."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("review:dashboard")
    assert CareRequest.objects.get(pk=case.pk).status == "md_review"


def test_refer_without_summary_is_a_form_error(client_for, review_case, nurse):
    case = review_case()
    response = client_for(nurse).post(
        reverse("review:refer", args=[case.pk]), {"summary": "", "recommendation": ""}
    )
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 2
    assert CareRequest.objects.get(pk=case.pk).status == "nurse_review"


def test_request_info_through_the_case_view(client_for, review_case, nurse):
    case = review_case()
    due_before = case.due_at
    response = client_for(nurse).post(
        reverse("review:request_info", args=[case.pk]),
        {"description": "Send the PT record.", "due_by": "2099-01-05T10:00"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.due_at) == ("pending_info", due_before)
    assert InformationRequest.objects.get().description == "Send the PT record."


def test_request_info_in_the_past_is_a_form_error(client_for, review_case, nurse):
    case = review_case()
    response = client_for(nurse).post(
        reverse("review:request_info", args=[case.pk]),
        {"description": "Send it.", "due_by": "2001-01-05T10:00"},
    )
    assert response.status_code == 400
    assert "Choose a time in the future." in response.content.decode()
    assert CareRequest.objects.get(pk=case.pk).status == "nurse_review"
    assert InformationRequest.objects.count() == 0


@pytest.mark.parametrize("persona", ["director", "intake", "manager", "provider"])
def test_nurse_pages_are_for_nurses(client_for, personas, review_case, persona):
    case = review_case()
    client = client_for(personas[persona])
    assert client.get(page_url(case)).status_code == 403
    assert client.post(page_url(case), answers_payload(case)).status_code == 403
    assert client.post(reverse("review:nurse_approve", args=[case.pk])).status_code == 403
    assert client.post(reverse("review:refer", args=[case.pk])).status_code == 403
    assert CriterionAnswer.objects.count() == 0
    assert CareRequest.objects.get(pk=case.pk).status == "nurse_review"


def test_review_page_is_read_only_after_referral(client_for, md_review_case, nurse):
    body = client_for(nurse).get(page_url(md_review_case)).content.decode()
    assert "can no longer be changed" in body
    assert "Save answers" not in body
    response = client_for(nurse).post(page_url(md_review_case), {})
    assert response.status_code == 409


def test_an_htmx_answer_is_saved_at_once_and_answers_with_the_live_panel(
    client_for, review_case, nurse
):
    case = review_case()
    line = case.service_lines.get()
    response = client_for(nurse).post(page_url(case), answers_payload(case), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="decision-panel"' in body
    assert 'data-recommendation="approve"' in body
    assert reverse("review:nurse_approve", args=[case.pk]) in body
    assert f'id="line-state-{line.pk}" data-state="met" hx-swap-oob="true"' in body
    assert "<html" not in body
    assert CriterionAnswer.objects.filter(answer="met").count() == 5


def test_a_partial_htmx_answer_keeps_approval_closed(client_for, review_case, nurse):
    case = review_case()
    first = dict(list(answers_payload(case).items())[:2])  # one criterion and its note
    response = client_for(nurse).post(page_url(case), first, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-recommendation=""' in body
    assert reverse("review:nurse_approve", args=[case.pk]) not in body
    assert "disabled" in body
    assert CriterionAnswer.objects.count() == 1


def test_a_bad_htmx_answer_is_a_400_panel_and_writes_nothing(client_for, review_case, nurse):
    case = review_case()
    response = client_for(nurse).post(page_url(case), {"a-x-1": "met"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert 'id="decision-panel"' in response.content.decode()
    assert "Unreadable answer fields." in response.content.decode()
    assert CriterionAnswer.objects.count() == 0


def test_split_view_shows_summary_diagnoses_and_documents_to_open_in_place(
    client_for, review_case, nurse
):
    case = review_case()
    body = client_for(nurse).get(page_url(case)).content.decode()
    assert "Clinical summary from the provider" in body
    assert "<strong>M54.16</strong>" in body
    assert body.count('target="doc-viewer"') == 2
    assert '<iframe name="doc-viewer"' in body
    assert 'hx-trigger="change"' in body
    assert body.count('id="id_refer_summary"') == 1
    assert 'id="id_summary"' not in body
