from datetime import date, timedelta

from django import forms
from django.utils import timezone

from helpdesk.api import DEFAULT_PERIOD_DAYS

LEVELS = [("", "—"), ("0", "0 absent"), ("1", "1 weak"), ("2", "2 strong")]


class CoachForm(forms.Form):
    draft = forms.CharField(max_length=20_000, required=False, strip=False)
    ticket = forms.IntegerField()


class ReviewForm(forms.Form):
    listening = forms.TypedChoiceField(choices=LEVELS, coerce=int, empty_value=None, required=False)
    validation = forms.TypedChoiceField(
        choices=LEVELS, coerce=int, empty_value=None, required=False
    )
    reflection = forms.TypedChoiceField(
        choices=LEVELS, coerce=int, empty_value=None, required=False
    )
    tone = forms.TypedChoiceField(choices=LEVELS, coerce=int, empty_value=None, required=False)
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    exemplary = forms.BooleanField(required=False, label="Exemplary: share with the team")


class AcknowledgeForm(forms.Form):
    reply = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class RangeForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self) -> tuple[date, date]:
        """The chosen days, defaulting to the last eight weeks; a bad value is ignored."""
        end = timezone.localdate()
        start = end - timedelta(days=DEFAULT_PERIOD_DAYS)
        if self.is_valid():
            start = self.cleaned_data["start"] or start
            end = self.cleaned_data["end"] or end
        return start, end


class ReflectionForm(forms.Form):
    went_well = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="What went well?",
    )
    do_differently = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        label="What would you do differently next time?",
    )
