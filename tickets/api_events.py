"""A ticket's timeline over the API: its TicketEvent rows, newest first.

Staff read every event with its data, as the workspace's timeline shows it. A customer
reads only what the portal and our mails already tell them: the ticket was received,
someone replied, its status changed, it was merged with another of theirs. Internal
notes, assignment, priority, tags, queue moves, SLA warnings and breaches, survey
bookkeeping and empathy scores are the desk's business, and so is who did what: a
customer sees the actor's first name, as in our emails, and a whitelisted part of `data`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers

from accounts.models import User
from helpdesk.api import CreatedCursorPagination, error_responses
from tickets.access import is_staff_user, ticket_get_for_user
from tickets.models import EventKind, TicketEvent

# Event kinds a customer may read, with the keys of `data` they may read of each.
CUSTOMER_EVENT_DATA: dict[str, frozenset[str]] = {
    EventKind.CREATED: frozenset({"channel"}),
    EventKind.CUSTOMER_REPLIED: frozenset(),
    EventKind.AGENT_REPLIED: frozenset(),
    EventKind.STATUS_CHANGED: frozenset({"from", "to"}),
    # Merging needs one requester on both tickets, so both ids are the customer's own.
    EventKind.MERGED: frozenset({"merged_into", "merged_from"}),
}


def events_visible_to(user: User | AnonymousUser, ticket_id: int) -> QuerySet[TicketEvent]:
    """The events of a ticket `user` may open (404 otherwise), limited to what they may read."""
    ticket = ticket_get_for_user(user=user, ticket_id=ticket_id)
    events = ticket.events.select_related("actor")
    if not is_staff_user(user):
        events = events.filter(kind__in=list(CUSTOMER_EVENT_DATA))
    return events


class EventOutputSerializer(serializers.Serializer[TicketEvent]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    created_at = serializers.DateTimeField()
    message = serializers.IntegerField(
        source="message_id",
        allow_null=True,
        help_text="The message this event wrote, if any (see the ticket's messages).",
    )
    actor_id = serializers.SerializerMethodField(help_text="Staff only; null for customers.")
    actor_name = serializers.SerializerMethodField(
        help_text="Who did it: the full name for staff, the first name for customers."
    )
    # The metaclass collects declared fields, so this does not shadow Serializer.data.
    data = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="Details by kind, e.g. status_changed: {from, to}. Customers get a subset."
    )

    def _staff(self) -> bool:
        return bool(self.context.get("staff"))

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_actor_id(self, event: TicketEvent) -> int | None:
        return event.actor_id if self._staff() else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor_name(self, event: TicketEvent) -> str | None:
        if event.actor is None:
            return None
        if self._staff():
            return event.actor.display_name
        return event.actor.first_name or None

    @extend_schema_field(serializers.DictField())
    def get_data(self, event: TicketEvent) -> dict[str, Any]:
        data = event.data if isinstance(event.data, dict) else {}
        if self._staff():
            return data
        allowed = CUSTOMER_EVENT_DATA.get(event.kind, frozenset())
        return {key: value for key, value in data.items() if key in allowed}


class EventCursorPagination(CreatedCursorPagination):
    # Events of one ticket can share a timestamp (a merge writes two): the id breaks ties.
    ordering = ("-created_at", "-id")  # type: ignore[assignment]  # DRF takes str or tuple


@extend_schema_view(
    get=extend_schema(
        responses={200: EventOutputSerializer(many=True), **error_responses(404)},
        description=(
            "The ticket's timeline, newest first. Staff get every event; customers the "
            "received, replied, status and merge events, with a subset of their data."
        ),
    )
)
class TicketEventListApi(generics.ListAPIView[TicketEvent]):
    serializer_class = EventOutputSerializer
    pagination_class = EventCursorPagination
    filter_backends: list[Any] = []
    queryset = TicketEvent.objects.none()  # for the schema; get_queryset applies access rules

    def get_queryset(self) -> QuerySet[TicketEvent]:
        return events_visible_to(self.request.user, int(self.kwargs["ticket_id"]))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "staff": is_staff_user(self.request.user)}
