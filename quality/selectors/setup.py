"""The guided setup checklist: what a new plan must configure before UM Portal can run its
program, computed from the configuration itself (nothing is ticked by hand, so the list cannot
drift from the truth). Each item says what is missing and links to the page that fixes it."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from determinations.models import AppealPolicy
from intake.models import (
    AutoApprovalRule,
    LineOfBusiness,
    Plan,
    Priority,
    Queue,
    ServiceCategory,
    TurnaroundStandard,
)
from review.models import CriteriaSet
from scheduling.models import Holiday
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role

# Shown when a list of gaps is long: the page names the first few and counts the rest.
MAX_NAMED = 6


@dataclass(frozen=True)
class SetupItem:
    key: str
    title: str
    done: bool
    summary: str  # what is there, or what is missing
    fix_url: str
    fix_label: str
    missing: list[str] = field(default_factory=list)

    @property
    def missing_named(self) -> list[str]:
        return self.missing[:MAX_NAMED]

    @property
    def missing_more(self) -> int:
        return max(0, len(self.missing) - MAX_NAMED)


def _admin(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_changelist")


def _lob_label(lob: str) -> str:
    return LineOfBusiness(lob).label


def _plans(plans: list[Plan]) -> SetupItem:
    lobs = sorted({p.line_of_business for p in plans})
    return SetupItem(
        key="plans",
        title="Plans and lines of business",
        done=bool(plans),
        summary=(
            f"{len(plans)} plan(s): " + ", ".join(_lob_label(lob) for lob in lobs)
            if plans
            else "No plan yet: add each plan with its line of business."
        ),
        fix_url=_admin("intake.plan"),
        fix_label="Plans",
    )


def _turnaround(lobs: set[str]) -> SetupItem:
    # DESIGN §5: every prospective request gets its due date from this table at receipt; a
    # missing row leaves a case without a clock.
    have = set(
        TurnaroundStandard.objects.filter(request_type="prospective").values_list(
            "line_of_business", "priority"
        )
    )
    missing = [
        f"{_lob_label(lob)} · {Priority(p).label.lower()}"
        for lob in sorted(lobs)
        for p in Priority.values
        if (lob, p) not in have
    ]
    return SetupItem(
        key="turnaround",
        title="Turnaround standards for each line of business",
        done=bool(lobs) and not missing,
        summary="Add a plan first." if not lobs else _gaps(missing, "standard and expedited"),
        fix_url=_admin("intake.turnaroundstandard"),
        fix_label="Turnaround standards",
        missing=missing,
    )


def _appeal_policies(lobs: set[str]) -> SetupItem:
    have = set(AppealPolicy.objects.values_list("line_of_business", flat=True))
    missing = [_lob_label(lob) for lob in sorted(lobs - have)]
    return SetupItem(
        key="appeal_policies",
        title="Appeal policies",
        done=bool(lobs) and not missing,
        summary="Add a plan first." if not lobs else _gaps(missing, "an appeal deadline"),
        fix_url=_admin("determinations.appealpolicy"),
        fix_label="Appeal policies",
        missing=missing,
    )


def _holidays(year: int) -> SetupItem:
    count = Holiday.objects.filter(date__year=year).count()
    return SetupItem(
        key="holidays",
        title=f"Holidays for {year}",
        done=count > 0,
        summary=(
            f"{count} holiday(s) in {year}."
            if count
            else f"No holiday in {year}: the one-business-day P2P offer would count them as "
            "working days."
        ),
        fix_url=_admin("scheduling.holiday"),
        fix_label="Holidays",
    )


def _queues() -> SetupItem:
    """Each service category needs an active queue that takes it (a queue with no categories
    takes every category) and has at least one active reviewer."""
    staffed = (
        Queue.objects.filter(is_active=True, reviewers__is_active=True)
        .distinct()
        .prefetch_related("service_categories")
    )
    covered: set[int] = set()
    catch_all = False
    for queue in staffed:
        ids = {c.pk for c in queue.service_categories.all()}
        # A catch-all queue restricted to one setting or priority does not take everything.
        if not ids and not queue.review_settings and not queue.priority:
            catch_all = True
        covered |= ids
    categories = list(ServiceCategory.objects.all())
    missing = [] if catch_all else [c.name for c in categories if c.pk not in covered]
    return SetupItem(
        key="queues",
        title="A staffed queue for every service category",
        done=bool(categories) and not missing,
        summary=_gaps(missing, "a queue with an active reviewer")
        if categories
        else "No service category yet.",
        fix_url=_admin("intake.queue"),
        fix_label="Queues (and reviewer profiles)",
        missing=missing,
    )


def _director_availability(today) -> SetupItem:
    directors = User.objects.filter(is_active=True, groups__name=Role.DIRECTOR).distinct()
    # The join is LEFT OUTER: without `isnull=False` a director with no rule at all matches
    # "valid_to is null" and would count as available.
    available = (
        directors.filter(
            Q(availability_rules__isnull=False),
            Q(availability_rules__valid_to__isnull=True)
            | Q(availability_rules__valid_to__gte=today),
        )
        .distinct()
        .count()
    )
    total = directors.count()
    return SetupItem(
        key="director",
        title="A medical director with peer-to-peer availability",
        done=available > 0,
        summary=(
            f"{available} of {total} director(s) publish availability."
            if total
            else "No active user has the medical director role."
        ),
        fix_url=_admin("scheduling.availabilityrule") if total else _admin("accounts.user"),
        fix_label="Availability" if total else "Users",
    )


def _auto_approval_criteria() -> SetupItem:
    """An auto-approved service still needs the plan's written criteria for it (NCQA UM 2: the
    criteria behind every approval are documented); each code of a current, active rule must be
    in a current criteria set."""
    documented = {
        str(code).upper()
        for codes in CriteriaSet.objects.filter(is_current=True).values_list("codes", flat=True)
        for code in codes or []
    }
    rules = list(
        AutoApprovalRule.objects.filter(is_current=True, is_active=True).order_by("order", "key")
    )
    missing = []
    for rule in rules:
        codes = rule.service_codes or []
        if not codes:
            missing.append(f"{rule.name} (lists no service code)")
        elif undocumented := [c for c in codes if str(c).upper() not in documented]:
            missing.append(f"{rule.name}: {', '.join(undocumented)}")
    return SetupItem(
        key="auto_approval_criteria",
        title="Criteria for every auto-approval rule",
        done=not missing,
        summary=(
            _gaps(missing, "criteria for its codes")
            if rules
            else "No auto-approval rule: nothing to document."
        ),
        fix_url=_admin("review.criteriaset"),
        fix_label="Criteria sets",
        missing=missing,
    )


def _letter_phones(plans: list[Plan], lobs: set[str]) -> SetupItem:
    missing = [f"{p.name}: member services" for p in plans if not p.member_services_phone.strip()]
    phones = dict(AppealPolicy.objects.values_list("line_of_business", "appeals_phone"))
    missing += [
        f"{_lob_label(lob)}: appeals" for lob in sorted(lobs) if not (phones.get(lob) or "").strip()
    ]
    return SetupItem(
        key="letter_phones",
        title="Phone numbers printed on letters",
        done=bool(plans) and not missing,
        summary="Add a plan first." if not plans else _gaps(missing, "a phone number"),
        fix_url=_admin("intake.plan")
        if any(": member" in m for m in missing)
        else _admin("determinations.appealpolicy"),
        fix_label="Plans" if any(": member" in m for m in missing) else "Appeal policies",
        missing=missing,
    )


def _gaps(missing: list[str], need: str) -> str:
    if not missing:
        return "Complete."
    return f"{len(missing)} without {need}."


def setup_checklist(*, today=None) -> list[SetupItem]:
    """Every setup item, in the order a new plan would do them."""
    today = today or timezone.localdate()
    plans = list(Plan.objects.order_by("name"))
    lobs = {p.line_of_business for p in plans}
    return [
        _plans(plans),
        _turnaround(lobs),
        _appeal_policies(lobs),
        _holidays(today.year + 1),
        _queues(),
        _director_availability(today),
        _auto_approval_criteria(),
        _letter_phones(plans, lobs),
    ]
