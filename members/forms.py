from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class JoinForm(forms.Form):
    """The member proves who they are and chooses their sign-in."""

    member_number = forms.CharField(
        label=_("Member ID (on your plan card)"), max_length=30, strip=True
    )
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE_WIDGET)
    username = forms.CharField(
        label=_("Choose a user name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class MemberAppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the plan change its decision?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class MemberFeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was this request handled? (1 poor – 5 excellent)"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to tell us? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DataSharingForm(forms.Form):
    """CMS-0057-F: providers who treat the member see their data unless the member says no;
    a new plan receives it from this plan only if the member says yes."""

    provider_access_opted_out = forms.BooleanField(
        label=_("Do not share my data with my doctors through the Provider Access API"),
        required=False,
    )
    payer_to_payer_opted_in = forms.BooleanField(
        label=_("Send my data to my next health plan if I change plans"),
        required=False,
    )
