"""Reads on stays, scoped to the user who asks: staff see every stay, a facility's users only
their organisation's (another's answers 404, as for cases). Each page costs a fixed number of
queries however many stays or days it shows."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from intake.models import CareRequestStatus, ServiceLine
from review.models import CriteriaSet
from review.selectors.criteria import criteria_set_list_current
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.lib.errors import NotFound

from . import days as d
from .models import (
    REVENUE_CODE_BY_LEVEL,
    ExpectedLengthOfStay,
    LevelOfCareSegment,
    Stay,
    StayReview,
    StayStatus,
)

DECIDED = (
    CareRequestStatus.APPROVED,
    CareRequestStatus.PARTIALLY_APPROVED,
    CareRequestStatus.DENIED,
)
STAFF_ROLES = (Role.INTAKE, Role.NURSE, Role.DIRECTOR, Role.MANAGER)


def stay_scope_for_user(user) -> QuerySet[Stay]:
    if user_has_role(user, *STAFF_ROLES):
        return Stay.objects.all()
    if user_has_role(user, Role.PROVIDER) and user.provider_organization_id is not None:
        return Stay.objects.filter(organization_id=user.provider_organization_id)
    return Stay.objects.none()


def _with_days(qs: QuerySet[Stay]) -> QuerySet[Stay]:
    return qs.select_related("member", "facility", "attending", "coverage__plan").prefetch_related(
        Prefetch("segments", queryset=LevelOfCareSegment.objects.order_by("starts_on")),
        Prefetch(
            "reviews",
            queryset=StayReview.objects.select_related("care_request")
            .prefetch_related(
                Prefetch("care_request__service_lines", queryset=ServiceLine.objects.all())
            )
            .order_by("sequence"),
        ),
    )


def stay_get_for_user(user, stay_id) -> Stay:
    """The stay with what its pages show, or NotFound when the user may not see it."""
    stay = _with_days(stay_scope_for_user(user)).filter(pk=stay_id).first()
    if stay is None:
        raise NotFound("No such stay.")
    return stay


def stay_review_days(reviews) -> list[d.ReviewDays]:
    """The days arithmetic's view of each review: requested dates from the request's lines,
    approved dates from the decision recorded on them."""
    out = []
    for review in reviews:
        lines = list(review.care_request.service_lines.all())
        decided = review.care_request.status in DECIDED
        approved = [line for line in lines if line.approved_start and line.approved_end]
        out.append(
            d.ReviewDays(
                level_of_care=review.level_of_care,
                requested_start=min(line.start_date for line in lines),
                requested_end=max(line.end_date for line in lines),
                decided=decided,
                approved_start=min((x.approved_start for x in approved), default=None),
                approved_end=max((x.approved_end for x in approved), default=None),
            )
        )
    return out


def expected_los_for(stay: Stay, table: list[ExpectedLengthOfStay]) -> ExpectedLengthOfStay | None:
    """The GMLOS row for the stay's DRG, else for the longest prefix of its first diagnosis."""
    if stay.drg:
        for row in table:
            if row.drg == stay.drg:
                return row
    code = (stay.diagnoses or [""])[0].replace(".", "")
    best = None
    for row in table:
        prefix = row.diagnosis_prefix.replace(".", "")
        if (
            prefix
            and code.startswith(prefix)
            and (best is None or len(prefix) > len(best.diagnosis_prefix))
        ):
            best = row
    return best


@dataclass
class StayView:
    stay: Stay
    days: list[d.Day]
    summary: d.DaysSummary
    reviews: list[tuple[StayReview, d.ReviewDays]]
    next_review_date: dt.date | None
    los: int
    expected: ExpectedLengthOfStay | None

    @property
    def los_vs_expected(self) -> Decimal | None:
        if self.expected is None:
            return None
        return Decimal(self.los) - self.expected.geometric_mean_days


def stay_view(stay: Stay, *, table: list[ExpectedLengthOfStay] | None = None) -> StayView:
    """Day by day and in total, from a stay loaded by stay_get_for_user (no further queries but
    the GMLOS table, unless the caller passes it)."""
    today = timezone.localdate()
    reviews = list(stay.reviews.all())
    review_days = stay_review_days(reviews)
    segments = [d.Segment(s.level_of_care, s.starts_on) for s in stay.segments.all()]
    discharged_on = timezone.localdate(stay.discharged_at) if stay.discharged_at else None
    days = d.day_by_day(
        admitted_on=timezone.localdate(stay.admitted_at),
        discharged_on=discharged_on,
        today=today,
        segments=segments,
        reviews=review_days,
    )
    summary = d.summarise(days, review_days, discharged=discharged_on is not None)
    return StayView(
        stay=stay,
        days=days,
        summary=summary,
        reviews=list(zip(reviews, review_days, strict=True)),
        next_review_date=_next_review(reviews, review_days),
        los=summary.used,
        expected=expected_los_for(
            stay, table if table is not None else list(ExpectedLengthOfStay.objects.all())
        ),
    )


def _next_review(reviews: list[StayReview], review_days: list[d.ReviewDays]) -> dt.date | None:
    """The latest review's next review date; when a decided review has none, its last covered
    day; an undecided one is under review today."""
    if not reviews:
        return None
    last, days = reviews[-1], review_days[-1]
    if not days.decided:
        return timezone.localdate()
    return last.next_review_date or days.approved_end


@dataclass
class WorklistRow:
    view: StayView
    criteria_set: CriteriaSet | None
    open_review: StayReview | None


def concurrent_worklist(user) -> list[WorklistRow]:
    """Members in house, the most pressing next review first: what the "Concurrent review"
    worklist shows, with the continued-stay criteria for each current level of care."""
    stays = list(_with_days(stay_scope_for_user(user).filter(status=StayStatus.IN_HOUSE)))
    table = list(ExpectedLengthOfStay.objects.all())
    by_code = {}
    for criteria_set in criteria_set_list_current():
        if criteria_set.code_system == "revenue":
            for code in criteria_set.codes:
                by_code.setdefault(str(code), criteria_set)
    rows = []
    for stay in stays:
        view = stay_view(stay, table=table)
        open_review = next((r for r, days in view.reviews if not days.decided), None)
        rows.append(
            WorklistRow(
                view=view,
                criteria_set=by_code.get(REVENUE_CODE_BY_LEVEL.get(stay.level_of_care, "")),
                open_review=open_review,
            )
        )
    far = dt.date.max
    rows.sort(key=lambda r: (r.view.next_review_date or far, r.view.stay.admitted_at))
    return rows


@dataclass
class FacilityRow:
    facility: str
    in_house: int = 0
    discharged: int = 0
    los_total: int = 0
    expected_total: Decimal = Decimal(0)
    expected_count: int = 0
    days_requested: int = 0
    days_approved: int = 0
    avoidable_days: int = 0
    readmissions: int = 0

    @property
    def alos(self) -> Decimal | None:
        return round(Decimal(self.los_total) / self.discharged, 1) if self.discharged else None

    @property
    def expected_alos(self) -> Decimal | None:
        if not self.expected_count:
            return None
        return round(self.expected_total / self.expected_count, 1)


READMISSION_DAYS = 30


def stays_report(user, *, since: dt.date) -> list[FacilityRow]:
    """Per facility: in-house census, average length of stay of discharged stays against the
    expected (GMLOS), days approved vs requested, avoidable days, and readmissions (the same
    member admitted again within 30 days of a discharge), for stays admitted since `since`."""
    stays = list(
        _with_days(stay_scope_for_user(user).filter(admitted_at__date__gte=since)).order_by(
            "admitted_at"
        )
    )
    table = list(ExpectedLengthOfStay.objects.all())
    rows: dict[str, FacilityRow] = {}
    last_discharge: dict = defaultdict(lambda: None)
    for stay in stays:
        view = stay_view(stay, table=table)
        row = rows.setdefault(stay.facility.name, FacilityRow(facility=stay.facility.name))
        previous = last_discharge[stay.member_id]
        if previous is not None and (stay.admitted_at - previous).days <= READMISSION_DAYS:
            row.readmissions += 1
        if stay.discharged_at:
            last_discharge[stay.member_id] = stay.discharged_at
            row.discharged += 1
            row.los_total += view.los
            if view.expected is not None:
                row.expected_total += view.expected.geometric_mean_days
                row.expected_count += 1
        else:
            row.in_house += 1
        row.days_requested += view.summary.requested
        row.days_approved += view.summary.approved
        row.avoidable_days += view.summary.avoidable
    return sorted(rows.values(), key=lambda r: r.facility)
