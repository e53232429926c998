"""Summary tables the reports read instead of scanning cases (issue #20).

`DecisionDay` holds one row per local calendar day of decision × plan × priority × final status
× service category, with the counts the timeliness and CMS-0057-F reports add up and the
decision times the percentiles need. A case counts once in the row with `category` NULL (every
category) and once in the row of each category it has a line in, so a category filter reads
its own rows and nothing is counted twice. Rows are derived data: `reports.rollup.build`
rewrites whole days from the cases; nothing else writes them.
"""

from django.db import models

from intake.models import Plan, Priority, ServiceCategory
from intake.models.care_request import CareRequestStatus


class DecisionDay(models.Model):
    day = models.DateField()
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    priority = models.CharField(max_length=10, choices=Priority.choices)
    status = models.CharField(max_length=30, choices=CareRequestStatus.choices)
    category = models.ForeignKey(
        ServiceCategory, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    decided = models.PositiveIntegerField(default=0)
    # With a documented extension (original_due_at set).
    extended = models.PositiveIntegerField(default=0)
    # Cases with a due date and a receipt time: the timeliness report's population.
    timed = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    notified = models.PositiveIntegerField(default=0)
    notified_on_time = models.PositiveIntegerField(default=0)
    # decided_at - received_at in microseconds, sorted, for every case with both: percentiles
    # cannot be added up from per-day figures, so the values themselves are kept (as JSON, which
    # SQLite has too; a 12-month CMS-0057-F report reads ~13,000 rows instead of ~600,000 cases).
    durations = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "plan", "priority", "status", "category"],
                name="decision_day_key",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["category", "day"], name="decision_day_range")]

    def __str__(self) -> str:
        return f"{self.day} {self.plan_id} {self.priority} {self.status} {self.category_id}"


class RollupState(models.Model):
    """The one row saying which days `DecisionDay` holds and when changes were last swept.

    Days in [built_from, built_through] are in the table as of `checked_at`; a report computes
    live every other day of its period and every day a case was decided, re-decided or notified
    on since `checked_at` (minus a margin for transactions still open then).
    """

    built_from = models.DateField(null=True, blank=True)
    built_through = models.DateField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.built_from}–{self.built_through} as of {self.checked_at}"
