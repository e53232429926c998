"""Referring by hand, the status machine and who may move it, the queue and the 360° panel."""

import pytest
from django.urls import reverse

from caremgmt.models import Referral
from caremgmt.services.referrals import referral_create_by_hand, referral_transition
from tests.caremgmt.conftest import move
from tests.factories import UserFactory
from um_portal.accounts.roles import Role
from um_portal.audit.models import AccessLog, AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_nurse(db):
    return UserFactory(username="nurse2", roles=[Role.NURSE], credentials="RN")


# --- by hand ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["nurse", "director"])
def test_a_nurse_or_director_refers_by_hand_from_the_case_view(client_for, personas, case, who):
    received = case()
    response = client_for(personas[who]).post(
        reverse("caremgmt:refer", args=[received.pk]), {"reason": "Lives alone."}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("review:case", args=[received.pk])
    referral = Referral.objects.get()
    assert (referral.rule, referral.created_by, referral.reason, referral.status) == (
        None,
        personas[who],
        "Lives alone.",
        "new",
    )
    assert AuditEvent.objects.get(action="referral_create").actor == personas[who]


@pytest.mark.parametrize("who", ["intake", "manager", "provider"])
def test_other_roles_may_not_refer_by_hand(client_for, personas, case, who):
    received = case()
    response = client_for(personas[who]).post(
        reverse("caremgmt:refer", args=[received.pk]), {"reason": "Lives alone."}
    )
    assert response.status_code == 403
    assert not Referral.objects.exists()
    with pytest.raises(NotPermitted):
        referral_create_by_hand(actor=personas[who], care_request=received, reason="x")


def test_a_second_referral_from_the_same_case_is_refused(client_for, nurse, director, case):
    received = case()
    referral_create_by_hand(actor=nurse, care_request=received, reason="Lives alone.")
    response = client_for(director).post(
        reverse("caremgmt:refer", args=[received.pk]), {"reason": "Again."}, follow=True
    )
    assert "already referred from this case" in response.content.decode()
    assert Referral.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_referral_needs_a_reason_of_at_most_500_characters(client_for, nurse, case, reason):
    received = case()
    response = client_for(nurse).post(
        reverse("caremgmt:refer", args=[received.pk]), {"reason": reason}, follow=True
    )
    assert "Give a reason" in response.content.decode()
    assert not Referral.objects.exists()
    with pytest.raises(ValidationFailed):
        referral_create_by_hand(actor=nurse, care_request=received, reason=reason)


# --- the status machine -----------------------------------------------------------------------

# (from status, action) → who may: "owner" is the nurse who accepted it.
MATRIX = {
    ("new", "accept"): {"owner", "other_nurse", "manager"},
    ("accepted", "record_contact"): {"owner", "manager"},
    ("accepted", "decline"): {"owner", "manager"},
    ("contacted", "enroll"): {"owner", "manager"},
    ("contacted", "decline"): {"owner", "manager"},
}
PATH_TO = {"new": (), "accepted": ("accept",), "contacted": ("accept", "record_contact")}
TARGET = {"accept": "accepted", "record_contact": "contacted", "enroll": "enrolled"}
ACTORS = ["owner", "other_nurse", "manager", "director", "intake"]


# Nobody owns a new referral, so "owner" has no row there.
CELLS = [
    (state, action, who)
    for (state, action) in MATRIX
    for who in ACTORS
    if not (state == "new" and who == "owner")
]


@pytest.mark.parametrize(("state", "action", "who"), CELLS)
def test_who_may_take_each_step(referral, nurse, other_nurse, personas, state, action, who):
    referral = move(referral, *PATH_TO[state], actor=nurse)  # the nurse accepts: the owner
    actor = {"owner": nurse, "other_nurse": other_nurse}.get(who) or personas[who]
    if who in MATRIX[(state, action)]:
        moved = referral_transition(referral=referral, name=action, actor=actor)
        assert moved.status == TARGET.get(action, "declined")
        event = AuditEvent.objects.get(action=f"referral_{action}")
        assert (event.actor, event.data["from"], event.data["to"]) == (actor, state, moved.status)
    else:
        with pytest.raises(NotPermitted):
            referral_transition(referral=referral, name=action, actor=actor)
        referral.refresh_from_db()
        assert referral.status == state
        assert not AuditEvent.objects.filter(action=f"referral_{action}").exists()


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("new", "record_contact"),
        ("new", "enroll"),
        ("new", "decline"),
        ("accepted", "enroll"),
        ("accepted", "accept"),
        ("enrolled", "decline"),
        ("declined", "enroll"),
    ],
)
def test_steps_out_of_order_are_refused(referral, manager, state, action):
    path = {
        "enrolled": ("accept", "record_contact", "enroll"),
        "declined": ("accept", "decline"),
    }.get(state) or PATH_TO[state]
    referral = move(referral, *path, actor=manager)
    with pytest.raises(InvalidTransition):
        referral_transition(referral=referral, name=action, actor=manager)
    referral.refresh_from_db()
    assert referral.status == state


def test_accepting_makes_the_nurse_the_owner_and_the_path_ends_enrolled(referral, nurse):
    referral = move(referral, "accept", "record_contact", "enroll", actor=nurse)
    assert (referral.status, referral.owner) == ("enrolled", nurse)
    assert [
        e.data["to"]
        for e in AuditEvent.objects.filter(action__startswith="referral_")
        .exclude(action="referral_create")
        .order_by("at", "pk")
    ] == [
        "accepted",
        "contacted",
        "enrolled",
    ]


def test_the_action_endpoint_enforces_the_owner(client_for, referral, nurse, other_nurse):
    move(referral, "accept", actor=nurse)
    url = reverse("caremgmt:act", args=[referral.pk, "record_contact"])
    assert client_for(other_nurse).post(url, {"note": ""}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "accepted"
    response = client_for(nurse).post(url, {"note": "Reached her daughter."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_note) == ("contacted", "Reached her daughter.")


def test_an_unknown_action_changes_nothing(client_for, referral, manager):
    url = reverse("caremgmt:act", args=[referral.pk, "delete"])
    response = client_for(manager).post(url, {}, follow=True)
    assert "Unknown action" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "new"


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("nurse", 200), ("manager", 200), ("director", 403), ("intake", 403), ("provider", 403)],
)
def test_the_queue_is_for_care_managers(client_for, personas, who, status):
    assert client_for(personas[who]).get(reverse("caremgmt:queue")).status_code == status


@pytest.mark.parametrize("n", [1, 4])
def test_the_queue_logs_every_member_it_shows_in_a_fixed_number_of_queries(
    client_for, manager, nurse, case, django_assert_num_queries, n
):
    referrals = [
        referral_create_by_hand(actor=nurse, care_request=case(), reason=f"Reason {i}")
        for i in range(n)
    ]
    client = client_for(manager)
    # session, user, groups, the referrals with their parties, the access-log insert, the
    # nav's unread-notification count, the session save (savepoint, update, release)
    with django_assert_num_queries(9):
        response = client.get(reverse("caremgmt:queue"))
    body = response.content.decode()
    for r in referrals:
        assert reverse("caremgmt:detail", args=[r.pk]) in body
    logged = AccessLog.objects.filter(user=manager, action="caremgmt_queue")
    assert {row.member_id for row in logged if row.member_id} == {r.member_id for r in referrals}
    assert {row.case_id for row in logged if row.case_id} == {r.care_request_id for r in referrals}


def test_the_queue_filters_by_status(client_for, manager, nurse, case):
    open_one = referral_create_by_hand(actor=nurse, care_request=case(), reason="Open.")
    closed = move(
        referral_create_by_hand(actor=nurse, care_request=case(), reason="Closed."),
        "accept",
        "decline",
        actor=nurse,
    )
    client = client_for(manager)
    default = client.get(reverse("caremgmt:queue")).content.decode()
    declined = client.get(reverse("caremgmt:queue") + "?show=declined").content.decode()
    detail = reverse("caremgmt:detail", args=[closed.pk])
    assert detail not in default and detail in declined
    assert reverse("caremgmt:detail", args=[open_one.pk]) not in declined


def test_the_referral_page_offers_only_the_users_steps_and_logs_the_read(
    client_for, referral, nurse, other_nurse
):
    move(referral, "accept", actor=nurse)
    url = reverse("caremgmt:detail", args=[referral.pk])
    owner_page = client_for(nurse).get(url).content.decode()
    assert reverse("caremgmt:act", args=[referral.pk, "record_contact"]) in owner_page
    other_page = client_for(other_nurse).get(url).content.decode()
    assert reverse("caremgmt:act", args=[referral.pk, "record_contact"]) not in other_page
    assert "No step is open to you" in other_page
    assert AccessLog.objects.filter(
        user=other_nurse, action="caremgmt_view", member_id=referral.member_id
    ).exists()


def test_an_unknown_referral_is_404(client_for, manager):
    import uuid

    url = reverse("caremgmt:detail", args=[uuid.uuid4()])
    assert client_for(manager).get(url).status_code == 404


def test_the_manager_edits_referral_rules_in_the_admin(client):
    staff = UserFactory(username="mgr", roles=[Role.MANAGER], is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:caremgmt_referralrule_add")).status_code == 200
    assert client.get(reverse("admin:caremgmt_referral_changelist")).status_code == 200
    assert client.get(reverse("admin:caremgmt_referral_add")).status_code == 403
