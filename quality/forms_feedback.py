from django import forms

from .models.feedback import COMMENT_MAX


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="How did this request go for you? (1 poor, 5 excellent)",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_feedback_%s")
        super().__init__(*args, **kwargs)
