"""Portal forms: shape and field validation only; the services decide."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from intake.models import CareRequest, DocumentKind, Priority, ServiceCategory, ServiceLine

DATE = forms.DateInput(attrs={"type": "date"})
LINE_ROWS = 4
DIAGNOSIS_ROWS = 4


class MemberLookupForm(forms.Form):
    member_id = forms.CharField(label="Member ID", max_length=30)
    birth_date = forms.DateField(label="Date of birth", widget=DATE)


class RequestDetailsForm(forms.Form):
    """Step 2: who asks, for what, why. Blank service and diagnosis rows are ignored."""

    requesting_provider = forms.ModelChoiceField(queryset=None, label="Requesting provider")
    servicing_provider = forms.ModelChoiceField(
        queryset=None,
        label="Servicing provider",
        required=False,
        help_text="Leave empty when it is the requesting provider.",
    )
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.STANDARD)
    request_type = forms.ChoiceField(
        choices=CareRequest.RequestType.choices,
        initial=CareRequest.RequestType.PROSPECTIVE,
        help_text="Prospective: care to come (dates from today). Concurrent: a member in the "
        "hospital now. Retrospective: a service already given (dates up to today), reviewed "
        "for payment and never expedited.",
    )
    claim_number = forms.CharField(
        label="Claim number",
        required=False,
        max_length=40,
        help_text="Retrospective requests: the claim the service was billed on, if billed.",
    )
    review_setting = forms.ChoiceField(
        choices=CareRequest.ReviewSetting.choices, initial=CareRequest.ReviewSetting.OUTPATIENT
    )
    clinical_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        label="Clinical summary",
    )

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requesting_provider"].queryset = providers
        self.fields["servicing_provider"].queryset = providers
        if not self.is_bound and "requesting_provider" not in self.initial:
            # A practice with one NPI has nothing to choose; with several, a preselected first
            # one would be sent unnoticed under the wrong provider.
            only = list(providers.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                self.initial["requesting_provider"] = only[0]
        self.fields["requesting_provider"].empty_label = "Choose the requesting provider…"
        today = timezone.localdate()
        categories = [("", "From the code")] + [
            (c.code, c.name) for c in ServiceCategory.objects.order_by("name")
        ]
        for i in range(1, LINE_ROWS + 1):
            required = i == 1
            self.fields[f"line{i}_code_system"] = forms.ChoiceField(
                choices=ServiceLine.System.choices, initial="cpt", label="Code system"
            )
            self.fields[f"line{i}_code"] = forms.CharField(
                max_length=10,
                required=required,
                label="Service code",
                widget=forms.TextInput(attrs={"list": "service-codes", "autocomplete": "off"}),
            )
            self.fields[f"line{i}_units"] = forms.IntegerField(
                min_value=1, max_value=10000, initial=1, required=False, label="Units"
            )
            self.fields[f"line{i}_start_date"] = forms.DateField(
                widget=DATE, required=False, label="From", initial=today + timedelta(days=1)
            )
            self.fields[f"line{i}_end_date"] = forms.DateField(
                widget=DATE, required=False, label="To", initial=today + timedelta(days=30)
            )
            self.fields[f"line{i}_category"] = forms.ChoiceField(
                choices=categories, required=False, label="Category"
            )
        for i in range(1, DIAGNOSIS_ROWS + 1):
            self.fields[f"diagnosis{i}"] = forms.CharField(
                max_length=10,
                required=i == 1,
                label=f"ICD-10-CM code {i}",
                widget=forms.TextInput(attrs={"list": "diagnosis-codes", "autocomplete": "off"}),
            )

    def line_rows(self):
        """Bound fields grouped per service row, for the template."""
        names = ["code_system", "code", "units", "start_date", "end_date", "category"]
        return [[self[f"line{i}_{n}"] for n in names] for i in range(1, LINE_ROWS + 1)]

    def diagnosis_fields(self):
        return [self[f"diagnosis{i}"] for i in range(1, DIAGNOSIS_ROWS + 1)]

    def clean(self):
        data = super().clean()
        for i in range(1, LINE_ROWS + 1):
            if not data.get(f"line{i}_code"):
                continue
            for part in ("units", "start_date", "end_date"):
                if data.get(f"line{i}_{part}") in (None, ""):
                    self.add_error(f"line{i}_{part}", "Required for this service.")
        return data

    def filled_rows(self) -> list[int]:
        """The form rows holding a service, in order: the services' n-th line is row
        filled_rows()[n - 1] (empty rows in between are skipped)."""
        return [i for i in range(1, LINE_ROWS + 1) if self.cleaned_data.get(f"line{i}_code")]

    def lines(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {
                "code_system": d[f"line{i}_code_system"],
                "code": d[f"line{i}_code"].strip().upper(),
                "units": d[f"line{i}_units"],
                "start_date": d[f"line{i}_start_date"],
                "end_date": d[f"line{i}_end_date"],
                "category": d[f"line{i}_category"],
            }
            for i in self.filled_rows()
        ]

    def diagnoses(self) -> list[str]:
        return [
            self.cleaned_data[f"diagnosis{i}"].strip()
            for i in range(1, DIAGNOSIS_ROWS + 1)
            if self.cleaned_data.get(f"diagnosis{i}")
        ]

    @classmethod
    def initial_from(cls, care_request: CareRequest) -> dict:
        initial = {
            "requesting_provider": care_request.requesting_provider_id,
            "servicing_provider": care_request.servicing_provider_id,
            "priority": care_request.priority,
            "request_type": care_request.request_type,
            "claim_number": care_request.claim_number,
            "review_setting": care_request.review_setting,
            "clinical_summary": care_request.clinical_summary,
        }
        for i, line in enumerate(care_request.service_lines.all(), start=1):
            if i > LINE_ROWS:
                break
            initial.update(
                {
                    f"line{i}_code_system": line.code_system,
                    f"line{i}_code": line.code,
                    f"line{i}_units": line.units,
                    f"line{i}_start_date": line.start_date,
                    f"line{i}_end_date": line.end_date,
                    f"line{i}_category": line.category.code,
                }
            )
        for i, diagnosis in enumerate(care_request.diagnoses.all(), start=1):
            if i <= DIAGNOSIS_ROWS:
                initial[f"diagnosis{i}"] = diagnosis.code
        return initial


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            if not data:
                return super().clean(None, initial)
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label="Document type")
    files = MultipleFileField(
        label="Files (PDF, PNG, JPEG or TIFF)", help_text="You can choose several files at once."
    )


class InfoResponseForm(forms.Form):
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, label="Your answer"
    )
    kind = forms.ChoiceField(choices=DocumentKind.choices, label="Document type", required=False)
    file = forms.FileField(label="Attach a document (optional)", required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False, label="Reason (optional)")
