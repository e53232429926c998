"""Rules are versioned: an edit writes a new version, old versions never change, and a decision
records the version it used."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from intake.models import AuthRequirementRule, AutoApprovalRule, ChecklistRequirement
from intake.rules.versioning import rule_revise
from tests.factories import UserFactory, make_case
from tests.intake import rules_support
from tests.intake.rules_support import auto_rule, checklist_rule, needs_rule
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition

pytestmark = pytest.mark.django_db
notices = rules_support.notices


def test_revising_a_rule_writes_the_next_version_and_keeps_the_old_one(manager):
    v1 = auto_rule(key="mri", name="MRI", max_units=1)
    v1.max_units = 2
    v2 = rule_revise(rule=v1, actor=manager)
    old = AutoApprovalRule.objects.get(key="mri", version=1)
    assert (old.max_units, old.is_current) == (1, False)
    assert (v2.version, v2.max_units, v2.is_current, v2.created_by) == (2, 2, True, manager)
    assert AutoApprovalRule.objects.filter(key="mri").count() == 2
    assert AuditEvent.objects.get(action="rule.revised").data == {
        "type": "auto_approval",
        "key": "mri",
        "version": 2,
    }


def test_a_saved_version_cannot_be_changed_or_deleted():
    rule = needs_rule(code_from="99214")
    rule.requires_auth = True
    with pytest.raises(ValueError, match="immutable"):
        rule.save()
    with pytest.raises(ValueError, match="kept"):
        rule.delete()
    assert AuthRequirementRule.objects.get(pk=rule.pk).requires_auth is False


def test_a_replaced_version_cannot_be_revised_again(manager):
    v1 = checklist_rule(key="notes")
    stale = ChecklistRequirement.objects.get(pk=v1.pk)
    v1.description = "New words"
    rule_revise(rule=v1, actor=manager)
    stale.description = "Other words"
    with pytest.raises(InvalidTransition):
        rule_revise(rule=stale, actor=manager)
    assert ChecklistRequirement.objects.filter(key="notes").count() == 2


def test_only_one_current_version_per_key_is_enforced_by_the_database():
    needs_rule(key="dup")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthRequirementRule.objects.create(key="dup", name="x", version=2, requires_auth=True)


def test_a_decision_records_the_version_it_used(intake_specialist, manager, notices):
    v1 = auto_rule(key="mri", max_units=1)
    first = make_case(actor=intake_specialist, units=1)
    v1.max_units = 3
    rule_revise(rule=v1, actor=manager)
    second = make_case(actor=intake_specialist, units=3)
    assert (first.status, second.status) == ("approved", "approved")
    assert [n.rules_version["auto_approval"] for n in notices] == [{"mri": 1}, {"mri": 2}]
    assert [f["version"] for f in second.rule_evaluations.get().fired if f["key"] == "mri"] == [2]
    # The old evaluation still names version 1.
    assert [f["version"] for f in first.rule_evaluations.get().fired if f["key"] == "mri"] == [1]


def _admin_client(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client, admin


def _form(rule, **changes):
    data = {
        "name": rule.name,
        "order": rule.order,
        "code_system": rule.code_system,
        "code_from": rule.code_from,
        "code_to": rule.code_to,
        "line_of_business": rule.line_of_business,
        "plan": "",
        "places_of_service": ", ".join(rule.places_of_service),
        "network_status": rule.network_status,
        "is_active": "on" if rule.is_active else "",
    }
    if rule.requires_auth:
        data["requires_auth"] = "on"
    data.update(changes)
    return data


def test_saving_a_rule_in_the_admin_creates_a_new_version(client):
    client, admin = _admin_client(client)
    rule = needs_rule(key="visits", name="Visits", code_from="99202", code_to="99215")
    url = reverse("admin:intake_authrequirementrule_change", args=[rule.pk])
    response = client.post(url, _form(rule, code_to="99205", places_of_service="11, 22"))
    new = AuthRequirementRule.objects.get(key="visits", is_current=True)
    assert response.status_code == 302
    assert response.url == reverse("admin:intake_authrequirementrule_changelist")
    assert (new.version, new.code_to, new.places_of_service, new.created_by) == (
        2,
        "99205",
        ["11", "22"],
        admin,
    )
    old = AuthRequirementRule.objects.get(pk=rule.pk)
    assert (old.version, old.code_to, old.is_current) == (1, "99215", False)


def test_a_replaced_version_opens_read_only_in_the_admin(client, manager):
    client, _ = _admin_client(client)
    rule = needs_rule(key="visits", name="Visits", code_from="99214")
    rule.name = "Visits (renamed)"
    rule_revise(rule=rule, actor=manager)
    old = AuthRequirementRule.objects.get(key="visits", version=1)
    url = reverse("admin:intake_authrequirementrule_change", args=[old.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(old, name="Sneaky"))
    assert response.status_code == 403
    assert AuthRequirementRule.objects.filter(key="visits").count() == 2
    delete = reverse("admin:intake_authrequirementrule_delete", args=[old.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_adding_a_rule_with_an_existing_key_is_a_form_error(client):
    client, _ = _admin_client(client)
    existing = needs_rule(key="visits", name="Visits", code_from="99214")
    url = reverse("admin:intake_authrequirementrule_add")
    response = client.post(url, {**_form(existing), "key": "visits"})
    assert response.status_code == 200
    assert "A rule with this key exists" in response.content.decode()
    assert AuthRequirementRule.objects.filter(key="visits").count() == 1
