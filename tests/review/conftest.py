"""Fixtures for the review tests: criteria sets and cases driven to review stages through the
real intake and review services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.demo import demo_pdf
from intake.models import CareRequest, ChecklistRequirement, ServiceCategory
from intake.services import decision_hooks
from intake.services.documents import document_upload
from intake.services.eligibility import eligibility_check_record
from intake.services.workflow import care_request_triage
from review.demo_criteria import seed_criteria_sets
from review.selectors.criteria import criteria_set_for_line_map
from review.services.nurse_review import (
    AnswerInput,
    care_request_refer_to_director,
    nurse_review_save_answers,
)
from tests.factories import make_case


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def criteria_sets(db):
    """The demo criteria sets (lumbar MRI, knee arthroscopy, home oxygen, inpatient)."""
    return {cs.slug: cs for cs in seed_criteria_sets()}


@pytest.fixture
def decision_notices():
    """Capture the decision notices services send to the determinations app."""
    captured = []
    decision_hooks.register_decision_recorder(captured.append)
    yield captured
    decision_hooks._recorders.remove(captured.append)


def to_nurse_review(case: CareRequest, *, intake, assign_to=None) -> CareRequest:
    """Verify eligibility, supply every checklist document and triage the case."""
    eligibility_check_record(care_request=case, actor=intake)
    for item in case.checklist_items.all():
        document_upload(
            care_request=case,
            actor=intake,
            kind=item.document_kind,
            name=f"{item.document_kind}.pdf",
            data=demo_pdf(item.description),
            channel="fax",
        )
    care_request_triage(care_request=case, actor=intake)  # routes it to its queue
    if assign_to is not None:
        CareRequest.objects.filter(pk=case.pk).update(
            assigned_to=assign_to, assigned_at=timezone.now()
        )
    case.refresh_from_db()
    return case


@pytest.fixture
def checklist_requirements(db):
    """Imaging needs office notes and a therapy record, as in the demo data."""
    imaging = ServiceCategory.objects.get(code="imaging")
    for kind, text in (
        ("clinical_notes", "Office notes from the last 90 days"),
        ("therapy_notes", "Record of 6 weeks of conservative therapy"),
    ):
        ChecklistRequirement.objects.get_or_create(
            key=f"imaging-{kind}",
            defaults={"category": imaging, "document_kind": kind, "description": text},
        )


@pytest.fixture
def review_case(intake_specialist, criteria_sets, checklist_requirements):
    """review_case(code=..., lines=..., assign_to=...) → a case in nurse review, with its two
    imaging checklist documents received."""

    def make(*, assign_to=None, **kwargs):
        case = make_case(actor=intake_specialist, **kwargs)
        return to_nurse_review(case, intake=intake_specialist, assign_to=assign_to)

    return make


def answer_all(case: CareRequest, nurse, answer: str = "met", *, first_answer: str | None = None):
    """Answer every criterion of every line with `answer` (the very first with `first_answer`)."""
    lines = list(case.service_lines.all())
    answers = []
    for line_id, criteria_set in criteria_set_for_line_map(lines).items():
        if criteria_set is None:
            continue
        for criterion in criteria_set.criteria.all():
            answers.append(AnswerInput(line_id, criterion.pk, answer, f"Seen in notes ({answer})."))
    if first_answer is not None:
        a = answers[0]
        answers[0] = AnswerInput(a.service_line_id, a.criterion_id, first_answer, a.note)
    return nurse_review_save_answers(care_request=case, nurse=nurse, answers=answers)


@pytest.fixture
def md_review_case(review_case, nurse, director):
    """A case a nurse referred to the medical director, assigned to the director."""
    case = review_case(assign_to=nurse)
    care_request_refer_to_director(
        care_request=case,
        nurse=nurse,
        summary="Six weeks of therapy documented; no exam findings.",
        recommendation="Criterion 3 not met; consider denial or P2P.",
    )
    CareRequest.objects.filter(pk=case.pk).update(assigned_to=director)
    case.refresh_from_db()
    return case


def in_hours(hours: float):
    return timezone.now() + timedelta(hours=hours)
