"""Reads of provider feedback: the manager's table by service category and month, and one
organisation's rating of one request for the portal."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth

from um_portal.lib.template_formats import plan_zone

from ..models import Feedback

RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class FeedbackRow:
    month: date
    category: str
    count: int
    average: float
    distribution: tuple[int, ...]  # how many 1s, 2s, ... 5s


PROVIDERS, MEMBERS = "providers", "members"


def feedback_summary(source: str = PROVIDERS) -> list[FeedbackRow]:
    """Count, average and distribution of the providers' (or the members') ratings per service
    category and month (the month of the rating, in the plan's time zone), newest month first:
    one grouped query."""
    rows = (
        Feedback.objects.filter(member__isnull=source == PROVIDERS)
        .annotate(month=TruncMonth("created_at", tzinfo=plan_zone()))
        .values("month", "service_category__name")
        .annotate(
            count=Count("id"),
            average=Avg("rating"),
            **{f"r{n}": Count("id", filter=Q(rating=n)) for n in RATINGS},
        )
        .order_by("-month", "service_category__name")
    )
    return [
        FeedbackRow(
            month=r["month"].date() if hasattr(r["month"], "date") else r["month"],
            category=r["service_category__name"],
            count=r["count"],
            average=round(float(r["average"]), 2),
            distribution=tuple(r[f"r{n}"] for n in RATINGS),
        )
        for r in rows
    ]


def feedback_recent_comments(*, limit: int = 10) -> list[Feedback]:
    """The latest ratings that carry a comment, with their case (to log the read)."""
    return list(
        Feedback.objects.exclude(comment="")
        .select_related("service_category", "organization", "care_request")
        .order_by("-created_at")[:limit]
    )


def feedback_for_member(*, care_request_id, member_id) -> Feedback | None:
    return Feedback.objects.filter(care_request_id=care_request_id, member_id=member_id).first()


def feedback_for_organization(*, care_request_id, organization_id) -> Feedback | None:
    if organization_id is None:
        return None
    return Feedback.objects.filter(
        care_request_id=care_request_id, organization_id=organization_id
    ).first()
