from django import forms

from surveys.models import Reason

SCALE = [(str(n), str(n)) for n in range(1, 6)]


class AnswerForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=SCALE, coerce=int, widget=forms.RadioSelect, label="How satisfied are you?"
    )
    understood = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        label="Did you feel the agent understood your concern?",
    )
    reason = forms.ChoiceField(
        choices=[("", "Prefer not to say"), *Reason.choices],
        required=False,
        widget=forms.RadioSelect,
        label="If you rated 1 or 2: what was the main reason?",
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        label="Anything you want to tell us? (optional)",
    )
