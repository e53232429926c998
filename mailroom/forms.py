from django import forms


class ReturnFileForm(forms.Form):
    file = forms.FileField(
        label="Return file from the mail house (CSV)",
        help_text="Columns letter_id, status (mailed, returned or undeliverable), date "
        "(YYYY-MM-DD) and, optionally, reason.",
    )
