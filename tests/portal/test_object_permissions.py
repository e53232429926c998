"""Provider access is an object permission on the case (django-guardian), granted in services.

The isolation walks (tests/portal/test_isolation.py, tests/api/test_isolation.py) prove another
organisation gets 404. These prove the grant itself is what opens a case: the same organisation
without the grant gets 404 too, `view` without `change` may read but not act, leaving an
organisation takes its cases away at once, and neither roles nor global permissions widen it.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from intake.apis.selectors import care_request_scope_for_user
from intake.models import CareRequest, CareRequestGroupObjectPermission, StatusEvent
from intake.services.access import care_request_grant_to_organization
from tests.api.test_isolation import CASE_URLS as API_CASE_URLS
from tests.factories import OrganizationFactory, UserFactory, make_case
from tests.portal.test_case_letters import denied_case  # noqa: F401 - fixture
from tests.portal.test_isolation import CASE_URLS as PORTAL_CASE_URLS
from tests.portal.test_isolation import _kwargs
from um_portal.accounts.roles import Role
from um_portal.accounts.services import provider_organization_group, provider_user_set_organization
from um_portal.audit.models import AuditEvent


def _api(user):
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client


def _grants(case, *, codename=None):
    qs = CareRequestGroupObjectPermission.objects.filter(content_object=case)
    if codename:
        qs = qs.filter(permission__codename=codename)
    return qs


def _statuses():
    return list(CareRequest.objects.order_by("pk").values_list("status", flat=True))


# --- what the services grant -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_request_is_granted_view_and_change_to_its_organisation_and_nobody_else(
    intake_specialist, organization, other_organization
):
    make_case(actor=intake_specialist, organization=other_organization)
    case = make_case(actor=intake_specialist, organization=organization)

    granted = set(_grants(case).values_list("group_id", "permission__codename"))
    group = provider_organization_group(organization=organization)
    assert granted == {(group.pk, "view_carerequest"), (group.pk, "change_carerequest")}
    # Only the direct-FK table: nothing in guardian's generic tables.
    assert not UserObjectPermission.objects.exists()
    assert not GroupObjectPermission.objects.exists()


@pytest.mark.django_db
def test_a_request_created_through_the_api_is_granted_like_any_other(provider_user, organization):
    from tests.factories import CoverageFactory, ProviderFactory

    coverage = CoverageFactory()
    npi = ProviderFactory(organization=organization).npi
    response = _api(provider_user).post(
        "/api/v1/care-requests/",
        {
            "member_id": coverage.member_number,
            "member_birth_date": str(coverage.member.birth_date),
            "requesting_provider_npi": npi,
            "lines": [
                {
                    "code": "72148",
                    "code_system": "cpt",
                    "units": 1,
                    # Prospective: the dates must not be past (the date rules at receipt).
                    "start_date": str(timezone.localdate() + timedelta(days=3)),
                    "end_date": str(timezone.localdate() + timedelta(days=33)),
                }
            ],
            "diagnoses": ["M54.16"],
            "submit": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = CareRequest.objects.get(pk=response.json()["id"])
    assert _grants(case).count() == 2


@pytest.mark.django_db
def test_granting_many_requests_costs_the_same_few_queries_and_twice_is_harmless(
    intake_specialist, organization, other_organization, django_assert_num_queries
):
    cases = [
        make_case(actor=intake_specialist, organization=org)
        for org in (organization, other_organization) * 3
    ]
    CareRequestGroupObjectPermission.objects.all().delete()
    # The organisations (with their groups), the two permissions, one insert.
    with django_assert_num_queries(3):
        assert care_request_grant_to_organization(care_requests=cases) == 12
    care_request_grant_to_organization(care_requests=cases)
    assert CareRequestGroupObjectPermission.objects.count() == 12


# --- the grant is the gate -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PORTAL_CASE_URLS))
def test_same_organisation_without_the_grant_gets_404_at_every_portal_url(
    name, client_for, provider_user, own_case, own_document
):
    _grants(own_case).delete()
    before = (_statuses(), StatusEvent.objects.count())
    url = reverse(f"portal:{name}", kwargs=_kwargs(name, own_case, own_document))
    client = client_for(provider_user)
    method = PORTAL_CASE_URLS[name]
    response = getattr(client, method)(url, {"response": "x", "reason": "x"})
    assert response.status_code == 404
    assert (_statuses(), StatusEvent.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), API_CASE_URLS)
def test_same_organisation_without_the_grant_gets_404_at_every_api_url(
    route, method, provider_user, own_case, own_document
):
    _grants(own_case).delete()
    before = (_statuses(), StatusEvent.objects.count())
    url = "/api/" + route.replace("<uuid:care_request_id>", str(own_case.pk)).replace(
        "<uuid:document_id>", str(own_document.pk)
    )
    client = _api(provider_user)
    data = {"reason": "x", "response": "x", "body": "x", "note": "x", "description": "x"}
    response = client.get(url) if method == "get" else client.post(url, data, format="json")
    assert response.status_code == 404, url
    assert (_statuses(), StatusEvent.objects.count()) == before


@pytest.mark.django_db
def test_lists_show_only_granted_requests(client_for, provider_user, intake_specialist, own_case):
    hidden = make_case(actor=intake_specialist, organization=provider_user.provider_organization)
    _grants(hidden).delete()

    page = client_for(provider_user).get(reverse("portal:home")).content.decode()
    assert own_case.reference in page
    assert hidden.reference not in page
    ids = {row["id"] for row in _api(provider_user).get("/api/v1/care-requests/").json()["results"]}
    assert ids == {str(own_case.pk)}


@pytest.mark.django_db
def test_view_without_change_may_read_but_not_act(client_for, provider_user, own_case):
    _grants(own_case, codename="change_carerequest").delete()
    client = client_for(provider_user)

    assert client.get(reverse("portal:case", args=[own_case.pk])).status_code == 200
    withdraw = reverse("portal:withdraw", args=[own_case.pk])
    assert client.post(withdraw, {"reason": "Not needed"}).status_code == 403
    api = _api(provider_user)
    assert api.get(f"/api/v1/care-requests/{own_case.pk}/").status_code == 200
    response = api.post(
        f"/api/v1/care-requests/{own_case.pk}/withdraw/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 403
    own_case.refresh_from_db()
    assert own_case.status == "submitted"


@pytest.mark.django_db
def test_neither_global_permissions_nor_superuser_status_widen_a_providers_scope(
    provider_user, intake_specialist, other_organization, own_case
):
    theirs = make_case(actor=intake_specialist, organization=other_organization)
    provider_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_carerequest", "change_carerequest"])
    )
    provider_user.is_superuser = True
    provider_user.save()

    scope = set(care_request_scope_for_user(provider_user).values_list("pk", flat=True))
    assert scope == {own_case.pk}
    assert theirs.pk not in scope


@pytest.mark.django_db
@pytest.mark.parametrize("perm", ["view", "change"])
def test_the_scope_agrees_with_guardians_own_answer(
    perm, provider_user, outsider, intake_specialist, organization, other_organization
):
    """Our EXISTS query is a faster spelling of guardian's get_objects_for_user; they must
    agree on a mix of full, view-only, revoked and other-organisation cases."""
    cases = [make_case(actor=intake_specialist, organization=organization) for _ in range(4)]
    cases.append(make_case(actor=intake_specialist, organization=other_organization))
    _grants(cases[1], codename="change_carerequest").delete()
    _grants(cases[2], codename="view_carerequest").delete()
    _grants(cases[3]).delete()

    for user in (provider_user, outsider):
        ours = set(care_request_scope_for_user(user, perm=perm).values_list("pk", flat=True))
        theirs = get_objects_for_user(
            user,
            f"intake.{perm}_carerequest",
            klass=CareRequest,
            with_superuser=False,
            accept_global_perms=False,
        )
        assert ours == set(theirs.values_list("pk", flat=True))
    assert set(
        care_request_scope_for_user(provider_user, perm=perm).values_list("pk", flat=True)
    ) == {
        cases[0].pk,
        cases[2 if perm == "change" else 1].pk,
    }


@pytest.mark.django_db
def test_an_inactive_provider_sees_nothing(provider_user, own_case):
    provider_user.is_active = False
    provider_user.save()
    provider_user.forget_groups()
    assert not care_request_scope_for_user(provider_user).exists()


@pytest.mark.django_db
def test_the_organisations_group_without_the_provider_role_opens_nothing(organization, own_case):
    member = UserFactory(roles=[])
    member.groups.add(provider_organization_group(organization=organization))
    assert not care_request_scope_for_user(member).exists()
    assert _api(member).get(f"/api/v1/care-requests/{own_case.pk}/").status_code == 403


@pytest.mark.django_db
def test_letters_and_the_peer_to_peer_request_need_the_grant(
    client_for,
    provider_user,
    denied_case,  # noqa: F811 - fixture
):
    from determinations.models import Letter
    from determinations.services.delivery import letter_render

    case, determination = denied_case
    letter = determination.letters.get(recipient=Letter.Recipient.PROVIDER)
    assert letter_render(letter.pk) is True
    client = client_for(provider_user)
    letter_url = reverse("determinations:letter_pdf", args=[letter.pk])
    p2p_url = reverse("scheduling:portal_request", args=[case.pk])
    assert client.get(letter_url).status_code == 200
    assert client.get(p2p_url).status_code == 200

    _grants(case, codename="change_carerequest").delete()
    assert client.get(letter_url).status_code == 200  # reading needs only `view`
    assert client.get(p2p_url).status_code == 404  # asking for a call acts on the case

    _grants(case).delete()
    assert client.get(letter_url).status_code == 404


# --- membership ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_moving_a_user_to_another_organisation_moves_what_they_see(
    client_for, provider_user, manager, intake_specialist, other_organization, own_case
):
    theirs = make_case(actor=intake_specialist, organization=other_organization)
    client = client_for(provider_user)
    assert client.get(reverse("portal:case", args=[own_case.pk])).status_code == 200

    provider_user_set_organization(
        actor=manager, user=provider_user, organization=other_organization
    )

    assert client.get(reverse("portal:case", args=[own_case.pk])).status_code == 404
    assert client.get(reverse("portal:case", args=[theirs.pk])).status_code == 200
    org_groups = provider_user.groups.filter(provider_organization__isnull=False)
    assert list(org_groups) == [provider_organization_group(organization=other_organization)]
    event = AuditEvent.objects.get(action="provider_organization_changed")
    assert event.actor == manager
    assert event.data["to"] == str(other_organization.pk)


@pytest.mark.django_db
def test_leaving_every_organisation_closes_the_portal(client_for, provider_user, own_case):
    provider_user_set_organization(actor=None, user=provider_user, organization=None)
    provider_user.refresh_from_db()
    assert provider_user.provider_organization is None
    assert not provider_user.groups.filter(provider_organization__isnull=False).exists()
    assert client_for(provider_user).get(reverse("portal:home")).status_code == 403


@pytest.mark.django_db
def test_setting_the_same_organisation_again_repairs_membership_without_an_audit_entry(
    provider_user, organization
):
    provider_user.groups.remove(provider_organization_group(organization=organization))
    AuditEvent.objects.all().delete()

    provider_user_set_organization(actor=None, user=provider_user, organization=organization)

    assert provider_user.groups.filter(pk=organization.group_id).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_new_organisation_gets_one_group_on_its_first_grant(intake_specialist):
    organization = OrganizationFactory()
    assert organization.group_id is None
    make_case(actor=intake_specialist, organization=organization)
    make_case(actor=intake_specialist, organization=organization)
    organization.refresh_from_db()
    assert organization.group_id is not None
    assert Group.objects.filter(name=f"provider-organization:{organization.pk}").count() == 1
    assert set(CareRequestGroupObjectPermission.objects.values_list("group_id", flat=True)) == {
        organization.group_id
    }


# --- the admin -------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    admin = UserFactory(roles=[Role.MANAGER], is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client, admin


def _user_form(user, organization, groups):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in groups],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "provider_organization": organization.pk if organization else "",
        "credentials": "",
        "phone": "",
        "time_zone": "America/New_York",
    }


@pytest.mark.django_db
def test_the_admin_lists_only_roles_as_groups_and_moves_organisation_through_the_service(
    admin_client, provider_user, organization, other_organization, own_case
):
    client, admin = admin_client
    url = reverse("admin:accounts_user_change", args=[provider_user.pk])
    form = client.get(url).context["adminform"].form
    assert not form.fields["groups"].queryset.filter(provider_organization__isnull=False).exists()

    provider_role = Group.objects.get(name=Role.PROVIDER)
    response = client.post(url, _user_form(provider_user, other_organization, [provider_role]))
    assert response.status_code == 302, response.context["adminform"].form.errors

    provider_user.refresh_from_db()
    assert provider_user.provider_organization == other_organization
    assert set(provider_user.groups.all()) == {
        provider_role,
        provider_organization_group(organization=other_organization),
    }
    assert not care_request_scope_for_user(provider_user).filter(pk=own_case.pk).exists()
    assert AuditEvent.objects.get(action="provider_organization_changed").actor == admin

    # Saving again without changing the organisation keeps the membership and logs nothing new.
    client.post(url, _user_form(provider_user, other_organization, [provider_role]))
    provider_user.refresh_from_db()
    assert provider_user.groups.filter(pk=other_organization.group_id).exists()
    assert AuditEvent.objects.filter(action="provider_organization_changed").count() == 1
