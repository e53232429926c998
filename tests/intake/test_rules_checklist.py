"""Document-checklist rules: which documents a request needs."""

import pytest

from intake.models import DocumentKind, ServiceCategory
from intake.services.receipt import checklist_build
from tests.factories import make_case
from tests.intake.rules_support import add_line, checklist_rule

pytestmark = pytest.mark.django_db


def kinds(case) -> dict[str, bool]:
    return dict(case.checklist_items.values_list("document_kind", "required"))


def test_rules_match_by_category_setting_request_type_and_code(intake_specialist):
    imaging = ServiceCategory.objects.get(code="imaging")
    checklist_rule(category=imaging, document_kind=DocumentKind.CLINICAL_NOTES)
    checklist_rule(category=imaging, review_setting="inpatient", document_kind=DocumentKind.ORDER)
    checklist_rule(
        category=imaging, request_type="retrospective", document_kind=DocumentKind.LAB_RESULTS
    )
    checklist_rule(
        category=imaging, service_codes=["72148"], document_kind=DocumentKind.THERAPY_NOTES
    )
    checklist_rule(service_codes=["73721"], document_kind=DocumentKind.IMAGING_REPORT)
    checklist_rule(
        category=ServiceCategory.objects.get(code="dme"), document_kind=DocumentKind.OXYGEN_TEST
    )
    checklist_rule(document_kind=DocumentKind.MEDICAL_NECESSITY_LETTER, required=False)
    case = make_case(actor=intake_specialist, code="72148", review_setting="outpatient")
    assert kinds(case) == {"clinical_notes": True, "therapy_notes": True, "lmn": False}


def test_one_item_per_kind_required_if_any_rule_requires_it(intake_specialist):
    checklist_rule(key="optional", required=False, description="Optional notes")
    checklist_rule(key="required", required=True, description="Required notes")
    case = make_case(actor=intake_specialist)
    assert list(case.checklist_items.values_list("description", "required")) == [
        ("Required notes", True)
    ]


def test_build_is_idempotent_and_adds_what_a_new_line_calls_for(intake_specialist):
    checklist_rule(service_codes=["72149"], document_kind=DocumentKind.ORDER)
    checklist_rule(document_kind=DocumentKind.CLINICAL_NOTES)
    draft = make_case(actor=intake_specialist, submit=False)
    assert kinds(draft) == {"clinical_notes": True}
    add_line(draft, code="72149")
    rules = checklist_build(care_request=draft)
    checklist_build(care_request=draft)
    assert kinds(draft) == {"clinical_notes": True, "order": True}
    assert sorted(r.document_kind for r in rules) == ["clinical_notes", "order"]


def test_retired_and_replaced_rules_add_nothing(intake_specialist):
    checklist_rule(is_active=False)
    checklist_rule(is_current=False, key="old", document_kind=DocumentKind.ORDER)
    assert kinds(make_case(actor=intake_specialist)) == {}


def test_the_evaluation_cites_the_checklist_rules_with_versions(intake_specialist):
    rule = checklist_rule(key="imaging-notes", description="Office notes from the last 90 days")
    case = make_case(actor=intake_specialist)
    evaluation = case.rule_evaluations.get()
    assert {
        "type": "checklist",
        "id": rule.pk,
        "key": "imaging-notes",
        "version": 1,
        "name": "Office notes from the last 90 days",
        "line": None,
        "result": "adds_item",
    } in evaluation.fired
    assert (
        "Checklist: Office notes from the last 90 days (required) — rule imaging-notes v1."
        in evaluation.explanation
    )
