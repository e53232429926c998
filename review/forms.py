"""Forms of the review pages. They parse and validate input; services decide."""

from datetime import timedelta

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from intake.models import CareRequest, CaseNote, Priority
from intake.models.care_request import CLOCK_STATUSES
from intake.models.care_request import CareRequestStatus as S

from .selectors.clock import PROSPECTIVE_MAX_DAYS, PROSPECTIVE_REASONS, ExtensionRule
from .selectors.dashboard import (
    DUE_WINDOWS,
    PAGE_SIZES,
    SCOPES,
    SORTS,
    DashboardFilters,
    default_filters_for,
)


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the URL. A bad value falls back to its default rather
    than failing the page: an old bookmark must still open."""

    status = forms.ChoiceField(required=False)
    priority = forms.ChoiceField(required=False, choices=[("", "Any priority"), *Priority.choices])
    queue = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    request_type = forms.ChoiceField(
        label="Request type",
        required=False,
        choices=[("", "Any type"), *CareRequest.RequestType.choices],
    )
    due = forms.ChoiceField(
        label="Due", required=False, choices=[("", "Any time"), *DUE_WINDOWS.items()]
    )
    scope = forms.ChoiceField(label="Show", required=False, choices=list(SCOPES.items()))
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS])
    page = forms.IntegerField(required=False, min_value=1)
    per_page = forms.TypedChoiceField(
        label="Per page", required=False, coerce=int, choices=[(n, n) for n in PAGE_SIZES]
    )

    def __init__(self, data, *, user, queues: list[tuple[int, str]]):
        super().__init__(data)
        self.user = user
        self.fields["status"].choices = [
            ("open", "Every open stage"),
            *[(s, S(s).label) for s in CLOCK_STATUSES],
        ]
        self.fields["queue"].choices = [("", "Any queue"), *queues]

    def filters(self) -> DashboardFilters:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}
        defaults = default_filters_for(self.user)
        return DashboardFilters(
            status=data.get("status", defaults.status),
            priority=data.get("priority", ""),
            queue=data.get("queue"),
            request_type=data.get("request_type", ""),
            due=data.get("due", ""),
            scope=data.get("scope", defaults.scope),
            sort=data.get("sort", defaults.sort),
            page=data.get("page", 1),
            per_page=data.get("per_page", defaults.per_page),
            pinned=defaults.pinned,
        )


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        choices=CaseNote.Visibility.choices, initial=CaseNote.Visibility.INTERNAL
    )


class RequestInfoForm(forms.Form):
    description = forms.CharField(
        label="What is needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In words the provider's office understands.",
    )
    due_by = forms.DateTimeField(
        label="Needed by",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="The decision clock keeps running while we wait.",
    )

    @classmethod
    def with_defaults(cls):
        due = timezone.localtime() + timedelta(days=2)
        return cls(initial={"due_by": due.strftime("%Y-%m-%dT%H:%M")})


class ReferForm(forms.Form):
    # The approve and refer forms share a page and a field name: their ids must differ.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_refer_%s")
        super().__init__(*args, **kwargs)

    summary = forms.CharField(
        label="Clinical summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the records show, line by line.",
    )
    recommendation = forms.CharField(
        label="Recommendation to the medical director",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you recommend and why (e.g. which criterion is not met).",
    )
    approve_met_lines = forms.BooleanField(
        label="Approve the lines whose criteria are met and refer only the others",
        required=False,
        help_text="The referred lines are decided by a medical director.",
    )


class ReasonForm(forms.Form):
    note = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_approve_%s")
        super().__init__(*args, **kwargs)

    summary = forms.CharField(
        label="Approval note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: recorded with the decision.",
    )


class ExtensionReason(models.TextChoices):
    """When a plan may take up to 14 more days (CMS-0057-F; 42 CFR 422.568(b)(1)(i) and
    422.572(b)(1) for Medicare Advantage, 438.210(d) for Medicaid and CHIP managed care): the
    member asks, or the plan needs information and waiting for it is in the member's interest.
    Only Medicaid and CHIP also let the provider ask. Not for the plan's own backlog."""

    MEMBER_REQUEST = "member_request", "The member asked for more time"
    PROVIDER_REQUEST = "provider_request", "The provider asked for more time (Medicaid and CHIP)"
    MORE_INFORMATION = (
        "more_information",
        "Information that may change the decision is awaited; waiting is in the member's interest",
    )
    EXCEPTIONAL = (
        "exceptional",
        "Extraordinary circumstances; the extension is in the member's interest",
    )
    # Post-service (29 CFR 2560.503-1(f)(2)(iii)(B)); with more_information for records awaited.
    BEYOND_CONTROL = (
        "beyond_control",
        "Matters beyond the plan's control need more time",
    )


class ClockExtensionForm(forms.Form):
    """The documented extension: days, a reason from the short list the kind of review allows,
    and what happened. The service stores both as the reason text ("<reason>: <details>")."""

    days = forms.IntegerField(label="Extend by (calendar days)", min_value=1)
    reason = forms.ChoiceField(label="Reason")
    details = forms.CharField(
        label="Details",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who asked and when, or what is awaited and why waiting helps the member.",
    )

    def __init__(self, *args, rule: ExtensionRule | None = None, **kwargs):
        kwargs.setdefault("prefix", "extension")
        super().__init__(*args, **kwargs)
        max_days = rule.max_days if rule else PROSPECTIVE_MAX_DAYS
        reasons = rule.reasons if rule else PROSPECTIVE_REASONS
        days = self.fields["days"]
        days.max_value = max_days
        days.validators.append(MaxValueValidator(max_days))
        days.widget.attrs["max"] = max_days
        days.help_text = f"1 to {max_days} days, once per case."
        self.fields["reason"].choices = [
            ("", "Choose the reason"),
            *[(code, ExtensionReason(code).label) for code in reasons],
        ]

    def reason_text(self) -> str:
        label = ExtensionReason(self.cleaned_data["reason"]).label
        return f"{label}: {self.cleaned_data['details'].strip()}"
