"""HTML forms. They parse input; the services validate the domain rules."""

from django import forms
from django.conf import settings

from .models import WEEKDAYS, AvailabilityException, PeerToPeer


class AvailabilityRuleForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(min_value=10, max_value=240, initial=30)
    valid_from = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Default: today."
    )
    valid_to = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Empty: no end."
    )


class AvailabilityExceptionForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=AvailabilityException.Kind.choices)
    start_time = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Empty for the whole day.",
    )
    end_time = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    reason = forms.CharField(max_length=100, required=False)


class SlotChoiceField(forms.ModelChoiceField):
    """Radio list of offered slots; labels are built by the template, the value is the UUID."""

    def label_from_instance(self, obj):
        return str(obj.pk)


class BookingForm(forms.Form):
    slot = SlotChoiceField(queryset=None, widget=forms.RadioSelect, empty_label=None)
    contact_name = forms.CharField(label="Provider contact", max_length=150)
    contact_phone = forms.CharField(label="Phone the director calls", max_length=30)
    contact_email = forms.EmailField(
        label="E-mail for the calendar invite", required=False, max_length=254
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].error_messages["invalid_choice"] = (
            "That slot was just taken or is no longer offered. Please choose another time."
        )


class RescheduleForm(forms.Form):
    slot = SlotChoiceField(queryset=None, widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].error_messages["invalid_choice"] = (
            "That slot was just taken or is no longer offered. Please choose another time."
        )


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


class PortalCancelForm(forms.Form):
    """The provider says why the call is off; the director reads it in the case history."""

    reason = forms.CharField(
        label="Reason for cancelling",
        max_length=300,
        error_messages={"required": "Tell the medical director briefly why the call is off."},
    )


# What <input type="datetime-local"> reads and sends (Django's default puts a space, not a T).
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class CallRecordForm(forms.Form):
    call_status = forms.ChoiceField(
        label="What happened",
        choices=[
            (PeerToPeer.Status.COMPLETED, "Completed: the call was held"),
            (PeerToPeer.Status.NO_SHOW, "No-show: the provider did not join"),
            (PeerToPeer.Status.CANCELLED, "Cancelled"),
        ],
        widget=forms.RadioSelect,
    )
    attendees = forms.CharField(label="Who joined", max_length=300, required=False)
    # Required for a held call only, which the service decides (it knows the slot and the clock).
    started_at = forms.DateTimeField(
        label="Started",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )
    ended_at = forms.DateTimeField(
        label="Ended",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)
    decision = forms.ChoiceField(
        label="Decision",
        required=False,
        choices=[
            ("", "— (no decision: call not held)"),
            (PeerToPeer.Outcome.UPHELD, "Uphold the denial"),
            (PeerToPeer.Outcome.CHANGED, "Change it: approve as requested (reopening)"),
            (
                PeerToPeer.Outcome.RECONSIDER,
                "Change it line by line: reopen and decide on the decision page",
            ),
        ],
    )
    rationale = forms.CharField(
        label="Rationale for the new decision (plain language; goes in the letter)",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, slot=None, tolerance_minutes: int = 0, **kwargs):
        """Offer the booked times, which the director corrects if the call started late or
        ran over; the times are read in the plan's time zone, which the labels name, like
        every time the pages show."""
        if slot is not None:
            kwargs.setdefault("initial", {"started_at": slot.starts_at, "ended_at": slot.ends_at})
        super().__init__(*args, **kwargs)
        self.fields["started_at"].label = f"Started ({settings.TIME_ZONE})"
        self.fields["ended_at"].label = f"Ended ({settings.TIME_ZONE})"
        if slot is not None:
            self.fields["started_at"].help_text = (
                f"For a held call: within the booked time, up to {tolerance_minutes} minutes "
                "early or over, and not later than now."
            )
