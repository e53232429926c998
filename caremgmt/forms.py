from django import forms

from .services.referrals import REASON_MAX


class ReferForm(forms.Form):
    reason = forms.CharField(
        label="Why refer this member to care management",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_referral_%s")
        super().__init__(*args, **kwargs)


class ReferralActionForm(forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
