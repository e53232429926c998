"""The filters every report page shares: a period, a plan, a line of business, a service
category. They live in the query string so a filtered view can be bookmarked and exported."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from intake.models import LineOfBusiness, Plan, ServiceCategory

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366
GRANULARITIES = (("day", "Day"), ("week", "Week"))


def local_midnight(day: date) -> datetime:
    """The start of a calendar day in the site's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class ReportFilters:
    start: date
    end: date  # inclusive
    plan: Plan | None = None
    lob: str = ""
    category: ServiceCategory | None = None
    granularity: str = "day"

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> datetime:
        """Exclusive upper bound: midnight after the last day."""
        return local_midnight(self.end + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def params(self, **override) -> dict[str, str]:
        values = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "plan": str(self.plan.pk) if self.plan else "",
            "lob": self.lob,
            "category": self.category.code if self.category else "",
            "granularity": self.granularity,
        }
        values.update(override)
        return {k: v for k, v in values.items() if v}

    def querystring(self, **override) -> str:
        return urlencode(self.params(**override))

    def describe(self) -> str:
        parts = [f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"]
        if self.plan:
            parts.append(self.plan.name)
        if self.lob:
            parts.append(LineOfBusiness(self.lob).label)
        if self.category:
            parts.append(self.category.name)
        return " · ".join(parts)


class PlanScopeForm(forms.Form):
    """Plan and line of business, shared by every report form."""

    plan = forms.ModelChoiceField(
        queryset=Plan.objects.order_by("name"), required=False, empty_label="All plans"
    )
    lob = forms.ChoiceField(
        label="Line of business",
        choices=[("", "All lines of business"), *LineOfBusiness.choices],
        required=False,
    )


class ReportFilterForm(PlanScopeForm):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))
    category = forms.ModelChoiceField(
        label="Service category",
        queryset=ServiceCategory.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="All categories",
    )
    granularity = forms.ChoiceField(
        label="Group by", choices=[("", "Automatic"), *GRANULARITIES], required=False
    )

    field_order = ["start", "end", "plan", "lob", "category", "granularity"]

    def __init__(self, *args, default_days: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_days = default_days or DEFAULT_DAYS

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=self.default_days - 1)
        if start > end:
            self.add_error("end", "The end date must be on or after the start date.")
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error("start", f"Choose a period of at most {MAX_DAYS} days.")
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        days = (data["end"] - data["start"]).days + 1
        granularity = data.get("granularity") or ("day" if days <= 62 else "week")
        return ReportFilters(
            start=data["start"],
            end=data["end"],
            plan=data.get("plan"),
            lob=data.get("lob") or "",
            category=data.get("category"),
            granularity=granularity,
        )


def default_filters() -> ReportFilters:
    end = timezone.localdate()
    return ReportFilters(start=end - timedelta(days=DEFAULT_DAYS - 1), end=end)
