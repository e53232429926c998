"""Mixed decisions (issue 19): some lines denied administratively, each with its own reason and
plan provision, while the others go on to clinical review; the determination that finishes the
case carries every line, and its letters name each service with its own reason."""

import pytest
from django.urls import reverse

from determinations.models import AdministrativeLineDenial, Determination, Letter
from determinations.services.administrative import (
    AdministrativeLine,
    determination_issue_administrative,
)
from determinations.services.decide import determination_issue
from determinations.services.letter_check import letter_expectations
from determinations.services.letters import letter_check, letter_html, letter_html_and_context
from determinations.services.validation import LineDecisionInput
from intake.models import CareRequest, CareRequestStatus, ServiceLine
from review.services.nurse_review import care_request_nurse_approve, care_request_refer_to_director
from tests.determinations.admin_support import PROVISION, RATIONALE
from tests.determinations.test_letter_pdf_partial import _pdf_text
from tests.factories import CoverageFactory, MemberFactory, category, make_case
from tests.review.conftest import answer_all, to_nurse_review
from um_portal.lib.errors import ValidationFailed

pytestmark = pytest.mark.django_db
S = CareRequestStatus
HEARING = "Hearing aid for the right ear"
MRI = "MRI of the lower back"
OTHER_PROVISION = "Evidence of Coverage 2026, chapter 3, section 1.4: network providers"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from review.demo_criteria import seed_criteria_sets

    seed_criteria_sets()


def mixed_case(intake, organization, *, lines=2, language="en") -> CareRequest:
    """Line 1 a hearing aid the plan does not cover (eligibility fails on it); the other lines
    a lumbar MRI the plan covers."""
    member = MemberFactory(preferred_language=language, first_name="Ana", last_name="Reyes")
    coverage = CoverageFactory(member=member)
    coverage.plan.covered_categories.set([category("imaging")])
    case = make_case(actor=intake, organization=organization, coverage=coverage, lines=lines)
    case.service_lines.update(description=MRI)
    case.service_lines.filter(sequence=1).update(description=HEARING, category=category("dme"))
    from intake.services.eligibility import eligibility_check_record

    eligibility_check_record(care_request=case, actor=intake)
    case.refresh_from_db()
    assert case.eligibility_status == CareRequest.Eligibility.FAILED
    return case


def deny_first(case, actor, reason="not_covered", provision=PROVISION):
    first = case.service_lines.get(sequence=1)
    return determination_issue_administrative(
        case=case,
        actor=actor,
        lines=[AdministrativeLine(first, reason, provision)],
        rationale=RATIONALE,
        note="Hearing aids excluded.",
    )


def test_one_line_denied_the_other_stays_in_review_and_triage_opens(
    intake_specialist, organization
):
    case = mixed_case(intake_specialist, organization)
    assert deny_first(case, intake_specialist) is None

    case.refresh_from_db()
    assert case.status == S.SUBMITTED
    # The uncovered line is decided; the check of the line still to review passes.
    assert case.eligibility_status == CareRequest.Eligibility.VERIFIED
    assert dict(case.service_lines.values_list("sequence", "decision")) == {
        1: "denied",
        2: "pending",
    }
    held = AdministrativeLineDenial.objects.get(care_request=case)
    assert (held.service_line.sequence, held.reason_code, held.plan_provision, held.source) == (
        1,
        "not_covered",
        PROVISION,
        "intake",
    )
    # No determination and no letter yet: one notice when the request is decided.
    assert not Determination.objects.filter(care_request=case).exists()
    assert not Letter.objects.filter(determination__care_request=case).exists()

    case = to_nurse_review(case, intake=intake_specialist)
    assert case.status == S.NURSE_REVIEW


def test_nurse_approves_the_rest_partially_approved_with_administrative_letters(
    intake_specialist, nurse, organization, settings
):
    settings.SITE_URL = "https://um.plan.example"
    case = mixed_case(intake_specialist, organization)
    deny_first(case, intake_specialist)
    case = to_nurse_review(case, intake=intake_specialist, assign_to=nurse)
    answer_all(case, nurse, "met")

    care_request_nurse_approve(care_request=case, nurse=nurse, summary="Criteria met.")

    case.refresh_from_db()
    assert case.status == S.PARTIALLY_APPROVED
    determination = Determination.objects.get(care_request=case)
    assert (
        determination.outcome,
        determination.source,
        determination.administrative,
        determination.reason_code,
    ) == ("partially_approved", "nurse", True, "not_covered")
    assert [
        (ld.service_line.sequence, ld.outcome, ld.reason_code, ld.plan_provision)
        for ld in determination.line_decisions.order_by("service_line__sequence")
    ] == [(1, "denied", "not_covered", PROVISION), (2, "approved", "", "")]
    assert dict(case.service_lines.values_list("sequence", "decision")) == {
        1: "denied",
        2: "approved",
    }
    assert set(determination.letters.values_list("template", flat=True)) == {"admin_denial"}

    provider, context = letter_html_and_context(determination.letters.get(recipient="provider"))
    letter_check(provider, "admin_denial", expect=letter_expectations(context))
    text = _pdf_text(provider)
    assert "We have approved part of the request" in text
    assert f"Line 1 ({HEARING}) – Not a covered benefit." in text
    assert f"Line 1 ({HEARING}): {PROVISION}." in text
    assert case.auth_number in text
    assert "medical necessity" not in text.lower()
    member = _pdf_text(letter_html(determination.letters.get(recipient="member")))
    assert "We approved some of it." in member
    assert MRI in member and HEARING in member
    assert "This service is not a benefit covered by your plan." in member


def test_director_decides_the_rest_letter_names_each_service_with_its_own_reason(
    intake_specialist, nurse, director, organization, settings
):
    settings.SITE_URL = "https://um.plan.example"
    case = mixed_case(intake_specialist, organization, lines=3)
    # Line 1 not covered (intake); line 2 out of network (a director, on the same page).
    deny_first(case, intake_specialist)
    case = to_nurse_review(case, intake=intake_specialist, assign_to=nurse)
    care_request_refer_to_director(
        care_request=case, nurse=nurse, summary="Therapy documented.", recommendation="Decide."
    )
    CareRequest.objects.filter(pk=case.pk).update(assigned_to=director)
    second = case.service_lines.get(sequence=2)
    assert (
        determination_issue_administrative(
            case=case,
            actor=director,
            lines=[AdministrativeLine(second, "out_of_network", OTHER_PROVISION)],
            rationale=RATIONALE,
        )
        is None
    )
    third = case.service_lines.get(sequence=3)
    # The director decides only the line left: a held line cannot be decided again.
    with pytest.raises(ValidationFailed) as err:
        determination_issue(
            case=case,
            director=director,
            line_decisions=[
                LineDecisionInput(service_line=second, outcome="approved"),
                LineDecisionInput(service_line=third, outcome="approved"),
            ],
        )
    assert list(err.value.field_errors) == ["lines[2].outcome"]
    determination = determination_issue(
        case=case,
        director=director,
        line_decisions=[LineDecisionInput(service_line=third, outcome="approved")],
    )
    case.refresh_from_db()
    assert case.status == S.PARTIALLY_APPROVED
    assert (determination.outcome, determination.administrative, determination.reason_code) == (
        "partially_approved",
        True,
        "",  # two reasons
    )
    assert [
        (ld.service_line.sequence, ld.outcome, ld.reason_label, ld.plan_provision)
        for ld in determination.line_decisions.order_by("service_line__sequence")
    ] == [
        (1, "denied", "Not a covered benefit", PROVISION),
        (2, "denied", "Out of network", OTHER_PROVISION),
        (3, "approved", "", ""),
    ]
    provider, context = letter_html_and_context(determination.letters.get(recipient="provider"))
    letter_check(provider, "admin_denial", expect=letter_expectations(context))
    text = _pdf_text(provider)
    assert f"Line 1 ({HEARING}) – Not a covered benefit." in text
    assert f"Line 2 ({MRI}) – Out of network" in text
    assert f"Line 2 ({MRI}): {OTHER_PROVISION}." in text
    for letter in determination.letters.all():
        html, context = letter_html_and_context(letter)
        letter_check(
            html, "admin_denial", recipient=letter.recipient, expect=letter_expectations(context)
        )


def test_director_denies_the_rest_for_medical_necessity_the_letter_keeps_each_reason(
    intake_specialist, nurse, director, organization, settings
):
    settings.SITE_URL = "https://um.plan.example"
    case = mixed_case(intake_specialist, organization)
    deny_first(case, intake_specialist)
    case = to_nurse_review(case, intake=intake_specialist, assign_to=nurse)
    care_request_refer_to_director(
        care_request=case, nurse=nurse, summary="No therapy.", recommendation="Deny."
    )
    from review.models import CriteriaSet

    lumbar = CriteriaSet.objects.get(slug="lumbar-spine-mri", is_current=True)
    second = case.service_lines.get(sequence=2)
    determination = determination_issue(
        case=case,
        director=director,
        line_decisions=[
            LineDecisionInput(
                service_line=second,
                outcome="denied",
                reason_code="not_med_necessary",
                rationale="The records show no six weeks of therapy before the scan was asked for.",
                criteria_set=lumbar,
                criterion=lumbar.criteria.first(),
            )
        ],
    )
    assert (determination.outcome, determination.administrative) == ("denied", False)
    letter = determination.letters.get(recipient="provider")
    assert letter.template == "denial"
    html, context = letter_html_and_context(letter)
    letter_check(html, "denial", expect=letter_expectations(context))
    text = _pdf_text(html)
    assert f"Line 1 ({HEARING}) – Not a covered benefit." in text
    assert f"Plan provision: {PROVISION}." in text
    assert f"Line 2 ({MRI}) – " in text


def test_view_denies_the_chosen_lines_each_with_its_own_reason(
    client, intake_specialist, director, organization
):
    case = mixed_case(intake_specialist, organization, lines=3)
    client.force_login(director)
    url = reverse("determinations:administrative", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="line-2-decision"' in page.content
    response = client.post(
        url,
        {
            "reason_code": "not_covered",
            "provision": PROVISION,
            "rationale": RATIONALE,
            "line-1-decision": "deny",
            "line-2-decision": "deny",
            "line-2-reason_code": "out_of_network",
            "line-2-provision": OTHER_PROVISION,
            "line-3-decision": "review",
        },
    )
    assert response.status_code == 302
    held = {
        h.service_line.sequence: (h.reason_code, h.plan_provision, h.source)
        for h in AdministrativeLineDenial.objects.filter(care_request=case)
    }
    assert held == {
        1: ("not_covered", PROVISION, "physician"),
        2: ("out_of_network", OTHER_PROVISION, "physician"),
    }
    case.refresh_from_db()
    assert case.status == S.SUBMITTED
    page = client.get(url)
    assert f"Line 2: Out of network – {OTHER_PROVISION}" in page.content.decode()
    assert b'name="line-3-decision"' in page.content
    assert b'name="line-1-decision"' not in page.content


def test_view_names_the_line_missing_its_reason(client, intake_specialist, organization):
    case = mixed_case(intake_specialist, organization)
    client.force_login(intake_specialist)
    response = client.post(
        reverse("determinations:administrative", args=[case.pk]),
        {
            "provision": PROVISION,
            "rationale": RATIONALE,
            "line-1-decision": "deny",
            "line-2-decision": "review",
        },
    )
    assert response.status_code == 400
    assert response.context["denial_form"].errors["reason_code"] == [
        "Choose a benefit, eligibility or network reason. A medical-necessity denial is a "
        "medical director's decision."
    ]
    assert not AdministrativeLineDenial.objects.exists()
    assert ServiceLine.objects.filter(care_request=case, decision="pending").count() == 2
