"""Cases in medical director review, criteria sets, and decision inputs for the tests."""

from datetime import timedelta

import pytest

from determinations.services import LineDecisionInput
from intake.demo import demo_pdf
from intake.models import Member
from intake.services.documents import document_upload
from intake.services.eligibility import eligibility_check_record
from intake.services.transitions import care_request_transition
from review.models import CriteriaSet, Criterion
from tests.conftest import load_reference_data
from tests.factories import CoverageFactory, MemberFactory, make_case

RATIONALE = (
    "The records show only two weeks of physical therapy and no trial of anti-inflammatory "
    "medicine, and the back pain has no warning signs such as weakness or numbness."
)


def move_to_md_review(case, *, intake, nurse):
    eligibility_check_record(care_request=case, actor=intake)
    for item in case.checklist_items.all():
        document_upload(
            care_request=case,
            actor=intake,
            kind=item.document_kind,
            name="notes.pdf",
            data=demo_pdf("Clinical notes"),
            channel="fax",
        )
    care_request_transition(care_request=case, name="triage", actor=intake)
    care_request_transition(care_request=case, name="refer_to_md", actor=nurse)
    case.refresh_from_db()
    return case


@pytest.fixture
def reference_data(db):
    """Kept for the tests that name it; tests/conftest.py reloads the rows for every
    transactional test."""
    load_reference_data()


@pytest.fixture
def criteria_set(db):
    cs = CriteriaSet.objects.create(
        slug="lumbar-spine-imaging",
        version=3,
        name="Advanced imaging of the lumbar spine",
        codes=["72148"],
        summary="An MRI of the lower back is covered after six weeks of treatment without "
        "improvement, or sooner when there are warning signs.",
        name_es="Estudios de imágenes avanzados de la columna lumbar",
        summary_es="Cubrimos una resonancia magnética de la parte baja de la espalda después de "
        "seis semanas de tratamiento sin mejoría, o antes si hay señales de alarma.",
    )
    Criterion.objects.create(
        criteria_set=cs,
        sequence=1,
        text="Six weeks of conservative therapy documented",
        plain_language="You have tried six weeks of treatment such as physical therapy.",
        plain_language_es="Usted probó seis semanas de tratamiento, como terapia física.",
    )
    Criterion.objects.create(
        criteria_set=cs,
        sequence=2,
        text="Red-flag symptoms present",
        plain_language="Or you have warning signs such as new weakness or numbness.",
        plain_language_es="O tiene señales de alarma, como debilidad o adormecimiento nuevos.",
    )
    return cs


@pytest.fixture
def make_md_case(intake_specialist, nurse, organization):
    def make(*, lines: int = 2, units: int = 10, language: str = "en", plan_lob=None):
        member = MemberFactory(
            preferred_language=language,
            first_name="Rosa" if language == "es" else "Maria",
            address_line="12 Elm Street",
            city="Albany",
            postal_code="12207",
        )
        coverage_kwargs = {"member": member}
        if plan_lob:
            coverage_kwargs["plan__line_of_business"] = plan_lob
        case = make_case(
            actor=intake_specialist,
            organization=organization,
            lines=lines,
            units=units,
            coverage=CoverageFactory(**coverage_kwargs),
        )
        case.service_lines.update(description="MRI of the lower back")
        return move_to_md_review(case, intake=intake_specialist, nurse=nurse)

    return make


@pytest.fixture
def md_case(make_md_case):
    return make_md_case()


def approve(line):
    return LineDecisionInput(service_line=line, outcome="approved")


def deny(line, criteria_set, *, reason="not_med_necessary", rationale=RATIONALE):
    return LineDecisionInput(
        service_line=line,
        outcome="denied",
        reason_code=reason,
        rationale=rationale,
        criteria_set=criteria_set,
        criterion=criteria_set.criteria.first() if criteria_set else None,
    )


def reduce(line, criteria_set, *, units=4, days=14):
    return LineDecisionInput(
        service_line=line,
        outcome="modified",
        approved_units=units,
        approved_start=line.start_date,
        approved_end=line.start_date + timedelta(days=days - 1),
        reason_code="not_med_necessary",
        rationale=RATIONALE,
        criteria_set=criteria_set,
        criterion=criteria_set.criteria.first() if criteria_set else None,
    )


__all__ = ["Member", "approve", "deny", "move_to_md_review", "reduce"]


@pytest.fixture
def outbox_env(settings, tmp_path):
    """Letters stored in a temporary media root; e-mail kept in django.core.mail.outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings
