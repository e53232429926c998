"""Explanations: what the case shows about which rules fired and why."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from intake.models import AuthRequirementRule
from intake.rules.explain import Trace
from intake.rules.selectors import rules_panel_context
from tests.factories import UserFactory, make_case
from tests.intake.rules_support import auto_rule, checklist_rule, needs_rule

pytestmark = pytest.mark.django_db


def test_trace_records_each_rule_type_with_its_versions():
    trace = Trace()
    needs = needs_rule(key="visits", name="Visits")
    notes = checklist_rule(key="notes")
    auto = auto_rule(key="mri", name="MRI")
    trace.fire(needs, result="not_required")
    trace.fire(notes, result="adds_item")
    trace.fire(auto, result="met")
    assert trace.rules_version == {
        "needs_assessment": {"visits": 1},
        "checklist": {"notes": 1},
        "auto_approval": {"mri": 1},
    }
    assert [f["name"] for f in trace.fired] == ["Visits", "Office notes", "MRI"]


def test_the_panel_lists_the_fired_rules_and_why_it_was_not_auto_approved(intake_specialist):
    auto_rule(name="Lumbar MRI", max_units=1)
    case = make_case(actor=intake_specialist, units=4)
    html = render_to_string("intake/includes/rules_panel.html", rules_panel_context(case))
    assert "Receipt: Left for intake" in html
    assert (
        "Line 1 (CPT 72148): does not meet auto-approval rule “Lumbar MRI v1”: 4 units exceed the "
        "limit of 1." in html
    )
    assert "<td>Lumbar MRI</td><td>auto-" in html
    assert "<td>not_met</td>" in html


def test_the_panel_for_a_case_the_engine_has_not_seen(intake_specialist):
    draft = make_case(actor=intake_specialist, submit=False)
    html = render_to_string("intake/includes/rules_panel.html", rules_panel_context(draft))
    assert "The rules engine has not evaluated this request yet." in html


def test_adding_a_rule_in_the_admin_writes_version_one(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:intake_authrequirementrule_add"),
        {
            "name": "Labs",
            "key": "labs",
            "order": 10,
            "code_system": "cpt",
            "code_from": "80047",
            "code_to": "89398",
            "places_of_service": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = AuthRequirementRule.objects.get(key="labs")
    assert (rule.version, rule.is_current, rule.requires_auth, rule.created_by) == (
        1,
        True,
        False,
        admin,
    )
