from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from tickets.models import Priority, Status
from tickets.services.attachments import MAX_ATTACHMENTS, AttachmentInput
from tickets.services.text import MAX_BODY_CHARS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[UploadedFile[bytes]]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"At most {MAX_ATTACHMENTS} files.")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def to_attachment_inputs(files: list[UploadedFile[bytes]]) -> list[AttachmentInput]:
    return [
        AttachmentInput(
            filename=f.name or "attachment", content_type=f.content_type or "", data=f.read()
        )
        for f in files
    ]


class PublicTicketForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254)
    subject = forms.CharField(max_length=255)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), max_length=MAX_BODY_CHARS
    )
    urgency = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    attachments = MultipleFileField()


class CustomerReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_BODY_CHARS
    )
    attachments = MultipleFileField()


class AgentReplyForm(forms.Form):
    KIND_CHOICES = (("reply", "Public reply"), ("note", "Internal note"))

    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="reply", widget=forms.RadioSelect)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 7}), max_length=MAX_BODY_CHARS)
    set_status = forms.ChoiceField(
        choices=[("", "Keep status (pending on customer)"), *Status.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    attachments = MultipleFileField()


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(choices=Priority.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AssignForm(forms.Form):
    assignee = forms.IntegerField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
