"""REST API for tickets and messages. Thin: validate, call the service, serialise."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from helpdesk.api import error_responses
from tickets.access import (
    can_see_internal_notes,
    is_staff_user,
    queues_visible_to,
    ticket_get_for_user,
    tickets_visible_to,
)
from tickets.api_customer_view import (
    TICKET_FOR_ROLE,
    TICKETS_FOR_ROLE,
    TicketOrderingFilter,
    drop_staff_only_filters,
    ticket_output,
    ticket_output_class,
)
from tickets.errors import StaleTicketError
from tickets.forms import to_attachment_inputs
from tickets.models import Channel, Message, MessageKind, Queue, Tag, Ticket
from tickets.search import tickets_matching
from tickets.serializers import (
    MessageCreateSerializer,
    MessageOutputSerializer,
    QueueOutputSerializer,
    TicketCreateSerializer,
    TicketMergeSerializer,
    TicketOutputSerializer,
    TicketUpdateSerializer,
)
from tickets.services import (
    customer_get_or_create,
    ticket_assign,
    ticket_change_status,
    ticket_create,
    ticket_customer_reply,
    ticket_merge,
    ticket_note_add,
    ticket_reply,
    ticket_set_priority,
    ticket_set_tags,
)
from tickets.services.common import lock_ticket
from tickets.services.intake import default_queue, default_queues


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale"
    default_detail = "The ticket changed since you read it; fetch it again."


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
    return user


def _require_staff(request: Request) -> User:
    user = _user(request)
    if not is_staff_user(user):
        raise exceptions.PermissionDenied("Only support staff can do this.")
    return user


def ticket_queryset(user: User) -> QuerySet[Ticket]:
    return (
        tickets_visible_to(user)
        .select_related("requester__user", "requester__organisation", "assignee", "queue")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )


class TicketFilter(django_filters.FilterSet):
    queue = django_filters.CharFilter(field_name="queue__slug")
    tag = django_filters.CharFilter(field_name="tags__name")
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    unassigned = django_filters.BooleanFilter(field_name="assignee", lookup_expr="isnull")
    tier = django_filters.CharFilter(method="filter_tier")
    q = django_filters.CharFilter(
        method="filter_q",
        help_text="Words in the subject or the conversation (full-text search; "
        "internal notes for staff only).",
    )

    class Meta:
        model = Ticket
        fields = ["status", "priority", "channel", "challenging"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        drop_staff_only_filters(self.filters, self.request)

    def filter_tier(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return queryset.filter(
            Q(requester__tier=value) | Q(requester__tier="", requester__organisation__tier=value)
        )

    def filter_q(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return tickets_matching(queryset, user=_user(self.request), query=value)


@extend_schema_view(
    get=extend_schema(
        responses={200: TICKETS_FOR_ROLE, **error_responses(400, 404)},
        description="Staff get the full ticket; customers the portal's view of it.",
    )
)
class TicketListCreateApi(generics.ListAPIView[Ticket]):
    serializer_class = TicketOutputSerializer
    filterset_class = TicketFilter
    queryset = Ticket.objects.none()  # for the schema; get_queryset applies access rules
    # The cursor pagination follows the chosen ordering (DRF reads it from this filter).
    filter_backends = [DjangoFilterBackend, TicketOrderingFilter]
    ordering_fields = ["created_at", "updated_at", "priority_score"]
    ordering = ["-created_at"]

    def get_queryset(self) -> QuerySet[Ticket]:
        return ticket_queryset(_user(self.request))

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Ticket]]:
        return ticket_output_class(self.request.user)

    @extend_schema(
        request=TicketCreateSerializer,
        responses={201: TICKET_FOR_ROLE, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        user = _user(request)
        data = TicketCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        queue: Queue | None = None
        if is_staff_user(user):
            email = values.get("requester_email")
            if not email:
                raise exceptions.ValidationError({"requester_email": ["Required for staff."]})
            queue = self._staff_queue(user, values.get("queue"))
            name = values["requester_name"]
        else:
            if values.get("requester_email") or values.get("queue"):
                raise exceptions.PermissionDenied("Customers file tickets for themselves only.")
            email, name = user.email, user.get_full_name()
        # A refused ticket must not leave a new customer account behind.
        with transaction.atomic():
            ticket = ticket_create(
                requester=customer_get_or_create(email=email, name=name),
                subject=values["subject"],
                body=values["body"],
                urgency=values["urgency"],
                channel=Channel.API,
                queue=queue,
                created_by=user if is_staff_user(user) else None,
                tags=values["tags"] if is_staff_user(user) else (),
            )
        # Not read back: the ticket in hand is what was written, with its requester and queue.
        return Response(ticket_output(ticket, request), status=status.HTTP_201_CREATED)

    @staticmethod
    def _staff_queue(user: User, slug: str | None) -> Queue:
        """The queue named, or the default one; either way one the staff member works."""
        queues = queues_visible_to(user)
        if slug:
            queue = queues.filter(slug=slug).first()
            if queue is None:
                raise exceptions.ValidationError({"queue": ["No such queue."]})
            return queue
        # The default queue and whether this person works it, in one query.
        queue = default_queues().annotate(yours=Exists(queues.filter(pk=OuterRef("pk")))).first()
        if queue is None:
            queue = default_queue()  # raises: there is no queue at all yet
        if not queue.yours:  # type: ignore[attr-defined] # the annotation above
            # Filed there, the ticket would vanish from its author's view.
            raise exceptions.ValidationError(
                {"queue": ["Required: the default queue is not one you work."]}
            )
        return queue


class TicketDetailApi(APIView):
    @extend_schema(responses={200: TICKET_FOR_ROLE, **error_responses(404)})
    def get(self, request: Request, ticket_id: int) -> Response:
        ticket = ticket_queryset(_user(request)).filter(pk=ticket_id).first()
        if ticket is None:
            raise exceptions.NotFound()
        return Response(ticket_output(ticket, request))

    @extend_schema(
        request=TicketUpdateSerializer,
        responses={200: TicketOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, ticket_id: int) -> Response:
        ticket = ticket_get_for_user(user=_user(request), ticket_id=ticket_id)
        user = _require_staff(request)
        data = TicketUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            # One PATCH is one change: checked once against the caller's read, under the row
            # lock, and a refused field leaves none of the others applied.
            with transaction.atomic():
                ticket = lock_ticket(ticket.pk, expected_version=values.get("version"))
                if "status" in values:
                    ticket = ticket_change_status(
                        ticket=ticket, actor=user, status=values["status"]
                    )
                if "priority" in values:
                    ticket = ticket_set_priority(
                        ticket=ticket, actor=user, priority=values["priority"]
                    )
                if "assignee" in values:
                    assignee = None
                    if values["assignee"] is not None:
                        assignee = User.objects.filter(
                            pk=values["assignee"], is_active=True
                        ).first()
                        if assignee is None:
                            raise exceptions.ValidationError({"assignee": ["No such user."]})
                    ticket = ticket_assign(ticket=ticket, actor=user, assignee=assignee)
                if "tags" in values:
                    ticket = ticket_set_tags(ticket=ticket, actor=user, tags=values["tags"])
        except StaleTicketError:
            raise Conflict() from None
        fresh = ticket_queryset(user).get(pk=ticket.pk)
        return Response(TicketOutputSerializer(fresh, context={"request": request}).data)


class TicketMergeApi(APIView):
    @extend_schema(
        request=TicketMergeSerializer,
        responses={200: TicketOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        user = _user(request)
        source = ticket_get_for_user(user=user, ticket_id=ticket_id)
        _require_staff(request)
        data = TicketMergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = ticket_get_for_user(user=user, ticket_id=data.validated_data["into"])
        merged = ticket_merge(source=source, target=target, actor=user)
        merged = ticket_queryset(user).get(pk=merged.pk)
        return Response(TicketOutputSerializer(merged, context={"request": request}).data)


class MessageListCreateApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _messages(self, user: User, ticket: Ticket) -> QuerySet[Message]:
        messages = ticket.messages.select_related("author").prefetch_related("attachments")
        if not can_see_internal_notes(user):
            messages = messages.exclude(kind=MessageKind.NOTE)
        return messages.order_by("created_at", "id")

    @extend_schema(responses={200: MessageOutputSerializer(many=True), **error_responses(404)})
    def get(self, request: Request, ticket_id: int) -> Response:
        user = _user(request)
        ticket = ticket_get_for_user(user=user, ticket_id=ticket_id)
        messages = self._messages(user, ticket)[:500]
        context = {"customer_view": not is_staff_user(user)}
        return Response(MessageOutputSerializer(messages, many=True, context=context).data)

    @extend_schema(
        request=MessageCreateSerializer,
        responses={201: MessageOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        user = _user(request)
        ticket = ticket_get_for_user(user=user, ticket_id=ticket_id)
        data = MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        files = to_attachment_inputs(values["attachments"])
        kind = values["kind"]
        if is_staff_user(user):
            if kind == MessageKind.NOTE:
                message = ticket_note_add(
                    ticket=ticket, author=user, body=values["body"], attachments=files
                )
            elif kind == MessageKind.REPLY:
                message = ticket_reply(
                    ticket=ticket,
                    author=user,
                    body=values["body"],
                    attachments=files,
                    set_status=values.get("set_status"),
                    channel=Channel.API,
                )
            else:
                raise exceptions.ValidationError({"kind": ["Staff write replies or notes."]})
        else:
            if kind != MessageKind.CUSTOMER:
                raise exceptions.PermissionDenied("Customers can only add their own replies.")
            message = ticket_customer_reply(
                ticket=ticket,
                customer=user.customer,
                body=values["body"],
                channel=Channel.API,
                attachments=files,
            )
        message = (
            Message.objects.select_related("author")
            .prefetch_related("attachments")
            .get(pk=message.pk)
        )
        context = {"customer_view": not is_staff_user(user)}
        return Response(
            MessageOutputSerializer(message, context=context).data, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    get=extend_schema(responses={200: QueueOutputSerializer(many=True), **error_responses()})
)
class QueueListApi(generics.ListAPIView[Queue]):
    serializer_class = QueueOutputSerializer
    pagination_class = None
    queryset = Queue.objects.none()  # for the schema; get_queryset applies access rules

    def get_queryset(self) -> QuerySet[Queue]:
        return queues_visible_to(_user(self.request)).select_related("team").order_by("name")
