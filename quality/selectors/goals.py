"""Program goals: each value is read through the reports' own selectors (the goal page and the
reports can never disagree), for the goal's period and for each of the last weeks (the trend).

A page computes each (metric, line of business, window) once: goals sharing a metric share the
queries. Every computation is a handful of grouped queries whatever the number of cases.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from reports.filters import ReportFilters
from reports.selectors import appeals, p2p, timeliness, volumes
from reports.selectors.volumes import percent

from ..models import Goal
from .irr_results import irr_kappa_in_window

TREND_WEEKS = 8


@dataclass(frozen=True)
class Ratio:
    part: int
    whole: int

    @property
    def value(self) -> Decimal | None:
        return percent(self.part, self.whole)


def _on_time(priority: str) -> Callable[[ReportFilters], Ratio]:
    def compute(filters: ReportFilters) -> Ratio:
        rows = [r for r in timeliness.timeliness(filters) if r.priority == priority]
        return Ratio(sum(r.on_time for r in rows), sum(r.decided for r in rows))

    return compute


def _auto_approval(filters: ReportFilters) -> Ratio:
    rates = volumes.rates(filters)
    return Ratio(rates.auto_approved, rates.decided)


def _appeal_overturn(filters: ReportFilters) -> Ratio:
    rows = appeals.overturn_by_reviewer(filters)
    return Ratio(sum(r.overturned for r in rows), sum(r.decided for r in rows))


def _p2p_offered(filters: ReportFilters) -> Ratio:
    offers = p2p.p2p_offer_timeliness(filters)
    return Ratio(offers.within_deadline, offers.offered)


@dataclass(frozen=True)
class Score:
    """A value that is no share of cases (a kappa), with what it was read from."""

    value: Decimal | None
    source: str = ""


def _irr_kappa(filters: ReportFilters) -> Score:
    # An audit covers the whole program: the line-of-business filter does not apply.
    kappa, audit = irr_kappa_in_window(filters.start, filters.end)
    return Score(kappa, audit.name if audit else "")


METRICS: dict[str, Callable[[ReportFilters], Ratio | Score]] = {
    Goal.Metric.EXPEDITED_ON_TIME: _on_time("expedited"),
    Goal.Metric.STANDARD_ON_TIME: _on_time("standard"),
    Goal.Metric.AUTO_APPROVAL_RATE: _auto_approval,
    Goal.Metric.APPEAL_OVERTURN_RATE: _appeal_overturn,
    Goal.Metric.P2P_OFFERED_ON_TIME: _p2p_offered,
    Goal.Metric.IRR_KAPPA: _irr_kappa,
}


def period_start(period: str, today: date) -> date:
    if period == Goal.Period.YEAR:
        return today.replace(month=1, day=1)
    if period == Goal.Period.QUARTER:
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    return today.replace(day=1)


def goal_state(goal: Goal, value: Decimal | None) -> str:
    """green: the target is met; amber: short by at most the goal's margin; red: further
    behind; none: nothing to measure yet (no case in the period)."""
    if value is None:
        return "none"
    short = (
        goal.target - value if goal.direction == Goal.Direction.AT_LEAST else value - goal.target
    )
    if short <= 0:
        return "green"
    return "amber" if short <= goal.amber_margin else "red"


@dataclass(frozen=True)
class TrendPoint:
    week: date
    ratio: Ratio | Score


@dataclass(frozen=True)
class GoalStatus:
    goal: Goal
    start: date
    end: date
    ratio: Ratio | Score
    trend: list[TrendPoint]

    @property
    def value(self) -> Decimal | None:
        return self.ratio.value

    @property
    def state(self) -> str:
        return goal_state(self.goal, self.value)


class MetricCache:
    """One computation per (metric, line of business, window) for the life of a page."""

    def __init__(self) -> None:
        self._values: dict[tuple, Ratio | Score] = {}

    def ratio(self, metric: str, lob: str, start: date, end: date) -> Ratio | Score:
        key = (metric, lob, start, end)
        if key not in self._values:
            filters = ReportFilters(start=start, end=end, lob=lob)
            self._values[key] = METRICS[metric](filters)
        return self._values[key]


def week_starts(today: date, weeks: int = TREND_WEEKS) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def goal_status(
    goal: Goal, *, today: date | None = None, cache: MetricCache | None = None, trend: bool = True
) -> GoalStatus:
    """The goal's value for its period to date and, unless `trend` is off, for each of the last
    weeks (the current week to date last)."""
    today = today or timezone.localdate()
    cache = cache or MetricCache()
    start = period_start(goal.period, today)
    points = (
        [
            TrendPoint(
                monday,
                cache.ratio(
                    goal.metric, goal.line_of_business, monday, min(monday + timedelta(6), today)
                ),
            )
            for monday in week_starts(today)
        ]
        if trend
        else []
    )
    return GoalStatus(
        goal=goal,
        start=start,
        end=today,
        ratio=cache.ratio(goal.metric, goal.line_of_business, start, today),
        trend=points,
    )


def goal_list(*, active_only: bool = True) -> list[Goal]:
    goals = Goal.objects.select_related("owner").order_by("name")
    return list(goals.filter(is_active=True) if active_only else goals)


def goal_statuses(*, today: date | None = None) -> list[GoalStatus]:
    """Every active goal with its value, state and trend."""
    cache = MetricCache()
    return [goal_status(goal, today=today, cache=cache) for goal in goal_list()]
