"""Customers over the API: staff see the customers of the tickets they may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers

from accounts.models import User
from helpdesk.api import error_responses
from tickets.access import is_staff_user, tickets_visible_to
from tickets.models import OPEN_STATUSES, Customer


class CustomerOutputSerializer(serializers.ModelSerializer[Customer]):
    name = serializers.CharField(source="user.display_name")
    email = serializers.EmailField(source="user.email")
    organisation = serializers.CharField(source="organisation.name", allow_null=True)
    tier = serializers.CharField(source="effective_tier")
    open_tickets = serializers.IntegerField(source="open_count")
    tickets = serializers.IntegerField(source="ticket_count")

    class Meta:
        model = Customer
        fields = [
            "id", "name", "email", "organisation", "tier", "timezone",
            "open_tickets", "tickets", "created_at",
        ]  # fmt: skip


def _customers(user: object) -> QuerySet[Customer]:
    if not isinstance(user, User) or not is_staff_user(user):
        raise exceptions.PermissionDenied("Customer records are for support staff.")
    visible = tickets_visible_to(user)
    return (
        Customer.objects.filter(pk__in=visible.values("requester_id"))
        .select_related("user", "organisation")
        .annotate(
            ticket_count=Count("tickets", filter=Q(tickets__in=visible)),
            open_count=Count(
                "tickets", filter=Q(tickets__in=visible, tickets__status__in=OPEN_STATUSES)
            ),
        )
    )


@extend_schema_view(
    get=extend_schema(
        responses={200: CustomerOutputSerializer(many=True), **error_responses(403, 404)}
    )
)
class CustomerListApi(generics.ListAPIView[Customer]):
    serializer_class = CustomerOutputSerializer
    queryset = Customer.objects.none()  # for the schema; get_queryset applies access rules

    def get_queryset(self) -> QuerySet[Customer]:
        customers = _customers(self.request.user)
        email = self.request.query_params.get("email", "").strip()
        return customers.filter(user__email__iexact=email) if email else customers


@extend_schema_view(
    get=extend_schema(responses={200: CustomerOutputSerializer, **error_responses(403, 404)})
)
class CustomerDetailApi(generics.RetrieveAPIView[Customer]):
    serializer_class = CustomerOutputSerializer
    queryset = Customer.objects.none()
    lookup_url_kwarg = "customer_id"

    def get_queryset(self) -> QuerySet[Customer]:
        return _customers(self.request.user)
