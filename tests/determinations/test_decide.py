"""determination_issue: outcomes, permissions (nothing written on refusal), validation."""

from datetime import timedelta

import pytest

from determinations.models import Determination, Letter, LineDecision
from determinations.services import (
    LineDecisionInput,
    determination_issue,
    determination_outcome,
)
from intake.models import CareRequest, ServiceLine, StatusEvent
from review.models import CriteriaSet
from tests.determinations.conftest import RATIONALE, approve, deny, reduce
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        (["approved"], "approved"),
        (["approved", "approved"], "approved"),
        (["denied"], "denied"),
        (["denied", "denied"], "denied"),
        (["approved", "denied"], "partially_approved"),
        (["modified"], "partially_approved"),
        (["modified", "approved"], "partially_approved"),
        (["modified", "denied"], "partially_approved"),
    ],
)
def test_overall_outcome_follows_the_lines(outcomes, expected):
    assert determination_outcome(outcomes) == expected


def _snapshot(case):
    return (
        Determination.objects.count(),
        LineDecision.objects.count(),
        Letter.objects.count(),
        StatusEvent.objects.filter(care_request=case).count(),
        AuditEvent.objects.filter(action="determination.issued").count(),
        CareRequest.objects.get(pk=case.pk).status,
        sorted(ServiceLine.objects.filter(care_request=case).values_list("decision", flat=True)),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nurse", "intake", "manager", "provider", "outsider"])
def test_only_a_director_can_issue_a_denial_and_nothing_is_written(
    persona, personas, md_case, criteria_set, django_capture_on_commit_callbacks
):
    before = _snapshot(md_case)
    lines = list(md_case.service_lines.all())
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(NotPermitted),
    ):
        determination_issue(
            case=md_case,
            director=personas[persona],
            line_decisions=[deny(line, criteria_set) for line in lines],
        )
    assert _snapshot(md_case) == before
    assert callbacks == []


@pytest.mark.django_db
def test_nurse_cannot_approve_through_the_director_service_either(md_case, nurse):
    before = _snapshot(md_case)
    with pytest.raises(NotPermitted):
        determination_issue(
            case=md_case,
            director=nurse,
            line_decisions=[approve(x) for x in md_case.service_lines.all()],
        )
    assert _snapshot(md_case) == before


@pytest.mark.django_db
def test_director_partially_approves_one_transaction(
    md_case, director, criteria_set, django_capture_on_commit_callbacks
):
    first, second = md_case.service_lines.all()
    with django_capture_on_commit_callbacks() as callbacks:
        d = determination_issue(
            case=md_case,
            director=director,
            line_decisions=[approve(first), deny(second, criteria_set)],
        )
    # After commit: the letters are queued once (and care management checks its referral rules
    # on the approval, in its own callback).
    assert [c.__qualname__.split(".")[0] for c in callbacks] == [
        "referral_on_case_transition",
        "letters_create",
    ]
    md_case.refresh_from_db()
    assert md_case.status == "partially_approved"
    assert d.outcome == "partially_approved"
    assert d.kind == "initial"
    assert d.source == "physician"
    assert d.decided_by == director
    assert (d.reviewer_name, d.reviewer_credentials) == ("Daniel Brooks", "MD")
    assert d.criteria_cited == [
        {
            "slug": "lumbar-spine-imaging",
            "name": "Advanced imaging of the lumbar spine",
            "version": 3,
        }
    ]
    assert d.auth_number and d.auth_number == md_case.auth_number
    assert d.reason_code == "not_med_necessary"
    assert d.rationale == RATIONALE
    lds = {ld.service_line_id: ld for ld in d.line_decisions.all()}
    assert lds[first.pk].outcome == "approved"
    assert (lds[first.pk].approved_units, lds[first.pk].approved_start) == (10, first.start_date)
    assert lds[second.pk].outcome == "denied"
    assert lds[second.pk].approved_units is None
    assert (lds[second.pk].criteria_set_name, lds[second.pk].criteria_set_version) == (
        "Advanced imaging of the lumbar spine",
        3,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decision, first.approved_units, first.approved_end) == (
        "approved",
        10,
        first.end_date,
    )
    assert (second.decision, second.approved_units) == ("denied", None)
    event = StatusEvent.objects.filter(care_request=md_case).latest("at")
    assert (event.transition, event.actor) == ("partially_approve", director)
    assert AuditEvent.objects.filter(action="determination.issued", case_id=md_case.pk).count() == 1
    letters = {(x.recipient, x.template, x.language, x.status) for x in d.letters.all()}
    assert letters == {
        ("provider", "partial", "en", "pending"),
        ("member", "partial", "en", "pending"),
    }


@pytest.mark.django_db
def test_denial_has_no_auth_number(md_case, director, criteria_set):
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[deny(x, criteria_set) for x in md_case.service_lines.all()],
    )
    md_case.refresh_from_db()
    assert (d.outcome, d.auth_number, md_case.auth_number, md_case.status) == (
        "denied",
        "",
        "",
        "denied",
    )


@pytest.mark.django_db
def test_reduced_units_and_period_is_a_partial_approval(md_case, director, criteria_set):
    first, second = md_case.service_lines.all()
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[reduce(first, criteria_set, units=4, days=14), approve(second)],
    )
    ld = d.line_decisions.get(service_line=first)
    assert (ld.outcome, ld.approved_units, ld.approved_end) == (
        "modified",
        4,
        first.start_date + timedelta(days=13),
    )
    assert d.outcome == "partially_approved"


@pytest.mark.django_db
def test_all_approved_is_an_approval(md_case, director):
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(x) for x in md_case.service_lines.all()],
    )
    md_case.refresh_from_db()
    assert (d.outcome, md_case.status) == ("approved", "approved")
    assert d.criteria_cited == []


def _one_line_errors(md_case, director, current_set, **changes):
    first, second = md_case.service_lines.all()
    item = deny(first, current_set)
    item = LineDecisionInput(**{**item.__dict__, **changes})
    before = _snapshot(md_case)
    with pytest.raises(ValidationFailed) as exc:
        determination_issue(case=md_case, director=director, line_decisions=[item, approve(second)])
    assert _snapshot(md_case) == before
    return exc.value.field_errors


@pytest.mark.django_db
def test_denial_needs_a_rationale(md_case, director, criteria_set):
    errors = _one_line_errors(md_case, director, criteria_set, rationale="")
    assert list(errors) == ["lines[1].rationale"]


@pytest.mark.django_db
def test_rationale_may_not_be_a_bare_code(md_case, director, criteria_set):
    errors = _one_line_errors(
        md_case,
        director,
        criteria_set,
        rationale="Denied 72148 for M54.16 because criteria are not met as documented "
        "in the chart today.",
    )
    assert errors["lines[1].rationale"] == [
        "Describe services and conditions in words: the member's letter must not show bare "
        "procedure or diagnosis codes."
    ]


@pytest.mark.django_db
def test_rationale_must_be_long_enough(md_case, director, criteria_set):
    errors = _one_line_errors(md_case, director, criteria_set, rationale="Not necessary.")
    assert errors["lines[1].rationale"] == [
        "Write at least 10 words (60 characters) about this member's situation."
    ]


@pytest.mark.django_db
def test_denial_needs_a_reason_code(md_case, director, criteria_set):
    errors = _one_line_errors(md_case, director, criteria_set, reason_code="made_up")
    assert list(errors) == ["lines[1].reason_code"]


@pytest.mark.django_db
def test_medical_necessity_denial_needs_a_current_criterion(md_case, director, criteria_set):
    errors = _one_line_errors(md_case, director, criteria_set, criteria_set=None)
    assert list(errors) == ["lines[1].criteria_set"]
    old = CriteriaSet.objects.create(
        slug="lumbar-spine-imaging", version=2, name="Old", is_current=False
    )
    errors = _one_line_errors(md_case, director, criteria_set, criteria_set=old)
    assert errors["lines[1].criteria_set"] == ["Choose a current version of the criteria."]


@pytest.mark.django_db
def test_benefit_denial_needs_no_criterion(md_case, director):
    first, second = md_case.service_lines.all()
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[
            deny(first, None, reason="not_covered"),
            deny(second, None, reason="out_of_network"),
        ],
    )
    assert (d.outcome, d.reason_code, d.criteria_cited) == ("denied", "", [])


@pytest.mark.django_db
def test_modified_must_reduce_something(md_case, director, criteria_set):
    first = md_case.service_lines.first()
    errors = _one_line_errors(
        md_case,
        director,
        criteria_set,
        outcome="modified",
        approved_units=first.units,
        approved_start=first.start_date,
        approved_end=first.end_date,
    )
    assert list(errors) == ["lines[1].outcome"]


@pytest.mark.django_db
def test_modified_cannot_exceed_the_request(md_case, director, criteria_set):
    first = md_case.service_lines.first()
    errors = _one_line_errors(
        md_case,
        director,
        criteria_set,
        outcome="modified",
        approved_units=first.units + 1,
        approved_start=first.start_date - timedelta(days=1),
        approved_end=first.end_date,
    )
    assert sorted(errors) == ["lines[1].approved_end", "lines[1].approved_units"]


@pytest.mark.django_db
def test_every_line_must_be_decided(md_case, director):
    before = _snapshot(md_case)
    with pytest.raises(ValidationFailed) as exc:
        determination_issue(
            case=md_case, director=director, line_decisions=[approve(md_case.service_lines.first())]
        )
    assert exc.value.field_errors == {"lines": ["Decide every service line: 2."]}
    assert _snapshot(md_case) == before


@pytest.mark.django_db
def test_case_not_in_director_review_is_refused(make_md_case, director, nurse):
    case = make_md_case()
    from intake.services.transitions import care_request_transition

    care_request_transition(care_request=case, name="refer_back_to_nurse", actor=director)
    with pytest.raises(InvalidTransition):
        determination_issue(
            case=case,
            director=director,
            line_decisions=[approve(x) for x in case.service_lines.all()],
        )
    assert Determination.objects.count() == 0


@pytest.mark.django_db
def test_spanish_member_gets_a_spanish_letter(make_md_case, director, criteria_set):
    case = make_md_case(language="es", lines=1)
    d = determination_issue(
        case=case, director=director, line_decisions=[deny(case.service_lines.get(), criteria_set)]
    )
    assert dict(d.letters.values_list("recipient", "language")) == {
        "provider": "en",
        "member": "es",
    }


def test_staff_case_view_shows_the_reason_label_never_its_code(
    md_case, director, criteria_set, client_for
):
    first, second = md_case.service_lines.all()
    determination_issue(
        case=md_case, director=director, line_decisions=[approve(first), deny(second, criteria_set)]
    )
    assert LineDecision.objects.get(service_line=second).reason_label == "Not medically necessary"
    body = client_for(director).get(f"/review/cases/{md_case.pk}/").content.decode()
    assert "<summary>Not medically necessary</summary>" in body
    assert "not_med_necessary" not in body
