"""Get next case and reassignment (DESIGN §6)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from intake.models import CareRequest
from review.services.routing import case_get_next, case_reassign
from tests.factories import UserFactory
from tests.review.routing_support import case_in_review, make_queue, make_reviewer
from um_portal.accounts.roles import Role
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue():
    return make_queue("imaging")


def shift_due(case, hours):
    CareRequest.objects.filter(pk=case.pk).update(due_at=case.due_at + timedelta(hours=hours))


def test_get_next_gives_expedited_first_then_earliest_due(intake_specialist, queue):
    reviewer = make_reviewer(queues=[queue])
    late = case_in_review(intake_specialist)
    early = case_in_review(intake_specialist)
    shift_due(early, -10)
    expedited = case_in_review(intake_specialist, priority="expedited")
    shift_due(expedited, +500)  # due later than both, still first
    got = [case_get_next(reviewer=reviewer) for _ in range(4)]
    assert got == [expedited, early, late, None]
    assert set(CareRequest.objects.values_list("assigned_to", flat=True)) == {reviewer.pk}


def test_get_next_records_the_assignment_in_the_case_history(intake_specialist, queue):
    reviewer = make_reviewer(queues=[queue])
    case = case_in_review(intake_specialist)
    assert case_get_next(reviewer=reviewer) == case
    case.refresh_from_db()
    assert (case.assigned_to, case.assigned_at is not None) == (reviewer, True)
    event = AuditEvent.objects.get(case_id=case.pk, action="case.assigned")
    assert event.actor == reviewer
    assert event.data == {"to": reviewer.username, "queue": "imaging", "how": "get_next"}


def test_get_next_skips_cases_outside_the_reviewers_queues_skills_and_licences(
    intake_specialist,
):
    imaging = make_queue("imaging")
    surgery = make_queue("surgery", categories=("surgery",), skills=("surgical",))
    reviewer = make_reviewer(queues=[imaging, surgery], states=("NY",))
    case_in_review(intake_specialist, category_code="surgery", code="29881")  # lacks skill
    case_in_review(intake_specialist, state="NJ")  # not licensed in NJ
    make_queue("dme", categories=("dme",), order=5)
    case_in_review(intake_specialist, category_code="dme", code="E0601", code_system="hcpcs")
    assert case_get_next(reviewer=reviewer) is None
    skilled = make_reviewer(queues=[surgery], skills=("surgical",))
    assert case_get_next(reviewer=skilled).queue == surgery


def test_a_reviewer_at_capacity_gets_nothing(intake_specialist, queue):
    reviewer = make_reviewer(queues=[queue], capacity=1)
    first = case_in_review(intake_specialist)
    case_in_review(intake_specialist)
    assert case_get_next(reviewer=reviewer) == first
    assert case_get_next(reviewer=reviewer) is None
    assert CareRequest.objects.filter(assigned_to__isnull=True).count() == 1


def test_a_nurse_without_a_profile_gets_nothing(intake_specialist, queue, nurse):
    case_in_review(intake_specialist)
    assert case_get_next(reviewer=nurse) is None


def test_directors_get_referred_cases_and_nurses_do_not(intake_specialist, queue):
    nurse = make_reviewer(queues=[queue])
    director = make_reviewer(Role.DIRECTOR, queues=[queue])
    referred = case_in_review(intake_specialist)
    assert case_get_next(reviewer=nurse) == referred
    from intake.services.transitions import care_request_transition

    care_request_transition(care_request=referred, name="refer_to_md", actor=nurse)
    assert case_get_next(reviewer=nurse) is None
    # The referring nurse still holds it, but a physician may take it.
    assert case_get_next(reviewer=director) == referred
    assert case_get_next(reviewer=make_reviewer(Role.DIRECTOR, queues=[queue])) is None


def test_only_reviewers_may_ask_for_a_case(intake_specialist):
    with pytest.raises(NotPermitted):
        case_get_next(reviewer=intake_specialist)


# --- views -----------------------------------------------------------------------------------


def test_get_next_view_redirects_to_the_case(client_for, intake_specialist, queue):
    reviewer = make_reviewer(queues=[queue])
    case = case_in_review(intake_specialist)
    response = client_for(reviewer).post(reverse("review:get_next"))
    assert response.status_code == 302
    assert response.url == f"/review/cases/{case.pk}/"


def test_get_next_view_says_when_nothing_is_waiting(client_for, queue):
    reviewer = make_reviewer(queues=[queue])
    response = client_for(reviewer).post(reverse("review:get_next"), follow=True)
    assert response.redirect_chain == [(reverse("review:dashboard"), 302)]
    assert [str(m) for m in response.context["messages"]] == ["No case is waiting for you."]


def test_get_next_view_is_post_only_and_for_reviewers(
    client, client_for, intake_specialist, provider_user, queue
):
    case = case_in_review(intake_specialist)
    url = reverse("review:get_next")
    assert client.post(url).status_code == 302  # to the login page
    assert client_for(intake_specialist).post(url).status_code == 403
    assert client_for(provider_user).post(url).status_code == 403
    assert client_for(make_reviewer(queues=[queue])).get(url).status_code == 405
    case.refresh_from_db()
    assert case.assigned_to is None
    assert not AuditEvent.objects.filter(action="case.assigned").exists()


# --- reassignment ----------------------------------------------------------------------------


@pytest.fixture
def lead():
    return make_reviewer(username="lead")


@pytest.fixture
def led_queue(lead):
    return make_queue("imaging", lead=lead)


def assigned_case(intake_specialist, queue, **fields):
    holder = make_reviewer(queues=[queue])
    case = case_in_review(intake_specialist, **fields)
    assert case_get_next(reviewer=holder) == case
    return case, holder


def test_the_queue_lead_reassigns_and_it_is_recorded(intake_specialist, lead, led_queue):
    case, holder = assigned_case(intake_specialist, led_queue)
    other = make_reviewer()
    case = case_reassign(case=case, to_user=other, by=lead)
    assert case.assigned_to == other
    event = AuditEvent.objects.get(case_id=case.pk, action="case.reassigned")
    assert (event.actor, event.data) == (lead, {"from": holder.username, "to": other.username})


def test_a_um_manager_reassigns(intake_specialist, manager, led_queue):
    case, _ = assigned_case(intake_specialist, led_queue)
    other = make_reviewer()
    assert case_reassign(case=case, to_user=other, by=manager).assigned_to == other


@pytest.mark.parametrize("who", ["holder", "other_nurse", "intake", "director"])
def test_nobody_else_may_reassign(intake_specialist, led_queue, director, who):
    case, holder = assigned_case(intake_specialist, led_queue)
    by = {
        "holder": holder,
        "other_nurse": make_reviewer(),
        "intake": intake_specialist,
        "director": director,
    }[who]
    with pytest.raises(NotPermitted):
        case_reassign(case=case, to_user=make_reviewer(), by=by)
    case.refresh_from_db()
    assert case.assigned_to == holder
    assert not AuditEvent.objects.filter(action="case.reassigned").exists()


def test_reassign_checks_the_new_reviewers_role_and_licence(intake_specialist, lead, led_queue):
    case, holder = assigned_case(intake_specialist, led_queue)
    for to_user in (
        make_reviewer(Role.DIRECTOR),  # the case is at nurse review
        make_reviewer(states=("NJ",)),
        UserFactory(roles=[Role.NURSE]),  # no reviewer profile
        holder,
    ):
        with pytest.raises(ValidationFailed):
            case_reassign(case=case, to_user=to_user, by=lead)
    case.refresh_from_db()
    assert case.assigned_to == holder


def test_a_case_outside_clinical_review_cannot_be_reassigned(intake_specialist, manager):
    from tests.factories import make_case

    case = make_case(actor=intake_specialist)
    with pytest.raises(InvalidTransition):
        case_reassign(case=case, to_user=make_reviewer(), by=manager)


def test_reassign_view(client_for, intake_specialist, lead, led_queue):
    case, _ = assigned_case(intake_specialist, led_queue)
    other = make_reviewer()
    url = reverse("review:reassign", args=[case.pk])
    response = client_for(lead).post(url, {"to": str(other.pk)})
    assert (response.status_code, response.url) == (302, f"/review/cases/{case.pk}/")
    case.refresh_from_db()
    assert case.assigned_to == other


def test_reassign_view_refuses_others_and_writes_nothing(client_for, intake_specialist, led_queue):
    case, holder = assigned_case(intake_specialist, led_queue)
    url = reverse("review:reassign", args=[case.pk])
    response = client_for(make_reviewer()).post(url, {"to": str(make_reviewer().pk)})
    assert response.status_code == 403
    assert client_for(intake_specialist).post(url, {"to": str(holder.pk)}).status_code == 403
    case.refresh_from_db()
    assert case.assigned_to == holder
    assert not AuditEvent.objects.filter(action="case.reassigned").exists()


@pytest.mark.parametrize("to", ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_reassign_view_with_a_bad_choice_says_so(
    client_for, intake_specialist, lead, led_queue, to
):
    case, holder = assigned_case(intake_specialist, led_queue)
    response = client_for(lead).post(reverse("review:reassign", args=[case.pk]), {"to": to})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Choose a reviewer who works this stage."]
    case.refresh_from_db()
    assert case.assigned_to == holder


def test_reassign_view_unknown_case_is_404(client_for, lead):
    url = reverse("review:reassign", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(lead).post(url, {"to": str(lead.pk)}).status_code == 404
