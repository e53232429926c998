"""Forms for filing and deciding appeals. They check shapes; the services decide."""

from django import forms

from intake.models import CareRequest

from .models import Appeal


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class AppealFilingForm(forms.Form):
    lines = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Services to appeal"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        label="Why the decision should be changed",
    )
    expedited = forms.BooleanField(
        required=False,
        label="Expedited: waiting 30 days could seriously jeopardize the member's life, health or "
        "ability to regain maximum function",
    )
    documents = MultipleFileField(required=False, label="Supporting documents (PDF or images)")

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [
            (
                str(line.pk),
                f"Line {line.sequence}: {line.description or line.category.name} "
                f"({line.code}) – {line.get_decision_display().lower()}",
            )
            for line in lines
        ]
        self.fields["lines"].initial = [str(line.pk) for line in lines]


class IntakeAppealForm(AppealFilingForm):
    channel = forms.ChoiceField(
        choices=[(c, label) for c, label in Appeal.Channel.choices if c in ("fax", "phone", "mail")]
    )
    requester = forms.ChoiceField(choices=Appeal.Requester.choices)
    received_at = forms.DateTimeField(
        label="Received at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="When the appeal really arrived.",
    )
    backdate_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why an earlier time"
    )
    late_good_cause = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Good cause for a late appeal",
    )
    expedited = forms.BooleanField(
        required=False, label="Expedited: a physician supports it, or the 72-hour standard applies"
    )


class CaseReferenceForm(forms.Form):
    reference = forms.CharField(max_length=12, label="Request reference")

    def clean_reference(self):
        ref = self.cleaned_data["reference"].strip().upper()
        if not CareRequest.objects.filter(reference=ref).exists():
            raise forms.ValidationError("No request has this reference.")
        return ref


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="Physician")

    def __init__(self, *args, deciders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(str(u.pk), u.display_name) for u in deciders]


class SummaryForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))


class DismissForm(forms.Form):
    reason = forms.ChoiceField(choices=Appeal.DismissalReason.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IreDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("upheld", "Upheld"), ("overturned", "Overturned")])
    ire_reference = forms.CharField(max_length=40, label="IRE case number")
