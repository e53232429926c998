from django import forms
from django.contrib.auth import get_user_model

from .models import Goal, IrrAudit, Vignette
from .selectors.irr import reviewer_name


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "name",
            "metric",
            "direction",
            "target",
            "amber_margin",
            "period",
            "line_of_business",
            "is_active",
        ]
        labels = {
            "direction": "The value should be",
            "target": "Target (%, or a kappa from 0 to 1)",
        }


class IrrAuditForm(forms.Form):
    """What the manager picks to build an IRR audit; the service checks the rest."""

    name = forms.CharField(max_length=120)
    source = forms.ChoiceField(choices=IrrAudit.Source.choices, label="Sample")
    size = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=10,
        label="Number of cases",
        help_text="For a sample of decided cases; vignettes use the ones picked below.",
    )
    vignettes = forms.ModelMultipleChoiceField(
        queryset=Vignette.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Gold-standard vignettes are written in Configuration.",
    )
    reviewers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Nurses and directors; nobody is given a case they reviewed themselves.",
    )
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].label_from_instance = reviewer_name
        self.fields["vignettes"].queryset = Vignette.objects.filter(is_active=True).select_related(
            "criteria_set"
        )
