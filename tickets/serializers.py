"""API shapes of tickets. Plain data in and out; business rules live in the services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Team
from tickets.models import Message, MessageKind, Priority, Queue, Status, Ticket


class PersonSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class RequesterSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.display_name")
    email = serializers.EmailField(source="user.email")
    tier = serializers.CharField(source="effective_tier")


class ReasonSerializer(serializers.Serializer[object]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment] # the stubs reserve "label"
    points = serializers.IntegerField()
    detail = serializers.CharField()


class TicketOutputSerializer(serializers.ModelSerializer[Ticket]):
    """A ticket as staff see it, triage included; customers get
    `tickets.api_customer_view.CustomerTicketOutputSerializer` instead."""

    queue: serializers.SlugRelatedField[Queue] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    requester = RequesterSerializer()
    assignee = PersonSerializer(allow_null=True)
    tags = serializers.SerializerMethodField()
    priority_score = serializers.IntegerField()
    priority_reasons = ReasonSerializer(many=True)
    challenging = serializers.BooleanField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "subject",
            "status",
            "priority",
            "urgency",
            "channel",
            "queue",
            "requester",
            "assignee",
            "tags",
            "priority_score",
            "priority_reasons",
            "challenging",
            "merged_into",
            "created_at",
            "updated_at",
            "first_response_due",
            "next_response_due",
            "resolution_due",
            "first_responded_at",
            "resolved_at",
            "version",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, ticket: Ticket) -> list[str]:
        return [tag.name for tag in ticket.tags.all()]


class TicketCreateSerializer(serializers.Serializer[object]):
    subject = serializers.CharField(max_length=255)
    body = serializers.CharField(max_length=100_000, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    queue = serializers.SlugField(required=False, help_text="Staff only; default queue if omitted.")
    requester_email = serializers.EmailField(
        required=False, help_text="Staff only: the customer the ticket is filed for."
    )
    requester_name = serializers.CharField(required=False, max_length=150, default="")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, default=list, max_length=20
    )


class TicketUpdateSerializer(serializers.Serializer[object]):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    assignee = serializers.IntegerField(required=False, allow_null=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=20
    )
    version = serializers.IntegerField(
        required=False, help_text="The version you read; a mismatch answers 409."
    )


class TicketMergeSerializer(serializers.Serializer[object]):
    into = serializers.IntegerField(help_text="The ticket that receives the conversation.")


class AttachmentOutputSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()


class AuthorSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField(
        allow_null=True, help_text="Null for desk staff when a customer reads the message."
    )
    name = serializers.CharField()


class MessageOutputSerializer(serializers.ModelSerializer[Message]):
    """One message. Pass ``context={"customer_view": True}`` when a customer reads it: staff
    authors then appear as the portal shows them (first name, or "Support team"), with no
    internal user id."""

    author = serializers.SerializerMethodField()
    attachments = AttachmentOutputSerializer(many=True)

    class Meta:
        model = Message
        fields = ["id", "kind", "author", "body", "channel", "created_at", "attachments"]

    @extend_schema_field(AuthorSerializer(allow_null=True))
    def get_author(self, message: Message) -> dict[str, object] | None:
        author = message.author
        if author is None:
            return None
        if self.context.get("customer_view") and author.is_staff_member:
            return {"id": None, "name": author.first_name or "Support team"}
        return {"id": author.pk, "name": author.display_name}


class MessageCreateSerializer(serializers.Serializer[object]):
    kind = serializers.ChoiceField(
        choices=[MessageKind.REPLY, MessageKind.NOTE, MessageKind.CUSTOMER],
        help_text="Staff: reply or note. Customers: customer (their own reply).",
    )
    body = serializers.CharField(max_length=100_000)
    set_status = serializers.ChoiceField(choices=Status.choices, required=False)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=10
    )


class QueueOutputSerializer(serializers.ModelSerializer[Queue]):
    team: serializers.SlugRelatedField[Team] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Queue
        fields = ["id", "slug", "name", "description", "team", "auto_assign"]
