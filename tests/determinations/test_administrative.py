"""Administrative denials (issue 19): who may issue which, what is written, and that a refused
attempt writes nothing."""

import pytest

from determinations.models import AdministrativeAuthority, Determination, Letter, LineDecision
from determinations.services.administrative import (
    AdministrativeLine,
    determination_issue_administrative,
)
from intake.models import CareRequest, CareRequestStatus, ServiceLine, StatusEvent
from intake.services.transitions import available_actions
from tests.determinations.admin_support import PROVISION, RATIONALE, admin_case
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db
S = CareRequestStatus


def issue(case, actor, reason="not_covered", provision=PROVISION, rationale=RATIONALE):
    return determination_issue_administrative(
        case=case,
        actor=actor,
        lines=[
            AdministrativeLine(service_line=line, reason_code=reason, provision=provision)
            for line in case.service_lines.all()
        ],
        rationale=rationale,
        note="Plan excludes hearing aids.",
    )


def assert_nothing_written(case, status):
    case.refresh_from_db()
    assert case.status == status
    assert not Determination.objects.filter(care_request=case).exists()
    assert not Letter.objects.filter(determination__care_request=case).exists()
    assert not case.service_lines.exclude(decision="pending").exists()


def test_intake_denies_a_service_the_plan_does_not_cover_although_eligibility_failed(
    intake_specialist, organization
):
    case = admin_case(intake=intake_specialist, organization=organization, lines=2)
    determination = issue(case, intake_specialist)

    case.refresh_from_db()
    assert case.status == S.DENIED
    assert case.decided_at == determination.decided_at
    assert (determination.outcome, determination.source, determination.administrative) == (
        "denied",
        "intake",
        True,
    )
    assert determination.reason_code == "not_covered"
    assert determination.rationale == RATIONALE
    lines = list(determination.line_decisions.order_by("service_line__sequence"))
    assert [(ld.outcome, ld.reason_code, ld.reason_label, ld.plan_provision) for ld in lines] == [
        ("denied", "not_covered", "Not a covered benefit", PROVISION)
    ] * 2
    assert all(ld.criteria_set_slug == "" for ld in lines)
    assert set(case.service_lines.values_list("decision", flat=True)) == {
        ServiceLine.Decision.DENIED
    }
    event = StatusEvent.objects.get(care_request=case, to_status=S.DENIED)
    assert (event.transition, event.from_status, event.actor) == (
        "deny_administratively",
        S.SUBMITTED,
        intake_specialist,
    )
    assert sorted(determination.letters.values_list("recipient", "template")) == [
        ("member", "admin_denial"),
        ("provider", "admin_denial"),
    ]
    assert AuditEvent.objects.filter(
        case_id=case.pk, action="determination.administrative"
    ).exists()


# (role, stage, reason) → "ok", or the error. Defaults (migration 0009): intake and nurses may
# deny for benefit and eligibility reasons at their own stage; out of network is a director's;
# medical necessity is never an administrative reason, not even for a director.
WHO = [
    ("intake", S.SUBMITTED, "not_covered", "ok"),
    ("intake", S.SUBMITTED, "not_eligible", "ok"),
    ("intake", S.SUBMITTED, "benefit_limit", "ok"),
    ("intake", S.SUBMITTED, "duplicate", "ok"),
    ("intake", S.SUBMITTED, "out_of_network", NotPermitted),
    ("intake", S.SUBMITTED, "not_med_necessary", ValidationFailed),
    ("intake", S.NURSE_REVIEW, "not_covered", NotPermitted),
    ("nurse", S.NURSE_REVIEW, "not_covered", "ok"),
    ("nurse", S.NURSE_REVIEW, "not_eligible", "ok"),
    ("nurse", S.NURSE_REVIEW, "out_of_network", NotPermitted),
    ("nurse", S.NURSE_REVIEW, "not_med_necessary", ValidationFailed),
    ("nurse", S.NURSE_REVIEW, "experimental", ValidationFailed),
    ("nurse", S.SUBMITTED, "not_covered", NotPermitted),
    ("nurse", S.MD_REVIEW, "not_covered", NotPermitted),
    ("director", S.SUBMITTED, "out_of_network", "ok"),
    ("director", S.NURSE_REVIEW, "not_covered", "ok"),
    ("director", S.MD_REVIEW, "out_of_network", "ok"),
    ("director", S.MD_REVIEW, "not_med_necessary", ValidationFailed),
    ("provider", S.SUBMITTED, "not_covered", NotPermitted),
    ("provider", S.NURSE_REVIEW, "not_covered", NotPermitted),
    ("manager", S.SUBMITTED, "not_covered", NotPermitted),
    ("manager", S.MD_REVIEW, "not_covered", NotPermitted),
    ("director", S.PENDING_INFO, "not_covered", InvalidTransition),
    ("intake", S.DRAFT, "not_covered", InvalidTransition),
]


@pytest.mark.parametrize(("role", "stage", "reason", "expected"), WHO)
def test_who_may_issue_which_administrative_denial(
    role, stage, reason, expected, personas, intake_specialist, organization
):
    case = admin_case(intake=intake_specialist, organization=organization, status=stage)
    user = personas[role]
    offered = "deny_administratively" in available_actions(case, user)
    if expected == "ok":
        assert offered
        issue(case, user, reason=reason)
        case.refresh_from_db()
        assert case.status == S.DENIED
        source = {"intake": "intake", "nurse": "nurse", "director": "physician"}[role]
        assert Determination.objects.get(care_request=case).source == source
    else:
        with pytest.raises(expected):
            issue(case, user, reason=reason)
        assert_nothing_written(case, stage)


def test_a_plans_own_setting_overrides_the_global_one(
    intake_specialist, nurse, organization, other_organization
):
    case = admin_case(intake=intake_specialist, organization=organization)
    other = admin_case(intake=intake_specialist, organization=other_organization)
    plan = case.coverage.plan
    AdministrativeAuthority.objects.create(
        reason_id=_reason_id("not_covered"), plan=plan, intake_may_decide=False
    )
    AdministrativeAuthority.objects.create(
        reason_id=_reason_id("out_of_network"), plan=plan, nurse_may_decide=True
    )
    with pytest.raises(NotPermitted):
        issue(case, intake_specialist)
    assert_nothing_written(case, S.SUBMITTED)
    issue(other, intake_specialist)  # another plan keeps the global default
    in_review = admin_case(
        intake=intake_specialist, organization=organization, status="nurse_review"
    )
    in_review.coverage.plan = plan
    CareRequest.objects.filter(pk=in_review.pk).update(coverage=case.coverage)
    in_review.refresh_from_db()
    issue(in_review, nurse, reason="out_of_network")
    assert Determination.objects.get(care_request=in_review).reason_code == "out_of_network"


def test_no_setting_at_all_means_only_a_director_may(intake_specialist, director, organization):
    AdministrativeAuthority.objects.all().delete()
    case = admin_case(intake=intake_specialist, organization=organization)
    assert "deny_administratively" not in available_actions(case, intake_specialist)
    with pytest.raises(NotPermitted):
        issue(case, intake_specialist)
    assert "deny_administratively" in available_actions(case, director)


def test_a_setting_cannot_delegate_a_medical_necessity_reason(intake_specialist, organization):
    AdministrativeAuthority.objects.create(
        reason_id=_reason_id("not_med_necessary"), intake_may_decide=True
    )
    case = admin_case(intake=intake_specialist, organization=organization)
    with pytest.raises(ValidationFailed) as err:
        issue(case, intake_specialist, reason="not_med_necessary")
    assert "lines[1].reason_code" in err.value.field_errors
    assert_nothing_written(case, S.SUBMITTED)


def test_missing_provision_or_a_coded_explanation_is_refused_with_field_errors(
    intake_specialist, organization
):
    case = admin_case(intake=intake_specialist, organization=organization)
    with pytest.raises(ValidationFailed) as err:
        issue(case, intake_specialist, provision="  ")
    assert err.value.field_errors == {
        "lines[1].provision": ["Name the plan provision the decision rests on."]
    }
    with pytest.raises(ValidationFailed) as err:
        issue(case, intake_specialist, rationale="Code 72148 is excluded.")
    assert set(err.value.field_errors) == {"lines[1].rationale"}
    assert_nothing_written(case, S.SUBMITTED)


def test_a_line_is_denied_once_and_a_decided_line_not_at_all(intake_specialist, organization):
    case = admin_case(intake=intake_specialist, organization=organization, lines=2)
    first = case.service_lines.order_by("sequence").first()
    with pytest.raises(ValidationFailed) as err:
        determination_issue_administrative(
            case=case,
            actor=intake_specialist,
            lines=[AdministrativeLine(first, "not_covered", PROVISION)] * 2,
            rationale=RATIONALE,
        )
    assert err.value.message == "Each service line of the case must be decided exactly once."
    assert_nothing_written(case, S.SUBMITTED)
    with pytest.raises(ValidationFailed) as err:
        determination_issue_administrative(
            case=case, actor=intake_specialist, lines=[], rationale=RATIONALE
        )
    assert err.value.field_errors == {"lines": ["Choose at least one service line to deny."]}
    assert_nothing_written(case, S.SUBMITTED)

    # Held once, the line is decided: denying it again is refused, nothing more written.
    determination_issue_administrative(
        case=case,
        actor=intake_specialist,
        lines=[AdministrativeLine(first, "not_covered", PROVISION)],
        rationale=RATIONALE,
    )
    with pytest.raises(ValidationFailed) as err:
        determination_issue_administrative(
            case=case,
            actor=intake_specialist,
            lines=[AdministrativeLine(first, "duplicate", PROVISION)],
            rationale=RATIONALE,
        )
    assert "a decided line cannot" in err.value.message
    assert first.administrative_denial.reason_code == "not_covered"


def test_a_decided_case_cannot_be_denied_again(intake_specialist, director, organization):
    case = admin_case(intake=intake_specialist, organization=organization)
    issue(case, intake_specialist)
    with pytest.raises((InvalidTransition, NotPermitted)):
        issue(case, director)
    assert Determination.objects.filter(care_request=case).count() == 1
    assert LineDecision.objects.filter(determination__care_request=case).count() == 1


def _reason_id(code):
    from determinations.models import DenialReason

    return DenialReason.objects.get(code=code).pk
