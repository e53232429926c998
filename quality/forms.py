from django import forms

from .models import Goal


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
        labels = {"direction": "The value should be", "target": "Target (%)"}
