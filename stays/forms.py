from django import forms
from django.utils import timezone

from intake.models import CareRequest

from .models import AdmissionType, DischargeDisposition, LevelOfCare


class AdmissionForm(forms.Form):
    """An admission notification, keyed in by intake (phone, fax) or by the facility (portal)."""

    member_id = forms.CharField(label="Member ID", max_length=30)
    member_birth_date = forms.DateField(
        label="Date of birth", widget=forms.DateInput(attrs={"type": "date"})
    )
    facility_npi = forms.CharField(label="Facility NPI", max_length=10)
    attending_npi = forms.CharField(label="Attending NPI (optional)", max_length=10, required=False)
    admission_type = forms.ChoiceField(choices=AdmissionType.choices)
    level_of_care = forms.ChoiceField(choices=LevelOfCare.choices)
    admitted_at = forms.DateTimeField(
        label="Admitted at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    expected_discharge = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    diagnoses = forms.CharField(
        label="Admitting diagnoses (ICD-10-CM)", help_text="Comma-separated, e.g. I50.9, N17.9"
    )
    drg = forms.CharField(label="DRG (if known)", max_length=4, required=False)
    requested_days = forms.IntegerField(label="Days requested", min_value=1, max_value=30)
    clinical_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_diagnoses(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["diagnoses"].split(",") if c.strip()]


class IntakeAdmissionForm(AdmissionForm):
    channel = forms.ChoiceField(
        choices=[(CareRequest.Channel.PHONE, "Phone"), (CareRequest.Channel.FAX, "Fax")]
    )


class ExtensionForm(forms.Form):
    requested_days = forms.IntegerField(label="More days requested", min_value=1, max_value=30)
    level_of_care = forms.ChoiceField(
        choices=[("", "Current level"), *LevelOfCare.choices], required=False
    )
    clinical_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NurseApproveDaysForm(forms.Form):
    next_review_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NextReviewForm(forms.Form):
    next_review_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class LevelChangeForm(forms.Form):
    level_of_care = forms.ChoiceField(choices=LevelOfCare.choices)
    starts_on = forms.DateField(
        initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(required=False)


class DischargeForm(forms.Form):
    discharged_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    disposition = forms.ChoiceField(choices=DischargeDisposition.choices)


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Discharge-planning note", widget=forms.Textarea(attrs={"rows": 2})
    )
