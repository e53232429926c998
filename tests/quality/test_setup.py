"""The guided setup checklist: computed from the configuration, green for the demo, and naming
what a fresh database lacks."""

from datetime import date

import pytest
from django.urls import reverse

from intake.models import AutoApprovalRule, Queue
from quality.selectors.setup import setup_checklist
from scheduling.models import Holiday
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

ITEMS = [
    "plans",
    "turnaround",
    "appeal_policies",
    "holidays",
    "queues",
    "director",
    "auto_approval_criteria",
    "letter_phones",
]


def _by_key(**kwargs):
    return {item.key: item for item in setup_checklist(**kwargs)}


def test_demo_configuration_is_all_green(demo_configuration):
    items = _by_key()
    assert list(items) == ITEMS
    assert {key: item.missing for key, item in items.items() if not item.done} == {}


def test_fresh_database_shows_what_is_missing():
    # Reference data from the migrations only: categories, clocks, appeal policies.
    items = _by_key(today=date(2026, 12, 5))
    # Only the vacuous item is done: with no auto-approval rule there is nothing to document.
    assert [key for key, item in items.items() if item.done] == ["auto_approval_criteria"]
    assert items["plans"].summary.startswith("No plan yet")
    assert items["holidays"].title == "Holidays for 2027"
    assert items["director"].summary == "No active user has the medical director role."
    assert items["director"].fix_url == reverse("admin:accounts_user_changelist")
    assert len(items["queues"].missing) == 10  # every category of the reference data
    assert items["auto_approval_criteria"].summary.startswith("No auto-approval rule")


def test_turnaround_gap_names_the_line_of_business(demo_configuration):
    from intake.models import TurnaroundStandard

    PlanFactory(name="Kids First", line_of_business="chip")
    TurnaroundStandard.objects.filter(
        line_of_business="chip", priority="expedited", request_type="prospective"
    ).delete()
    item = _by_key()["turnaround"]
    assert item.done is False
    assert item.missing == ["CHIP · expedited"]


def test_undocumented_auto_approval_code_is_named(demo_configuration):
    rule = AutoApprovalRule.objects.get(key="knee-mri-meniscus", is_current=True)
    AutoApprovalRule.objects.create(
        key="hip-mri",
        name="Hip MRI",
        category=rule.category,
        code_system="cpt",
        service_codes=["73721", "73722"],
    )
    item = _by_key()["auto_approval_criteria"]
    assert item.missing == ["Hip MRI: 73722"]


def test_queue_without_an_active_reviewer_does_not_count(demo_configuration):
    # Without the catch-all queue's reviewers, categories depend on their own queues; a queue
    # limited to a setting or a priority (inpatient, expedited) is not a catch-all.
    Queue.objects.get(code="general").reviewers.clear()
    Queue.objects.filter(code="dme-home-health").update(is_active=False)
    item = _by_key()["queues"]
    assert item.done is False
    assert item.missing == ["Durable medical equipment", "Home health", "Inpatient admission"]


def test_next_years_holidays_only(demo_configuration):
    Holiday.objects.filter(date__year=date.today().year + 1).delete()
    assert _by_key()["holidays"].done is False


def test_setup_page_is_for_managers(client_for, manager, nurse):
    url = reverse("quality:setup")
    assert client_for(nurse).get(url).status_code == 403
    response = client_for(manager).get(url)
    assert response.status_code == 200
    assert response.content.count(b'class="setup-item todo"') == len(ITEMS) - 1
    assert b"1 of 8" in response.content


def test_setup_page_demo_all_done(client_for, demo_configuration):
    response = client_for(demo_configuration["users"]["manager"]).get(reverse("quality:setup"))
    assert b"8 of 8" in response.content


def test_quality_demo_is_idempotent(demo_configuration):
    from quality.demo import seed_quality
    from quality.models import Goal, IrrAssignment, IrrAudit, Vignette

    seed_quality(users=demo_configuration["users"], log=lambda *_: None)
    seed_quality(users=demo_configuration["users"], log=lambda *_: None)
    assert Goal.objects.count() == 6
    assert Vignette.objects.count() == 4
    assert list(IrrAudit.objects.order_by("name").values_list("name", "status")) == [
        ("Annual IRR audit (vignettes)", "completed"),
        ("Quarterly IRR check", "open"),
    ]
    # 4 vignettes x 4 reviewers, and 2 x 2 in the open audit (one answered).
    assert IrrAssignment.objects.count() == 20
    assert IrrAssignment.objects.filter(submitted_at__isnull=True).count() == 3


def test_no_plan_turns_plans_and_their_dependants_red(demo_configuration):
    from intake.models import Coverage, Plan

    # A plan is protected by its members' coverages: remove those first.
    Coverage.objects.all().delete()
    Plan.objects.all().delete()
    items = _by_key()
    assert items["plans"].done is False
    assert items["plans"].summary.startswith("No plan yet")
    # Nothing to time or appeal without a plan: these say so instead of claiming "complete".
    assert items["turnaround"].done is False
    assert items["appeal_policies"].done is False
    assert items["letter_phones"].done is False


def test_missing_appeal_policy_names_the_line_of_business(demo_configuration):
    from determinations.models import AppealPolicy

    AppealPolicy.objects.filter(line_of_business="medicaid").delete()
    item = _by_key()["appeal_policies"]
    assert item.done is False
    assert item.missing == ["Medicaid"]


def test_director_without_current_availability_is_red(demo_configuration):
    from scheduling.models import AvailabilityRule

    AvailabilityRule.objects.all().delete()
    item = _by_key()["director"]
    assert item.done is False
    assert item.summary.startswith("0 of ")
    assert item.fix_url == reverse("admin:scheduling_availabilityrule_changelist")


def test_blank_letter_phones_are_named_with_their_fix_page(demo_configuration):
    from determinations.models import AppealPolicy
    from intake.models import Plan

    plan = Plan.objects.order_by("name").first()
    Plan.objects.filter(pk=plan.pk).update(member_services_phone=" ")
    AppealPolicy.objects.filter(line_of_business="chip").update(appeals_phone="")
    item = _by_key()["letter_phones"]
    assert item.done is False
    assert item.missing == [f"{plan.name}: member services", "CHIP: appeals"]
    assert item.fix_url == reverse("admin:intake_plan_changelist")

    Plan.objects.filter(pk=plan.pk).update(member_services_phone="1-800-555-0100")
    item = _by_key()["letter_phones"]
    assert item.missing == ["CHIP: appeals"]
    assert item.fix_url == reverse("admin:determinations_appealpolicy_changelist")


def test_manager_dashboard_links_the_setup_page(client_for, manager):
    response = client_for(manager).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert f'href="{reverse("quality:setup")}"'.encode() in response.content
