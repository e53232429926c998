"""Inbox forms. The request itself is intake's entry form (intake.forms), pre-filled from the fax;
these are the inbox's own bits: the upload, the confirmations, and how to file the other pages."""

from django import forms

from intake.models import DocumentKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.tif,.tiff,.png,.jpg,.jpeg"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class InboxUploadForm(forms.Form):
    files = MultipleFileField(
        label="Faxes or scans", help_text="One or more PDF, TIFF, PNG or JPEG files."
    )


PAGE_KIND_CHOICES = [("", "Do not keep"), *DocumentKind.choices]


def page_filing_field(initial: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=PAGE_KIND_CHOICES, required=False, initial=initial, label="Keep as"
    )
