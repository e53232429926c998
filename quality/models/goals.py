"""Program goals: a metric the reports already compute, a target and a period."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from intake.models import LineOfBusiness


class Goal(models.Model):
    """A program goal the manager watches: a metric the reports already compute, a target, the
    period it is measured over (the current month, quarter or year to date)."""

    class Metric(models.TextChoices):
        EXPEDITED_ON_TIME = "expedited_on_time", "Expedited requests decided on time"
        STANDARD_ON_TIME = "standard_on_time", "Standard requests decided on time"
        AUTO_APPROVAL_RATE = "auto_approval_rate", "Auto-approval rate"
        APPEAL_OVERTURN_RATE = "appeal_overturn_rate", "Overturn rate on appeal"
        P2P_OFFERED_ON_TIME = "p2p_offered_on_time", "P2P offered within one business day"
        IRR_KAPPA = "irr_kappa", "IRR kappa (latest completed audit in the period)"

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", "at least"
        AT_MOST = "at_most", "at most"

    class Period(models.TextChoices):
        MONTH = "month", "This month"
        QUARTER = "quarter", "This quarter"
        YEAR = "year", "This year"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    metric = models.CharField(max_length=30, choices=Metric.choices)
    direction = models.CharField(
        max_length=8, choices=Direction.choices, default=Direction.AT_LEAST
    )
    target = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="A percentage; for a kappa, the kappa itself (0 to 1).",
    )
    amber_margin = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Percentage points (for a kappa: kappa points) short of the target still "
        "shown amber rather than red.",
    )
    period = models.CharField(max_length=8, choices=Period.choices, default=Period.MONTH)
    line_of_business = models.CharField(
        max_length=30, blank=True, choices=LineOfBusiness.choices, help_text="Empty: all."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quality_goals",
        help_text="The manager told when the goal falls behind.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The period whose falling behind the owner was told about: claimed by a conditional update
    # so two beat workers never send the same alert, and a new period may alert again.
    alerted_period_start = models.DateField(null=True, blank=True, editable=False)
    alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="quality_goal_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_kappa(self) -> bool:
        """A kappa is a score from -1 to 1, not a percentage."""
        return self.metric == self.Metric.IRR_KAPPA

    def clean(self) -> None:
        if self.is_kappa and self.target is not None and self.target > 1:
            raise ValidationError({"target": "A kappa target is between 0 and 1, e.g. 0.7."})
        if self.is_kappa and self.amber_margin is not None and self.amber_margin > 1:
            raise ValidationError({"amber_margin": "For a kappa, a margin such as 0.05."})

    @property
    def target_label(self) -> str:
        sign = "≥" if self.direction == self.Direction.AT_LEAST else "≤"
        unit = "" if self.is_kappa else " %"
        return f"{sign} {self.target.normalize():f}{unit}"
