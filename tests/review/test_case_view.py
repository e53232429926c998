"""The 360° case view: content, access, the access log, offered actions, query budget."""

import re

import pytest
from django.urls import reverse

from intake.demo import demo_pdf
from intake.models import CareRequest, CaseNote, ServiceLine
from intake.services.documents import document_upload
from intake.services.notes import case_note_add
from intake.services.transitions import available_actions
from review.services.nurse_review import care_request_nurse_request_info
from tests.determinations.conftest import criteria_set, make_md_case  # noqa: F401 - fixtures
from tests.factories import make_case
from um_portal.audit.models import AccessLog, AuditEvent

from .conftest import answer_all, in_hours

pytestmark = pytest.mark.django_db

# Session, user, groups; the case with its parties; lines, review (+ answers, justifications),
# current criteria sets (+ criteria); diagnoses; documents; checklist; notes; eligibility;
# earlier requests; information requests; status events; audit events; the access-log insert;
# the session save (UPDATE inside SAVEPOINT/RELEASE). The determinations and scheduling panels
# add their own fixed queries when merged.
# + the rules panel: evaluations and duplicate flags; + the navigation's unread-notification count
# + the care-management panel: the member's referrals
# + the administrative reasons the plan delegates to the nurse (the deny_administratively offer)
# + whether a line was denied administratively (approve_remaining's condition)
CASE_VIEW_QUERIES = 33


def case_url(case) -> str:
    return reverse("review:case", args=[case.pk])


def offered(response) -> set[str]:
    return set(re.findall(r'<li data-action="(\w+)"', response.content.decode()))


def grow(case, *, n: int, nurse, intake) -> None:
    """Give the case n service lines, n notes and n documents."""
    line = case.service_lines.get()
    ServiceLine.objects.bulk_create(
        ServiceLine(
            care_request=case,
            sequence=i,
            code_system=line.code_system,
            code=line.code,
            category=line.category,
            units=i,
            start_date=line.start_date,
            end_date=line.end_date,
        )
        for i in range(2, n + 1)
    )
    for i in range(n):
        case_note_add(care_request=case, author=nurse, body=f"Note {i}")
        document_upload(
            care_request=case,
            actor=intake,
            kind="other",
            name=f"doc{i}.pdf",
            data=demo_pdf(f"page {i}"),
            channel="fax",
        )


@pytest.mark.parametrize("n", [1, 20])
def test_case_view_query_count_is_fixed(
    client_for, review_case, nurse, intake_specialist, django_assert_num_queries, n
):
    case = review_case(assign_to=nurse)
    grow(case, n=n, nurse=nurse, intake=intake_specialist)
    answer_all(case, nurse, "met")
    client = client_for(nurse)
    with django_assert_num_queries(CASE_VIEW_QUERIES):
        response = client.get(case_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<tr data-line=") == n
    assert body.count('class="note note-') == n
    assert body.count(f'href="/review/cases/{case.pk}/documents/') == n + 2  # + checklist docs


def test_case_view_shows_the_whole_case(client_for, review_case, nurse, intake_specialist):
    earlier = make_case(actor=intake_specialist)
    case = review_case(assign_to=nurse, coverage=earlier.coverage, units=4)
    case_note_add(care_request=case, author=nurse, body="Internal thought.", visibility="internal")
    case_note_add(care_request=case, author=nurse, body="Please call us.", visibility="provider")
    body = client_for(nurse).get(case_url(case)).content.decode()
    member = case.member
    for text in (
        member.full_name,
        member.birth_date.isoformat(),
        case.coverage.member_number,
        case.coverage.plan.name,
        "Verified",  # eligibility result
        earlier.reference,  # earlier request for the member
        case.requesting_provider.npi,
        "72148",
        "M54.16",
        "Radiculopathy",  # the diagnosis description
        "MRI of the lumbar spine v1",  # the criteria set for the line
        "Internal (staff only)",
        "Visible to the provider",
        "Please call us.",
        "Nurse review → ",  # no: the history shows from → to
    ):
        if text == "Nurse review → ":
            assert "Submitted → Nurse review" in body
            continue
        assert text in body, text
    assert "due in" in body


def test_every_open_is_in_the_access_log(client_for, review_case, nurse):
    case = review_case()
    client = client_for(nurse)
    client.get(case_url(case))
    client.get(case_url(case))
    logs = AccessLog.objects.filter(case_id=case.pk, action="view")
    assert [(log.user, log.action) for log in logs] == [(nurse, "view"), (nurse, "view")]


@pytest.mark.parametrize("persona", ["intake", "manager", "provider", "outsider"])
def test_case_view_is_refused_to_other_roles(client_for, personas, review_case, persona):
    case = review_case()
    response = client_for(personas[persona]).get(case_url(case))
    assert response.status_code == 403
    assert AccessLog.objects.count() == 0


def test_a_providers_draft_does_not_exist_for_reviewers(client_for, nurse, intake_specialist):
    draft = make_case(actor=intake_specialist, submit=False)
    response = client_for(nurse).get(case_url(draft))
    assert response.status_code == 404
    assert AccessLog.objects.count() == 0


def test_unknown_case_is_404(client_for, nurse):
    response = client_for(nurse).get("/review/cases/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_nurse_at_nurse_review_is_offered_exactly_her_actions(client_for, review_case, nurse):
    case = review_case()
    response = client_for(nurse).get(case_url(case))
    assert offered(response) == set(available_actions(case, nurse))
    # + the administrative denial (benefit, eligibility): delegated to nurses by default
    assert offered(response) == {
        "approve",
        "refer_to_md",
        "request_info",
        "deny_administratively",
    }
    body = response.content.decode()
    assert f'href="/review/cases/{case.pk}/nurse-review/"' in body


def test_director_is_offered_the_decision_page(client_for, md_review_case, director):
    response = client_for(director).get(case_url(md_review_case))
    assert offered(response) == set(available_actions(md_review_case, director))
    assert {"approve", "partially_approve", "deny", "refer_back_to_nurse"} <= offered(response)
    decide = reverse("determinations:decide", args=[md_review_case.pk])
    assert response.content.decode().count(f'href="{decide}"') == 3


def test_nurse_sees_no_action_on_a_director_case(client_for, md_review_case, nurse):
    response = client_for(nurse).get(case_url(md_review_case))
    assert offered(response) == set(available_actions(md_review_case, nurse)) == set()


def test_pended_case_offers_information_received(client_for, review_case, nurse):
    case = review_case()
    care_request_nurse_request_info(
        care_request=case, nurse=nurse, description="Send notes.", due_by=in_hours(24)
    )
    response = client_for(nurse).get(case_url(case))
    assert offered(response) == set(available_actions(case, nurse)) == {"info_received"}
    client_for(nurse).post(reverse("review:info_received", args=[case.pk]))
    assert CareRequest.objects.get(pk=case.pk).status == "nurse_review"


def test_decided_case_offers_the_director_reopen_on_the_decision_page(
    client_for,
    make_md_case,  # noqa: F811 - fixture
    director,
    criteria_set,  # noqa: F811 - fixture
):
    """Reopening is determinations' action (it checks there is a decision and records it): the
    review case view links to its form on the decision page."""
    from determinations.services import determination_issue
    from tests.determinations.conftest import deny

    case = make_md_case(lines=1)
    determination_issue(
        case=case,
        director=director,
        line_decisions=[deny(case.service_lines.get(), criteria_set)],
    )
    client = client_for(director)
    response = client.get(case_url(case))
    assert offered(response) == set(available_actions(case, director)) == {"reopen"}
    decide = reverse("determinations:decide", args=[case.pk])
    assert f'href="{decide}#reopen"' in response.content.decode()
    assert 'id="reopen"' in client.get(decide).content.decode()
    client.post(reverse("determinations:reopen", args=[case.pk]), {"reason": "New imaging."})
    assert CareRequest.objects.get(pk=case.pk).status == "md_review"
    assert AuditEvent.objects.filter(action="determination.reopened", case_id=case.pk).exists()


def test_director_returns_a_case_to_the_nurse(client_for, md_review_case, director, nurse):
    url = reverse("review:return_to_nurse", args=[md_review_case.pk])
    assert client_for(nurse).post(url, {"note": "x"}).status_code == 403
    response = client_for(director).post(url, {"note": "Answer criterion 3."})
    assert response.status_code == 302
    assert CareRequest.objects.get(pk=md_review_case.pk).status == "nurse_review"


def test_document_opens_inline_after_the_access_check(client_for, review_case, nurse):
    case = review_case()
    document = case.documents.first()
    url = reverse("review:document", args=[case.pk, document.pk])
    response = client_for(nurse).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    log = AccessLog.objects.get(action="document")
    assert (log.user, log.case_id, log.object_id) == (nurse, case.pk, str(document.pk))


def test_document_of_another_case_is_404(client_for, review_case, nurse):
    case, other = review_case(), review_case()
    url = reverse("review:document", args=[case.pk, other.documents.first().pk])
    assert client_for(nurse).get(url).status_code == 404
    assert not AccessLog.objects.filter(action="document").exists()


@pytest.mark.parametrize("persona", ["intake", "manager", "provider"])
def test_document_is_refused_to_other_roles(client_for, personas, review_case, persona):
    case = review_case()
    url = reverse("review:document", args=[case.pk, case.documents.first().pk])
    assert client_for(personas[persona]).get(url).status_code == 403
    assert AccessLog.objects.count() == 0


def test_document_is_not_under_a_public_media_url(client_for, review_case, nurse):
    case = review_case()
    body = client_for(nurse).get(case_url(case)).content.decode()
    assert "/media" not in body


def test_add_notes_with_visibility(client_for, review_case, nurse):
    case = review_case()
    url = reverse("review:add_note", args=[case.pk])
    client = client_for(nurse)
    client.post(url, {"body": "Called the office.", "visibility": "provider"})
    client.post(url, {"body": "Looks fine.", "visibility": "internal"})
    assert list(CaseNote.objects.values_list("body", "visibility", "author")) == [
        ("Called the office.", "provider", nurse.pk),
        ("Looks fine.", "internal", nurse.pk),
    ]


def test_empty_note_is_a_form_error(client_for, review_case, nurse):
    case = review_case()
    response = client_for(nurse).post(
        reverse("review:add_note", args=[case.pk]), {"body": "  ", "visibility": "internal"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert CaseNote.objects.count() == 0


@pytest.mark.parametrize("persona", ["intake", "provider", "manager"])
def test_other_roles_cannot_add_notes(client_for, personas, review_case, persona):
    case = review_case()
    response = client_for(personas[persona]).post(
        reverse("review:add_note", args=[case.pk]), {"body": "hi", "visibility": "provider"}
    )
    assert response.status_code == 403
    assert CaseNote.objects.count() == 0


def test_history_merges_status_events_and_audit_events_by_time(client_for, review_case, nurse):
    case = review_case()
    case_note_add(care_request=case, author=nurse, body="n")
    body = client_for(nurse).get(case_url(case)).content.decode()
    timeline = body[body.index('class="timeline"') :]
    order = [
        timeline.index("Request " + case.reference),  # audit: created
        timeline.index("Draft → Submitted"),
        timeline.index("Submitted → Nurse review"),
        timeline.index("Internal (staff only) note added."),
    ]
    assert order == sorted(order)


def test_case_view_includes_the_panels_of_other_apps(client_for, review_case, nurse):
    body = client_for(nurse).get(case_url(review_case())).content.decode()
    assert 'id="determinations-heading"' in body
    assert 'id="p2p-heading"' in body


def test_a_decided_cases_page_costs_the_same_however_many_determinations(
    client_for,
    director,
    make_md_case,  # noqa: F811 - fixture
    criteria_set,  # noqa: F811 - fixture
    django_assert_max_num_queries,
):
    """The determinations panel reads what the case selector prefetched: a reopened and
    re-decided case costs what a once-decided one does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from determinations.services import determination_issue, determination_reopen
    from tests.determinations.conftest import approve, deny

    case = make_md_case(lines=2)
    lines = list(case.service_lines.order_by("sequence"))
    determination_issue(
        case=case, director=director, line_decisions=[deny(x, criteria_set) for x in lines]
    )
    client = client_for(director)
    client.get(case_url(case))
    with CaptureQueriesContext(connection) as once:
        client.get(case_url(case))
    for _ in range(2):
        case.refresh_from_db()
        determination_reopen(case=case, director=director, reason="New records arrived.")
        case.refresh_from_db()
        determination_issue(
            case=case,
            director=director,
            kind="reopening",
            line_decisions=[approve(x) for x in case.service_lines.order_by("sequence")],
        )
    with django_assert_max_num_queries(len(once)):
        response = client.get(case_url(case))
    assert response.status_code == 200
