"""Intake forms. They check input types and shapes; the services decide what is valid for a
case (codes, dates, coverage in force) and their field errors are put back on these fields."""

import re
from datetime import timedelta

from django import forms
from django.forms import formset_factory
from django.urls import reverse
from django.utils import timezone

from um_portal.lib.http import add_field_errors
from um_portal.lib.npi import is_valid_npi

from .models import (
    CareRequest,
    CareRequestStatus,
    CaseNote,
    Coverage,
    DocumentKind,
    Plan,
    Priority,
    Provider,
    ServiceCategory,
    ServiceLine,
)
from .selectors import QUEUE_STATUSES
from .services.receipt import ServiceLineInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Requests typed in by intake arrive by these channels; portal and API requests enter themselves.
ENTRY_CHANNELS = [
    (c.value, c.label)
    for c in (CareRequest.Channel.FAX, CareRequest.Channel.PHONE, CareRequest.Channel.MAIL)
]


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "Any"), *choices]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=_blank([(s.value, s.label) for s in CareRequestStatus if s in QUEUE_STATUSES]),
    )
    priority = forms.ChoiceField(required=False, choices=_blank(Priority.choices))
    channel = forms.ChoiceField(required=False, choices=_blank(CareRequest.Channel.choices))


class MemberLookupForm(forms.Form):
    """The member ID, or the name, with the date of birth (phone intake rarely has the ID)."""

    member_number = forms.CharField(label="Member ID", max_length=30, required=False)
    last_name = forms.CharField(label="or last name", max_length=100, required=False)
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    birth_date = forms.DateField(label="Date of birth", widget=DATE_WIDGET)

    def clean_member_number(self) -> str:
        return self.cleaned_data["member_number"].strip().upper()

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("member_number") and not cleaned.get("last_name", "").strip():
            raise forms.ValidationError("Enter the member ID, or the member's last name.")
        return cleaned


class ProviderField(forms.CharField):
    """A provider typed as an NPI (the search suggests them) or, without JavaScript, a name that
    matches exactly one provider."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", "NPI, or type a name to search.")
        super().__init__(**kwargs)

    def clean(self, value) -> Provider | None:
        value = super().clean(value)
        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            if not is_valid_npi(value):
                raise forms.ValidationError(
                    f"{value} is not a valid NPI (10 digits with a valid check digit)."
                )
            provider = Provider.objects.filter(npi=value).first()
            if provider is None:
                raise forms.ValidationError(f"No provider with NPI {value} is on file.")
            return provider
        matches = list(Provider.objects.filter(name__icontains=value).order_by("name")[:6])
        if not matches:
            raise forms.ValidationError(f"No provider named “{value}” is on file.")
        if len(matches) > 1:
            names = "; ".join(f"{p.name} ({p.npi})" for p in matches[:5])
            raise forms.ValidationError(
                f"Several providers match “{value}”: {names}. Enter the NPI."
            )
        return matches[0]


class CareRequestEntryForm(forms.Form):
    """A request received by fax, phone or mail, for the member found by the lookup."""

    coverage = forms.ModelChoiceField(
        queryset=Coverage.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    channel = forms.ChoiceField(choices=ENTRY_CHANNELS, initial=CareRequest.Channel.FAX)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.STANDARD)
    request_type = forms.ChoiceField(choices=CareRequest.RequestType.choices)
    review_setting = forms.ChoiceField(choices=CareRequest.ReviewSetting.choices)
    requesting_provider = ProviderField(label="Requesting provider")
    servicing_provider = ProviderField(label="Servicing provider")
    diagnoses = forms.CharField(
        label="Diagnoses (ICD-10-CM)",
        max_length=200,
        help_text="One or more codes separated by commas or spaces; the first is primary.",
    )
    clinical_summary = forms.CharField(
        label="Clinical summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_at = forms.DateTimeField(
        label="Received at",
        required=False,
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text="For a fax or letter that arrived earlier: when it really arrived. "
        "Empty means now.",
    )
    received_at_reason = forms.CharField(
        label="Why the receipt time is earlier",
        required=False,
        max_length=500,
        help_text="E.g. fax received overnight, opened this morning.",
    )
    claim_number = forms.CharField(
        label="Claim number (retrospective review)", required=False, max_length=40
    )

    def __init__(self, *args, coverages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if coverages is not None:
            self.fields["coverage"].queryset = coverages
            only = list(coverages[:2])
            if len(only) == 1:
                self.initial.setdefault("coverage", only[0].pk)
        self.fields["coverage"].label_from_instance = _coverage_label
        for name in ("requesting_provider", "servicing_provider"):
            # htmx fills the field's datalist with matches as the user types.
            self.fields[name].widget.attrs.update(
                {
                    "list": f"{name}-options",
                    "autocomplete": "off",
                    "hx-get": reverse("intake:provider_options"),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#{name}-options",
                    "hx-swap": "innerHTML",
                }
            )

    def clean_diagnoses(self) -> list[str]:
        raw = self.cleaned_data["diagnoses"].replace(",", " ").replace(";", " ")
        return [code for code in raw.split() if code]


def _coverage_label(coverage: Coverage) -> str:
    until = coverage.effective_to.isoformat() if coverage.effective_to else "open-ended"
    return (
        f"{coverage.member_number} · {coverage.plan.name} "
        f"({coverage.plan.get_line_of_business_display()}) · "
        f"{coverage.effective_from.isoformat()} to {until} · {coverage.get_status_display()}"
    )


class ServiceLineForm(forms.Form):
    # The initial value matches the first option, so an untouched extra line counts as empty.
    code_system = forms.ChoiceField(
        choices=ServiceLine.System.choices, initial=ServiceLine.System.CPT, label="Code system"
    )
    code = forms.CharField(max_length=10, label="Code")
    category = forms.ModelChoiceField(
        queryset=ServiceCategory.objects.all(), label="Category", empty_label="Choose…"
    )
    units = forms.IntegerField(min_value=1, max_value=9999, initial=1, label="Units")
    start_date = forms.DateField(widget=DATE_WIDGET, label="From")
    end_date = forms.DateField(widget=DATE_WIDGET, label="To")
    place_of_service = forms.RegexField(
        regex=r"^\d{2}$",
        required=False,
        max_length=2,
        label="Place of service",
        error_messages={"invalid": "Two digits, e.g. 11 (office) or 22 (outpatient hospital)."},
    )
    modifiers = forms.CharField(max_length=20, required=False, label="Modifiers")


class BaseServiceLineFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "Add at least one service line.",
        "too_many_forms": "A request has at most %(num)d service lines.",
    }


ServiceLineFormSet = formset_factory(
    ServiceLineForm,
    formset=BaseServiceLineFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=20,
    validate_max=True,
)


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label="Document type")
    # An empty file passes here so that the service explains the refusal like every other one.
    file = forms.FileField(
        label="File",
        allow_empty_file=True,
        help_text="PDF, PNG, JPEG or TIFF.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/*"}
        ),
    )


class ProviderCorrectForm(forms.Form):
    """The right NPI for a provider whose NPI failed the check digit (a PAS submission)."""

    npi = forms.CharField(label="Correct NPI", max_length=10)
    network_status = forms.ChoiceField(
        label="Network status", choices=Provider.Network.choices, initial=Provider.Network.OUT
    )
    how = forms.CharField(
        label="How it was verified",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="E.g. NPPES lookup, or a call to the office.",
    )


class CoverageVerifyForm(forms.Form):
    """What intake confirmed about a coverage that came with an outside submission."""

    plan = forms.ModelChoiceField(queryset=Plan.objects.all(), empty_label=None)
    effective_from = forms.DateField(label="Coverage from", widget=DATE_WIDGET)
    effective_to = forms.DateField(
        label="Coverage to", required=False, widget=DATE_WIDGET, help_text="Empty if open-ended."
    )
    birth_date = forms.DateField(label="Member's date of birth", widget=DATE_WIDGET)
    how_verified = forms.CharField(
        label="How it was verified",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the record, e.g. who at enrolment confirmed it, or which system.",
    )

    @classmethod
    def for_coverage(cls, coverage: Coverage, *, prefix: str = "coverage") -> "CoverageVerifyForm":
        return cls(
            prefix=prefix,
            initial={
                "plan": coverage.plan_id,
                "effective_from": coverage.effective_from,
                "effective_to": coverage.effective_to,
                "birth_date": coverage.member.birth_date,
            },
        )


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        choices=CaseNote.Visibility.choices, initial=CaseNote.Visibility.INTERNAL
    )


# --- action forms, one per transition intake can take -----------------------------------------


class TriageForm(forms.Form):
    note = forms.CharField(label="Note for the reviewer", required=False, max_length=2000)


def _two_days_from_now():
    return (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)


class RequestInfoForm(forms.Form):
    description = forms.CharField(
        label="What the provider must send",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    due_by = forms.DateTimeField(
        label="Needed by",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        initial=_two_days_from_now,
    )


class InfoReceivedForm(forms.Form):
    response = forms.CharField(
        label="What was received", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseNotRequiredForm(forms.Form):
    note = forms.CharField(label="Why no authorization is required", max_length=2000)


class VoidForm(forms.Form):
    reason_kind = forms.ChoiceField(
        label="Reason",
        choices=[("duplicate", "Duplicate"), ("entered_in_error", "Entered in error")],
    )
    detail = forms.CharField(label="Details", required=False, max_length=1000)
    duplicate_of = forms.CharField(
        label="Duplicate of (reference)",
        required=False,
        max_length=12,
        help_text="The other case's reference, e.g. UM-7KQ2M4XA.",
    )

    def reason_text(self) -> str:
        kind = dict(self.fields["reason_kind"].choices)[self.cleaned_data["reason_kind"]]
        detail = self.cleaned_data.get("detail", "").strip()
        return f"{kind}: {detail}" if detail else kind


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Reason", required=False, max_length=1000)


# --- shared by every screen that creates a request from CareRequestEntryForm (new request
# entry here, the fax inbox's review screen): one reading of the form, one placing of errors.

LINE_ERROR_KEY = re.compile(r"^lines\[(\d+)\]\.(\w+)$")


def service_line_input(cleaned: dict) -> ServiceLineInput:
    """A ServiceLineForm's cleaned data as care_request_create's line argument."""
    return ServiceLineInput(
        code_system=cleaned["code_system"],
        code=cleaned["code"].strip().upper(),
        category=cleaned["category"],
        units=cleaned["units"],
        start_date=cleaned["start_date"],
        end_date=cleaned["end_date"],
        place_of_service=cleaned.get("place_of_service", ""),
        modifiers=cleaned.get("modifiers", ""),
    )


def entry_request_arguments(form: CareRequestEntryForm, line_forms: list) -> dict:
    """care_request_create's arguments from a valid entry form and its filled line forms
    (without the actor, the channel and the receipt time, which the screen decides)."""
    data = form.cleaned_data
    return {
        "coverage": data["coverage"],
        "requesting_provider": data["requesting_provider"],
        "servicing_provider": data["servicing_provider"],
        "lines": [service_line_input(f.cleaned_data) for f in line_forms],
        "diagnoses": data["diagnoses"],
        "priority": data["priority"],
        "request_type": data["request_type"],
        "review_setting": data["review_setting"],
        "clinical_summary": data["clinical_summary"],
    }


def place_entry_errors(form: CareRequestEntryForm, line_forms: list, error) -> None:
    """Put the service's errors next to the fields they concern ("lines[2].end_date" is the
    end date of the second line entered)."""
    rest = {}
    for key, messages_ in error.field_errors.items():
        match = LINE_ERROR_KEY.match(key)
        if match and 1 <= int(match[1]) <= len(line_forms):
            line_form = line_forms[int(match[1]) - 1]
            field = match[2] if match[2] in line_form.fields else None
            for message in messages_:
                line_form.add_error(field, message)
        else:
            rest[key] = messages_
    add_field_errors(form, rest)
    if not error.field_errors:
        form.add_error(None, error.message)
