"""Auto-approval at receipt: every condition, the approval itself, and its explanation."""

import pytest

from intake.demo import demo_pdf
from intake.models import EligibilityCheck, Provider, ServiceCategory
from intake.services.documents import document_upload
from intake.services.receipt import care_request_submit
from tests.factories import CoverageFactory, PlanFactory, make_case
from tests.intake import rules_support
from tests.intake.rules_support import add_line, auto_rule, checklist_rule, needs_rule

pytestmark = pytest.mark.django_db
notices = rules_support.notices


def submit_complete(actor, **case_fields):
    """A draft whose checklist is complete, then submitted (as the portal does)."""
    draft = make_case(actor=actor, submit=False, **case_fields)
    for item in draft.checklist_items.all():
        document_upload(
            care_request=draft,
            actor=actor,
            kind=item.document_kind,
            name="notes.pdf",
            data=demo_pdf("notes"),
            channel="portal",
        )
    return care_request_submit(care_request=draft, actor=actor)


def test_a_request_meeting_every_condition_is_approved_at_receipt(intake_specialist, notices):
    checklist_rule(category=ServiceCategory.objects.get(code="imaging"))
    rule = auto_rule(
        name="Lumbar MRI", service_codes=["72148"], diagnosis_codes=["M54"], max_units=1
    )
    case = submit_complete(intake_specialist, code="72148", diagnoses=("M54.16",))
    assert case.status == "approved"
    assert case.auth_number.startswith("A")
    line = case.service_lines.get()
    assert (line.decision, line.approved_units, line.approved_start, line.approved_end) == (
        "approved",
        1,
        line.start_date,
        line.end_date,
    )
    assert list(case.status_events.values_list("transition", "actor")) == [
        ("submit", intake_specialist.pk),
        ("auto_approve", None),
    ]
    # The eligibility condition was checked and recorded on the case, by the system.
    check = EligibilityCheck.objects.get(care_request=case)
    assert (check.eligible, check.checked_by) == (True, None)
    [evaluation] = case.rule_evaluations.all()
    assert evaluation.outcome == "approved"
    assert evaluation.explanation[-2:] == [
        "Line 1 (CPT 72148): meets auto-approval rule “Lumbar MRI v1”.",
        "Auto-approved: every service that needs authorization meets an auto-approval rule.",
    ]
    [notice] = notices
    assert (notice.outcome, notice.source, notice.actor) == ("approved", "rules", None)
    assert notice.rules_version["auto_approval"] == {rule.key: 1}
    assert notice.rules_version["evaluation"] == str(evaluation.pk)
    assert "checklist" in notice.rules_version


@pytest.mark.parametrize(
    ("rule_fields", "case_fields", "reason"),
    [
        ({"diagnosis_codes": ["G47.33"]}, {}, "no diagnosis on the request is one of G47.33"),
        ({"max_units": 2}, {"units": 3}, "3 units exceed the limit of 2"),
        ({"service_codes": ["72149"]}, {}, None),
        ({"category": "dme"}, {}, None),
    ],
)
def test_a_request_missing_a_condition_goes_to_intake_and_says_why(
    intake_specialist, notices, rule_fields, case_fields, reason
):
    if "category" in rule_fields:
        rule_fields["category"] = ServiceCategory.objects.get(code=rule_fields["category"])
    auto_rule(name="Rule", **rule_fields)
    case = submit_complete(intake_specialist, code="72148", **case_fields)
    assert case.status == "submitted"
    assert case.auth_number == ""
    assert list(case.service_lines.values_list("decision", flat=True)) == ["pending"]
    assert notices == []
    explanation = case.rule_evaluations.get().explanation
    if reason is None:  # out of the rule's scope
        assert "Line 1 (CPT 72148): no auto-approval rule applies to this service." in explanation
    else:
        assert (
            f"Line 1 (CPT 72148): does not meet auto-approval rule “Rule v1”: {reason}."
            in explanation
        )
    assert explanation[-1] == (
        "Not auto-approved: the request goes to intake and then to clinical review."
    )


def test_out_of_network_servicing_provider_is_not_auto_approved(intake_specialist):
    auto_rule(name="Rule")
    draft = make_case(actor=intake_specialist, submit=False)
    Provider.objects.filter(pk=draft.servicing_provider_id).update(network_status="out")
    case = care_request_submit(care_request=draft, actor=intake_specialist)
    assert case.status == "submitted"
    assert (
        "Line 1 (CPT 72148): does not meet auto-approval rule “Rule v1”: the servicing provider "
        "is out of network." in case.rule_evaluations.get().explanation
    )
    # Another condition failed, so eligibility was never looked up.
    assert not EligibilityCheck.objects.filter(care_request=case).exists()


def test_out_of_network_is_accepted_when_the_rule_does_not_require_it(intake_specialist):
    auto_rule(require_in_network=False)
    draft = make_case(actor=intake_specialist, submit=False)
    Provider.objects.filter(pk=draft.servicing_provider_id).update(network_status="out")
    assert care_request_submit(care_request=draft, actor=intake_specialist).status == "approved"


def test_missing_documents_block_auto_approval(intake_specialist):
    checklist_rule(category=ServiceCategory.objects.get(code="imaging"))
    auto_rule(name="Rule")
    case = make_case(actor=intake_specialist)
    assert case.status == "submitted"
    assert (
        "Line 1 (CPT 72148): does not meet auto-approval rule “Rule v1”: required documents are "
        "missing." in case.rule_evaluations.get().explanation
    )


def test_a_member_not_eligible_for_the_service_is_not_auto_approved(intake_specialist):
    auto_rule(name="Rule")
    coverage = CoverageFactory(plan=PlanFactory(covers=["dme"]))
    case = make_case(actor=intake_specialist, coverage=coverage)
    assert case.status == "submitted"
    assert case.eligibility_status == "failed"
    explanation = case.rule_evaluations.get().explanation
    assert (
        "Line 1 (CPT 72148): does not meet auto-approval rule “Rule v1”: the member's "
        "eligibility for the service could not be verified." in explanation
    )


def test_diagnosis_code_covers_the_codes_below_it(intake_specialist):
    auto_rule(diagnosis_codes=["M54.1"])
    assert make_case(actor=intake_specialist, diagnoses=("M54.16",)).status == "approved"
    auto_other = make_case(actor=intake_specialist, diagnoses=("R51.9",))
    assert auto_other.status == "submitted"


def test_later_rule_can_approve_what_an_earlier_one_does_not(intake_specialist):
    auto_rule(key="strict", order=10, max_units=1)
    auto_rule(key="generous", order=20, max_units=10)
    case = make_case(actor=intake_specialist, units=5)
    assert case.status == "approved"
    fired = [(f["key"], f["result"]) for f in case.rule_evaluations.get().fired]
    assert fired == [("strict", "not_met"), ("generous", "met")]


def test_every_line_needing_authorization_must_meet_a_rule(intake_specialist):
    auto_rule(service_codes=["72148"])
    draft = make_case(actor=intake_specialist, submit=False)
    add_line(draft, code="72149")
    case = care_request_submit(care_request=draft, actor=intake_specialist)
    assert case.status == "submitted"
    assert list(case.service_lines.values_list("decision", flat=True)) == ["pending", "pending"]


def test_lines_not_needing_authorization_stay_not_required_in_an_approval(intake_specialist):
    needs_rule(code_from="72149", requires_auth=False)
    auto_rule(service_codes=["72148"])
    draft = make_case(actor=intake_specialist, submit=False)
    add_line(draft, code="72149")
    case = care_request_submit(care_request=draft, actor=intake_specialist)
    assert case.status == "approved"
    assert dict(case.service_lines.values_list("code", "decision")) == {
        "72148": "approved",
        "72149": "not_required",
    }


def test_an_auto_approval_rule_needs_a_category_or_codes():
    from django.core.exceptions import ValidationError

    from intake.models import AutoApprovalRule

    rule = AutoApprovalRule(key="everything", name="Everything")
    with pytest.raises(ValidationError):
        rule.full_clean()
