"""Nurse work on a stay and the physician's denial of further days: the nurse approves the days
asked (criteria met) and sets the next review; only a physician denies days; the notice of
denied days goes through the letter pipeline with the last covered day, expedited appeal rights
and the peer-to-peer offer."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from determinations.models import Determination, Letter, LineDecision
from determinations.services import LineDecisionInput, determination_issue
from determinations.services.delivery import letter_render
from intake.models import StatusEvent
from review.services.nurse_review import care_request_refer_to_director
from stays.selectors import stay_get_for_user, stay_view
from stays.services import stay_request_extension, stay_review_nurse_approve
from tests.review.conftest import answer_all, to_nurse_review
from tests.stays.conftest import admit, retro
from um_portal.lib.errors import NotPermitted, ValidationFailed

RATIONALE = (
    "Since yesterday she is off intravenous diuretics, walking the ward and her oxygen needs "
    "are met at home levels: the acute setting is no longer needed."
)


@pytest.fixture
def stay(intake_specialist, facility):
    return admit(actor=intake_specialist, facility=facility, days=3, hours_ago=30)


def nurse_approves_first_review(stay, *, intake, nurse):
    review = stay.reviews.get(sequence=1)
    to_nurse_review(review.care_request, intake=intake, assign_to=nurse)
    answer_all(review.care_request, nurse)
    return stay_review_nurse_approve(
        nurse=nurse,
        stay_review=review,
        next_review_date=timezone.localdate() + dt.timedelta(days=1),
        summary="Continued-stay criteria met.",
    )


@pytest.mark.django_db
def test_nurse_approves_the_days_asked_and_sets_the_next_review(
    stay, intake_specialist, nurse, continued_stay_criteria
):
    review = nurse_approves_first_review(stay, intake=intake_specialist, nurse=nurse)
    assert review.care_request.status == "approved"
    view = stay_view(stay_get_for_user(nurse, stay.pk))
    assert (view.summary.approved, view.summary.denied, view.summary.used) == (3, 0, 2)
    assert view.next_review_date == timezone.localdate() + dt.timedelta(days=1)
    assert Determination.objects.get(care_request=review.care_request).source == "nurse"


@pytest.mark.django_db
def test_nurse_cannot_approve_days_when_a_criterion_is_not_met(
    stay, intake_specialist, nurse, continued_stay_criteria
):
    review = stay.reviews.get(sequence=1)
    to_nurse_review(review.care_request, intake=intake_specialist, assign_to=nurse)
    answer_all(review.care_request, nurse, first_answer="not_met")
    with pytest.raises(ValidationFailed):
        stay_review_nurse_approve(
            nurse=nurse, stay_review=review, next_review_date=timezone.localdate()
        )
    review.care_request.refresh_from_db()
    assert review.care_request.status == "nurse_review"


@pytest.fixture
def extension_at_md_review(stay, intake_specialist, nurse, continued_stay_criteria):
    nurse_approves_first_review(stay, intake=intake_specialist, nurse=nurse)
    case = stay_request_extension(
        actor=intake_specialist, stay=stay, requested_days=3, channel="phone"
    )
    to_nurse_review(case, intake=intake_specialist, assign_to=nurse)
    care_request_refer_to_director(
        care_request=case,
        nurse=nurse,
        summary="Off IV diuretics since yesterday.",
        recommendation="One more day to finish teaching, then home.",
    )
    case.refresh_from_db()
    return case


def one_more_day(case, criteria_set):
    line = case.service_lines.get()
    return LineDecisionInput(
        service_line=line,
        outcome="modified",
        approved_units=1,
        approved_start=line.start_date,
        approved_end=line.start_date,
        reason_code="not_med_necessary",
        rationale=RATIONALE,
        criteria_set=criteria_set,
        criterion=criteria_set.criteria.first(),
    )


@pytest.mark.django_db
def test_only_a_physician_denies_days(extension_at_md_review, nurse, continued_stay_criteria):
    case = extension_at_md_review
    events = StatusEvent.objects.count()
    with pytest.raises(NotPermitted):
        determination_issue(
            case=case, director=nurse, line_decisions=[one_more_day(case, continued_stay_criteria)]
        )
    case.refresh_from_db()
    assert (case.status, Determination.objects.filter(care_request=case).count()) == (
        "md_review",
        0,
    )
    assert (
        StatusEvent.objects.count(),
        LineDecision.objects.filter(service_line__care_request=case).count(),
    ) == (events, 0)


@pytest.mark.django_db
def test_nurse_cannot_take_the_approve_days_path_for_fewer_days(
    stay, intake_specialist, nurse, continued_stay_criteria
):
    # A nurse's approval always approves every day asked: there is no "approve 1 of 3".
    review = nurse_approves_first_review(stay, intake=intake_specialist, nurse=nurse)
    line = review.care_request.service_lines.get()
    assert (line.approved_units, line.approved_end) == (line.units, line.end_date)


def pdf_text(letter: Letter) -> str:
    letter.refresh_from_db()
    with letter.pdf.open("rb") as f:
        data = f.read()
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )


@pytest.mark.django_db
def test_director_denies_further_days_and_the_notice_says_the_last_covered_day(
    extension_at_md_review, director, continued_stay_criteria, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = extension_at_md_review
    determination = determination_issue(
        case=case, director=director, line_decisions=[one_more_day(case, continued_stay_criteria)]
    )
    case.refresh_from_db()
    assert (case.status, determination.outcome) == ("partially_approved", "partially_approved")
    stay = stay_get_for_user(director, case.stay_review.stay_id)
    view = stay_view(stay)
    last_covered = case.service_lines.get().start_date
    assert (view.summary.requested, view.summary.approved, view.summary.denied) == (6, 4, 2)
    assert view.summary.last_covered_day == last_covered
    letters = {x.recipient: x for x in determination.letters.all()}
    assert set(letters) == {"provider", "member"}
    for letter in letters.values():
        assert letter_render(letter.pk) is True
    provider_text = pdf_text(letters["provider"])
    assert (
        f"covered through {last_covered:%B} {last_covered.day}, {last_covered:%Y}" in provider_text
    )
    assert "2 further days requested are not covered" in provider_text
    assert "expedited appeal" in provider_text
    assert "peer-to-peer" in provider_text
    member_text = pdf_text(letters["member"])
    assert "Your last covered day in the hospital" in member_text
    assert f"through {last_covered:%B} {last_covered.day}, {last_covered:%Y}" in member_text
    assert "fast appeal" in member_text


@pytest.mark.django_db
def test_a_retrospective_denial_letter_speaks_of_payment(
    make_md_case_retro, director, continued_stay_criteria, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = make_md_case_retro
    line = case.service_lines.get()
    determination = determination_issue(
        case=case,
        director=director,
        line_decisions=[
            LineDecisionInput(
                service_line=line,
                outcome="denied",
                reason_code="not_med_necessary",
                rationale=RATIONALE,
                criteria_set=continued_stay_criteria,
                criterion=continued_stay_criteria.criteria.first(),
            )
        ],
    )
    letter = determination.letters.get(recipient="provider")
    assert letter_render(letter.pk) is True
    text = pdf_text(letter)
    assert "Payment review (retrospective) denied" in text
    assert "claim CLM-9" in text
    assert "payment for those services, not about care to come" in text
    assert "If waiting for a standard appeal could seriously jeopardize" not in text


@pytest.fixture
def make_md_case_retro(intake_specialist, nurse, organization):
    from tests.determinations.conftest import move_to_md_review
    from tests.factories import ProviderFactory

    case = retro(
        intake_specialist,
        provider=ProviderFactory(organization=organization),
        days_ago=15,
        claim_number="CLM-9",
        description="MRI of the lower back",
    )
    return move_to_md_review(case, intake=intake_specialist, nurse=nurse)
