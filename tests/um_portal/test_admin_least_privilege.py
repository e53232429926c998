"""The admin is no back door (issue 15): clinical records are read-only there for everyone, the UM
manager is no superuser and holds only its role's permissions, a technical administrator manages
users without reading cases, and every configuration change made in the admin is audited."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from determinations.services import determination_issue
from intake.models import CareRequest, ServiceLine
from scheduling.models import Holiday
from tests.determinations.conftest import criteria_set, deny, make_md_case  # noqa: F401
from tests.factories import UserFactory
from um_portal.accounts.roles import CLINICAL_ROLES, CONFIGURATION_MODELS, Role
from um_portal.audit.admin import ConfigAuditMixin
from um_portal.audit.models import AuditEvent


@pytest.fixture
def staff_manager(db):
    return UserFactory(username="um-manager", roles=[Role.MANAGER], is_staff=True)


@pytest.fixture
def tech_admin(db):
    return UserFactory(username="tech-admin", roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def denied_case(make_md_case, director, criteria_set, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path)
    case = make_md_case(lines=1, units=10)
    determination_issue(
        case=case, director=director, line_decisions=[deny(case.service_lines.get(), criteria_set)]
    )
    case.refresh_from_db()
    return case


def _line_post_data(case: CareRequest, units: int) -> dict:
    line = case.service_lines.get()
    return {
        "service_lines-TOTAL_FORMS": "1",
        "service_lines-INITIAL_FORMS": "1",
        "service_lines-0-id": str(line.pk),
        "service_lines-0-care_request": str(case.pk),
        "service_lines-0-units": str(units),
        "service_lines-0-code": line.code,
    }


@pytest.mark.django_db
def test_the_demo_manager_is_not_a_superuser_and_the_demo_has_a_technical_administrator():
    from um_portal.demo.accounts import seed_accounts

    users = seed_accounts()["users"]
    manager, administrator = users["manager"], users["admin"]
    assert (manager.is_superuser, manager.is_staff) == (False, True)
    assert (administrator.is_superuser, administrator.is_staff) == (False, True)
    assert manager.has_role(Role.MANAGER)
    assert administrator.has_role(Role.ADMINISTRATOR)
    assert not administrator.is_staff_member  # no staff workspace, no clinical pages


@pytest.mark.django_db
@pytest.mark.parametrize("superuser", [False, True])
def test_manager_cannot_change_a_decided_cases_lines_in_the_admin(
    client, staff_manager, denied_case, superuser
):
    staff_manager.is_superuser = superuser
    staff_manager.save()
    client.force_login(staff_manager)
    url = reverse("admin:intake_carerequest_change", args=[denied_case.pk])
    line = denied_case.service_lines.get()
    before = CareRequest.objects.values().get(pk=denied_case.pk)

    assert client.get(url).status_code == 200  # may read it
    response = client.post(url, _line_post_data(denied_case, units=99))

    assert response.status_code == 403
    assert ServiceLine.objects.get(pk=line.pk).units == 10
    assert CareRequest.objects.values().get(pk=denied_case.pk) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_name", ["carerequest", "document", "member", "determination", "letter"]
)
def test_nothing_clinical_is_deleted_or_added_in_the_admin(
    client, staff_manager, denied_case, model_name
):
    from determinations.models import Determination, Letter

    objects = {
        "carerequest": ("intake", denied_case),
        "member": ("intake", denied_case.member),
        "document": ("intake", None),
        "determination": ("determinations", Determination.objects.get(care_request=denied_case)),
        "letter": (
            "determinations",
            Letter.objects.filter(determination__care_request=denied_case).first(),
        ),
    }
    app_label, obj = objects[model_name]
    client.force_login(staff_manager)
    assert client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 403
    if obj is not None:
        model = type(obj)
        delete = reverse(f"admin:{app_label}_{model_name}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
        client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk]})
        assert model.objects.filter(pk=obj.pk).exists()
    assert CareRequest.objects.filter(pk=denied_case.pk).exists()


@pytest.mark.django_db
def test_every_admin_is_read_only_or_audits_its_changes(staff_manager):
    """A new ModelAdmin must choose: a read-only record, or configuration with audited edits."""
    staff_manager.is_superuser = True  # even a superuser cannot edit a read-only record
    request = RequestFactory().get("/admin/")
    request.user = staff_manager
    unaudited_editable = []
    for model, model_admin in admin.site._registry.items():
        editable = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if editable and not isinstance(model_admin, ConfigAuditMixin):
            unaudited_editable.append(model._meta.label_lower)
        if model._meta.label_lower in CONFIGURATION_MODELS:
            assert isinstance(model_admin, ConfigAuditMixin), model._meta.label_lower
    assert unaudited_editable == []


@pytest.mark.django_db
def test_clinical_records_are_read_only_in_the_admin_even_for_a_superuser(staff_manager):
    staff_manager.is_superuser = True
    request = RequestFactory().get("/admin/")
    request.user = staff_manager
    for label in (
        "intake.carerequest",
        "intake.member",
        "intake.document",
        "determinations.determination",
        "determinations.letter",
        "audit.accesslog",
        "audit.auditevent",
        "intake.casenote",
    ):
        model_admin = next(
            a for m, a in admin.site._registry.items() if m._meta.label_lower == label
        )
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert model_admin.has_view_permission(request), label
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_change_permission(request), (label, inline)
            assert not inline.has_add_permission(request, None), (label, inline)


@pytest.mark.django_db
def test_a_configuration_change_in_the_admin_is_audited(client, staff_manager):
    client.force_login(staff_manager)
    response = client.post(
        reverse("admin:scheduling_holiday_add"), {"date": "2026-12-25", "name": "Christmas"}
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get(date="2026-12-25")
    response = client.post(
        reverse("admin:scheduling_holiday_change", args=[holiday.pk]),
        {"date": "2026-12-25", "name": "Christmas Day"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("admin:scheduling_holiday_delete", args=[holiday.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()

    events = list(AuditEvent.objects.filter(action__startswith="config.").order_by("at", "action"))
    assert [(e.action, e.actor_id, e.data["model"], e.data["object_id"]) for e in events] == [
        ("config.added", staff_manager.pk, "scheduling.holiday", str(holiday.pk)),
        ("config.changed", staff_manager.pk, "scheduling.holiday", str(holiday.pk)),
        ("config.deleted", staff_manager.pk, "scheduling.holiday", str(holiday.pk)),
    ]
    assert events[1].data["change"] == [{"changed": {"fields": ["Name"]}}]


@pytest.mark.django_db
def test_the_manager_edits_configuration_but_not_users(client, staff_manager):
    client.force_login(staff_manager)
    assert client.get(reverse("admin:intake_queue_add")).status_code == 200
    assert client.get(reverse("admin:review_criteriaset_add")).status_code == 200
    assert client.get(reverse("admin:intake_carerequest_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


@pytest.mark.django_db
def test_the_technical_administrator_manages_users_and_reads_no_case(
    client, tech_admin, denied_case
):
    client.force_login(tech_admin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
    for name in (
        "intake_carerequest",
        "intake_member",
        "intake_document",
        "determinations_letter",
        "audit_accesslog",
        "intake_queue",
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
    case_url = reverse("admin:intake_carerequest_change", args=[denied_case.pk])
    assert client.get(case_url).status_code == 403
    # Nor a clinical page outside the admin.
    assert client.get(reverse("review:dashboard")).status_code == 403


@pytest.mark.django_db
def test_the_technical_administrator_cannot_make_anyone_a_superuser(client, tech_admin):
    client.force_login(tech_admin)
    url = reverse("admin:accounts_user_change", args=[tech_admin.pk])
    data = {
        "username": tech_admin.username,
        "first_name": "T",
        "last_name": "A",
        "email": tech_admin.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [Group.objects.get(name=Role.ADMINISTRATOR).pk],
        "time_zone": "America/New_York",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    tech_admin.refresh_from_db()
    assert tech_admin.is_superuser is False
    changes = AuditEvent.objects.filter(action="config.changed", data__model="accounts.user")
    assert changes.count() == 1


def test_clinical_roles_have_no_admin_rights():
    from um_portal.accounts.roles import ROLE_PERMISSIONS

    assert all(role not in ROLE_PERMISSIONS for role in CLINICAL_ROLES)
