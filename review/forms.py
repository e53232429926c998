"""Forms of the review pages. They parse and validate input; services decide."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from intake.models import CareRequest, CaseNote, Priority
from intake.models.care_request import CLOCK_STATUSES
from intake.models.care_request import CareRequestStatus as S

from .selectors.dashboard import (
    DUE_WINDOWS,
    PAGE_SIZES,
    SCOPES,
    SORTS,
    DashboardFilters,
    default_status_for,
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
        defaults = DashboardFilters(status=default_status_for(self.user))
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


class ReasonForm(forms.Form):
    note = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(forms.Form):
    summary = forms.CharField(
        label="Approval note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: recorded with the decision.",
    )
