from collections import Counter
from io import StringIO

import pytest
from django.core.management.base import OutputWrapper

from determinations.models import Determination, Letter, LineDecision
from intake.models import CareRequest, ServiceLine, StatusEvent
from intake.models.care_request import CareRequestStatus as S
from um_portal.demo.bulk import OPEN, OUTCOME, bulk_cases
from um_portal.demo.steps import seed_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulk():
    seed_all(log=lambda msg: None)
    before = set(CareRequest.objects.values_list("pk", flat=True))
    out = StringIO()
    bulk_cases(count=50, out=OutputWrapper(out), seed=7)
    return CareRequest.objects.exclude(pk__in=before), out.getvalue()


def test_bulk_cases_creates_the_requested_number_with_a_progress_bar(bulk):
    cases, output = bulk
    assert cases.count() == 50
    assert "50/50 cases" in output


def test_decided_cases_have_one_initial_determination_matching_their_status(bulk):
    cases, _ = bulk
    for case in cases.prefetch_related("determinations", "service_lines"):
        initial = [d for d in case.determinations.all() if d.kind == Determination.Kind.INITIAL]
        if case.status in OUTCOME:
            assert len(initial) == 1, case.status
            assert initial[0].outcome == OUTCOME[case.status]
            assert initial[0].decided_at == case.decided_at
            assert case.decided_at >= case.received_at
        else:
            assert initial == []
        if case.status in OPEN:
            assert case.decided_at is None


def test_adverse_decisions_come_from_a_physician(bulk):
    cases, _ = bulk
    sources = Counter(
        Determination.objects.filter(
            care_request__in=cases, outcome__in=["denied", "partially_approved"]
        ).values_list("source", flat=True)
    )
    assert set(sources) <= {"physician"}


def test_every_line_of_a_decided_case_has_a_line_decision_and_one_sent_letter(bulk):
    cases, _ = bulk
    decided = cases.filter(status__in=list(OUTCOME))
    lines = ServiceLine.objects.filter(care_request__in=decided)
    assert LineDecision.objects.filter(service_line__in=lines).count() == lines.count()
    for line in lines.prefetch_related("line_decisions"):
        assert [d.outcome for d in line.line_decisions.all()] == [line.decision]
    letters = Letter.objects.filter(determination__care_request__in=decided)
    assert letters.count() == decided.count()
    assert set(letters.values_list("status", flat=True)) == {Letter.Status.SENT}
    assert not letters.filter(sent_at__isnull=True).exists()


def test_history_ends_in_the_case_status_and_pended_cases_have_a_pending_info_event(bulk):
    cases, _ = bulk
    for case in cases.prefetch_related("status_events"):
        events = sorted(case.status_events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].to_status == S.SUBMITTED
        assert events[-1].to_status == case.status
        if case.status == S.PENDING_INFO:
            assert events[-1].transition == "request_info"
    extended = cases.filter(original_due_at__isnull=False)
    for case in extended:
        assert case.extension_reason
        assert StatusEvent.objects.filter(care_request=case, to_status=S.PENDING_INFO).exists()


def test_bulk_cases_are_granted_to_their_organisation_like_any_other(bulk):
    from intake.models import CareRequestGroupObjectPermission

    cases, _ = bulk
    with_org = cases.filter(provider_organization__isnull=False).select_related(
        "provider_organization"
    )
    assert with_org.exists()
    for case in with_org:
        granted = set(
            CareRequestGroupObjectPermission.objects.filter(content_object=case).values_list(
                "group_id", "permission__codename"
            )
        )
        group = case.provider_organization.group_id
        assert granted == {(group, "view_carerequest"), (group, "change_carerequest")}


def test_every_decided_demo_case_has_its_letters(bulk):
    """The demo (not the bulk cases, which skip PDFs on purpose) decides through the real
    services, so every decision a new user opens has its provider and member letters."""
    bulk_cases_, _ = bulk
    demo = CareRequest.objects.exclude(pk__in=bulk_cases_).filter(status__in=list(OUTCOME))
    assert demo.filter(status="denied").count() >= 5
    for case in demo:
        recipients = set(
            Letter.objects.filter(determination__care_request=case).values_list(
                "recipient", flat=True
            )
        )
        assert recipients == {"provider", "member"}, case.reference
