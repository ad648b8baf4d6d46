from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from tickets.models import Channel, Priority, Queue, Status, Tier
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
        # "New" is never a target: a replied ticket is no longer new.
        choices=[("", "Keep status (pending on customer)")]
        + [(value, label) for value, label in Status.choices if value != Status.NEW],
        required=False,
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


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, max_length=500, help_text="Comma separated")
    # The ticket page always sends it; callers without a page (scripts) may leave it out.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()][:20]


class MergeForm(forms.Form):
    into = forms.IntegerField(min_value=1, label="Merge into ticket #")


class QueueFilterForm(forms.Form):
    """The queue's filters; an unknown value is ignored rather than an error page."""

    VIEW_CHOICES = (
        ("mine", "Mine"),
        ("unassigned", "Unassigned"),
        ("team", "My team"),
        ("breaching", "Breaching soon"),
        ("all", "All"),
    )

    view = forms.ChoiceField(choices=VIEW_CHOICES, required=False)
    status = forms.ChoiceField(choices=[("", "Open (all)"), *Status.choices], required=False)
    priority = forms.ChoiceField(choices=[("", "Any priority"), *Priority.choices], required=False)
    queue = forms.ChoiceField(choices=[("", "Any queue")], required=False)
    tag = forms.CharField(required=False, max_length=50)
    assignee = forms.TypedChoiceField(
        choices=[("", "Anyone")], coerce=int, empty_value=None, required=False
    )
    channel = forms.ChoiceField(choices=[("", "Any channel"), *Channel.choices], required=False)
    tier = forms.ChoiceField(choices=[("", "Any tier"), *Tier.choices], required=False)

    def __init__(
        self,
        data: object,
        *,
        queues: list[Queue],
        agents: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["queue"].choices = [("", "Any queue")] + [(q.slug, q.name) for q in queues]  # type: ignore[attr-defined]
        self.fields["assignee"].choices = [("", "Anyone"), *agents]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, object]:
        """The valid filters as keyword arguments of selectors.queue_tickets."""
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        return {
            "view": data.get("view") or "mine",
            "status": data.get("status") or "",
            "priority": data.get("priority") or "",
            "queue_slug": data.get("queue") or "",
            "tag": (data.get("tag") or "").strip().lower(),
            "assignee_id": data.get("assignee"),
            "channel": data.get("channel") or "",
            "tier": data.get("tier") or "",
        }


class BulkActionForm(forms.Form):
    ACTIONS = (
        ("assign_me", "Assign to me"),
        ("assign", "Assign to…"),
        ("unassign", "Unassign"),
        ("status", "Set status…"),
        ("tag", "Add tag…"),
    )

    tickets = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    action = forms.ChoiceField(choices=ACTIONS)
    assignee = forms.IntegerField(required=False)
    status = forms.ChoiceField(choices=[("", "—"), *Status.choices], required=False)
    tag = forms.CharField(required=False, max_length=50)

    def __init__(self, data: object) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        # Any integers are accepted here; access is checked per ticket by the view.
        raw = data.getlist("tickets") if hasattr(data, "getlist") else []
        self.fields["tickets"].choices = [(v, v) for v in raw[:200]]  # type: ignore[attr-defined]


class AgentTicketForm(forms.Form):
    """An agent files a ticket for a customer (after a call, a chat, a meeting)."""

    customer_email = forms.EmailField(max_length=254, label="Customer email")
    customer_name = forms.CharField(max_length=150, required=False, label="Customer name")
    queue = forms.ChoiceField(choices=[])
    subject = forms.CharField(max_length=255)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_BODY_CHARS,
        label="What the customer told you",
    )
    urgency = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    attachments = MultipleFileField()

    def __init__(self, *args: object, queues: list[Queue], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["queue"].choices = [(q.slug, q.name) for q in queues]  # type: ignore[attr-defined]
