"""Forms parse the director's input; the service decides whether it is a valid decision."""

from django import forms

from intake.models import ServiceLine
from review.models import CriteriaSet, Criterion

from .models import DenialReason, LineDecision, NetworkException
from .services.validation import LineDecisionInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CriterionSelect(forms.Select):
    """Each criterion's option names its set (data-set), so the page shows only the criteria of
    the chosen set (static/js/decide_criteria.js); the server still refuses a mismatch."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.set_of: dict[int, int] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.set_of:
            option["attrs"]["data-set"] = self.set_of[value]
        return option


class LineDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (LineDecision.Outcome.APPROVED, "Approve as requested"),
            (LineDecision.Outcome.MODIFIED, "Approve fewer units or a shorter period"),
            (LineDecision.Outcome.DENIED, "Deny"),
        ],
        widget=forms.RadioSelect,
    )
    approved_units = forms.IntegerField(required=False, min_value=1, label="Approved units")
    approved_start = forms.DateField(required=False, widget=DATE, label="Approved from")
    approved_end = forms.DateField(required=False, widget=DATE, label="Approved to")
    reason_code = forms.ChoiceField(required=False, label="Reason")
    criteria_set = forms.ModelChoiceField(
        queryset=CriteriaSet.objects.none(), required=False, label="Criteria the decision rests on"
    )
    criterion = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=CriterionSelect(attrs={"data-criterion-for-set": ""}),
        label="The criterion that is not met",
        help_text="One criterion of the set chosen above; the letters cite it.",
    )
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Rationale in plain language (shown in the letters)",
        help_text="Specific to this member's situation; describe services in words, not codes.",
    )

    def __init__(
        self, *args, line: ServiceLine, reasons, criteria_sets, unmet: Criterion | None, **kwargs
    ):
        initial = {
            "approved_units": line.units,
            "approved_start": line.start_date,
            "approved_end": line.end_date,
        }
        current = {c.pk for cs in criteria_sets for c in cs.criteria.all()}
        if unmet is not None and unmet.pk in current:
            # The nurse's "not met" answer is the likely citation; the director may change it.
            initial.update(criteria_set=unmet.criteria_set_id, criterion=unmet.pk)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.line = line
        self.fields["reason_code"].choices = [("", "—")] + [(r.code, r.label) for r in reasons]
        self.fields["criteria_set"].queryset = CriteriaSet.objects.filter(is_current=True)
        # Sets that cover this line's code first: the likely choice, without hiding the rest.
        ordered = sorted(criteria_sets, key=lambda cs: (line.code not in (cs.codes or []), cs.name))
        self.fields["criteria_set"].choices = [("", "—")] + [
            (cs.pk, f"{cs.name} (version {cs.version})") for cs in ordered
        ]
        # Grouped by set; the criteria come prefetched with the sets (criteria_sets_current).
        self.fields["criterion"].choices = [("", "—")] + [
            (
                f"{cs.name} (version {cs.version})",
                [(c.pk, f"{c.sequence}. {c.text}") for c in cs.criteria.all()],
            )
            for cs in ordered
        ]
        self._criteria = {c.pk: c for cs in ordered for c in cs.criteria.all()}
        self.fields["criterion"].widget.set_of = {
            pk: c.criteria_set_id for pk, c in self._criteria.items()
        }

    def clean_criterion(self) -> Criterion | None:
        pk = self.cleaned_data.get("criterion")
        return self._criteria.get(pk) if pk is not None else None

    def to_input(self) -> LineDecisionInput:
        data = self.cleaned_data
        return LineDecisionInput(
            service_line=self.line,
            outcome=data["outcome"],
            approved_units=data.get("approved_units"),
            approved_start=data.get("approved_start"),
            approved_end=data.get("approved_end"),
            reason_code=data.get("reason_code") or "",
            rationale=data.get("rationale") or "",
            criteria_set=data.get("criteria_set"),
            criterion=data.get("criterion"),
        )


def line_forms(
    data, lines, *, reasons: list[DenialReason], criteria_sets, unmet: dict | None = None
) -> list:
    """One decision form per line; `unmet` ({line id: criterion}, nurse_unmet_criteria)
    preselects the criterion the nurse found unmet."""
    unmet = unmet or {}
    return [
        LineDecisionForm(
            data,
            prefix=f"line-{line.sequence}",
            line=line,
            reasons=reasons,
            criteria_sets=criteria_sets,
            unmet=unmet.get(line.pk),
        )
        for line in lines
    ]


class RequestInfoForm(forms.Form):
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="What the provider must send"
    )
    due_by = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), label="Needed by"
    )


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note")


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason")


# --- letters needing attention ---


class ResendForm(forms.Form):
    checked_mail_log = forms.BooleanField(
        required=False, label="The mail log shows this letter did not go out"
    )


class ConfirmDeliveredForm(forms.Form):
    evidence = forms.CharField(
        label="What shows it was delivered", max_length=250, help_text="E.g. message ID and time."
    )


class AdministrativeDenialForm(forms.Form):
    """Intake's, a nurse's or a director's administrative denial of some or all of a case's
    lines still to decide. Each line is denied (with the common reason and provision, or its
    own) or kept in review; a post without line choices denies every line."""

    DENY, KEEP = "deny", "review"

    reason_code = forms.ChoiceField(
        label="Reason",
        required=False,
        help_text="For every denied line without a reason of its own.",
    )
    provision = forms.CharField(
        max_length=300,
        required=False,
        label="Plan provision",
        help_text="The plan document and section the decision rests on, e.g. "
        "“Evidence of Coverage 2026, chapter 4, section 2.1”; for every denied line without "
        "one of its own.",
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Explanation for the member and the provider",
        help_text="Both letters quote it: plain language about the member (“the member's "
        "plan”, not “your plan”), at least 10 words, no procedure or diagnosis codes.",
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Internal note"
    )

    def __init__(self, *args, reasons, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a reason")] + [(r.code, r.label) for r in reasons]
        self.fields["reason_code"].choices = choices
        self.lines = list(lines)
        for line in self.lines:
            name = f"line-{line.sequence}"
            service = line.plain_description or line.category.name
            self.fields[f"{name}-decision"] = forms.ChoiceField(
                label=f"Line {line.sequence}: {service}",
                choices=[(self.DENY, "Deny administratively"), (self.KEEP, "Keep in review")],
                widget=forms.RadioSelect,
                required=False,
                initial=self.DENY,
            )
            self.fields[f"{name}-reason_code"] = forms.ChoiceField(
                label=f"Line {line.sequence}: its own reason",
                choices=[("", "The reason above")] + choices[1:],
                required=False,
            )
            self.fields[f"{name}-provision"] = forms.CharField(
                label=f"Line {line.sequence}: its own plan provision",
                max_length=300,
                required=False,
            )

    def denied_lines(self) -> list[tuple]:
        """(line, reason code, provision) for each line to deny; blank where neither the line
        nor the common fields say (the service names the gap)."""
        data = self.cleaned_data
        out = []
        for line in self.lines:
            name = f"line-{line.sequence}"
            if (data.get(f"{name}-decision") or self.DENY) != self.DENY:
                continue
            reason = data.get(f"{name}-reason_code") or data.get("reason_code") or ""
            provision = data.get(f"{name}-provision") or data.get("provision") or ""
            out.append((line, reason, provision))
        return out

    def field_for(self, sequence, field: str) -> str:
        """Where a line's error shows: its own field when it has a value, else the common one."""
        own = f"line-{sequence}-{field}"
        return own if self.cleaned_data.get(own) else field


class NetworkExceptionRequestForm(forms.Form):
    basis = forms.ChoiceField(
        choices=NetworkException.Basis.choices, widget=forms.RadioSelect, label="Basis"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Why the member needs this provider"
    )


class NetworkExceptionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve the exception"), ("deny", "Deny: out of network")],
        widget=forms.RadioSelect,
        label="Decision",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Explanation",
        help_text="On a denial this is the letter's explanation: plain language, no codes.",
    )
    provision = forms.CharField(
        required=False,
        max_length=300,
        label="Plan provision (for a denial)",
        help_text="e.g. “Evidence of Coverage 2026, chapter 3, section 1: network providers”.",
    )
