"""The engine never denies (42 CFR 422.566(d)): over every combination of rule configuration and
request, the outcome is an approval, a not-required closing, or the request left for intake."""

import itertools

import pytest
from django.db import transaction

from intake.models import DocumentKind, Provider, ServiceCategory, StatusEvent
from intake.services.receipt import care_request_submit
from tests.factories import CoverageFactory, PlanFactory, make_case
from tests.intake.rules_support import auto_rule, checklist_rule, needs_rule

ALLOWED_STATUSES = {"approved", "closed_no_auth_required", "submitted"}
ALLOWED_LINE_DECISIONS = {"approved", "not_required", "pending"}
ENGINE_TRANSITIONS = {"submit", "auto_approve", "close_not_required"}

NEEDS = [None, "requires", "not_required"]
AUTO = [None, "open", "diagnosis_mismatch", "in_network_only"]
CHECKLIST = [None, "complete", "missing"]
MEMBER = ["eligible", "not_eligible", "duplicate"]


def configure(needs, auto, checklist):
    imaging = ServiceCategory.objects.get(code="imaging")
    if needs:
        needs_rule(code_from="72148", requires_auth=needs == "requires")
    if auto == "open":
        auto_rule(category=imaging)
    elif auto == "diagnosis_mismatch":
        auto_rule(category=imaging, diagnosis_codes=["G47.33"])
    elif auto == "in_network_only":
        auto_rule(category=imaging, require_in_network=True)
    if checklist:
        checklist_rule(category=imaging, document_kind=DocumentKind.CLINICAL_NOTES)


def receive(actor, *, member, checklist, out_of_network):
    covers = ["dme"] if member == "not_eligible" else ["imaging"]
    coverage = CoverageFactory(plan=PlanFactory(covers=covers))
    if member == "duplicate":
        make_case(actor=actor, coverage=coverage)
    draft = make_case(actor=actor, coverage=coverage, units=2, submit=False)
    if out_of_network:
        Provider.objects.filter(pk=draft.servicing_provider_id).update(network_status="out")
    if checklist == "complete":
        from intake.demo import demo_pdf
        from intake.services.documents import document_upload

        document_upload(
            care_request=draft,
            actor=actor,
            kind=DocumentKind.CLINICAL_NOTES,
            name="notes.pdf",
            data=demo_pdf("notes"),
            channel="fax",
        )
    return care_request_submit(care_request=draft, actor=actor)


@pytest.mark.django_db
def test_no_rule_configuration_produces_a_denial(intake_specialist):
    outcomes = set()
    for needs, auto, checklist, member in itertools.product(NEEDS, AUTO, CHECKLIST, MEMBER):
        with transaction.atomic():
            configure(needs, auto, checklist)
            case = receive(
                intake_specialist,
                member=member,
                checklist=checklist,
                out_of_network=auto == "in_network_only",
            )
            combo = (needs, auto, checklist, member)
            assert case.status in ALLOWED_STATUSES, combo
            decisions = set(case.service_lines.values_list("decision", flat=True))
            assert decisions <= ALLOWED_LINE_DECISIONS, combo
            transitions = set(
                StatusEvent.objects.filter(care_request=case).values_list("transition", flat=True)
            )
            assert transitions <= ENGINE_TRANSITIONS, combo
            if case.status == "approved":
                assert decisions <= {"approved", "not_required"}, combo
                assert case.auth_number, combo
            outcomes.add(case.status)
            transaction.set_rollback(True)
    # The combinations reach every outcome the engine has, so the test is not vacuous.
    assert outcomes == ALLOWED_STATUSES
