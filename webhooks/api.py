"""Webhook subscriptions over the API (admins only): list, create, delete, deliveries."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, User
from helpdesk.api import error_responses
from webhooks.models import EVENT_CHOICES, Webhook, WebhookDelivery
from webhooks.services import webhook_create


class WebhookOutputSerializer(serializers.ModelSerializer[Webhook]):
    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active", "allow_private_network", "created_at"]


class WebhookCreatedSerializer(WebhookOutputSerializer):
    secret = serializers.CharField(help_text="Shown once: verify X-Attune-Signature with it.")

    class Meta(WebhookOutputSerializer.Meta):
        fields = [*WebhookOutputSerializer.Meta.fields, "secret"]


class WebhookInputSerializer(serializers.Serializer[object]):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES))
    allow_private_network = serializers.BooleanField(default=False)


class DeliveryOutputSerializer(serializers.ModelSerializer[WebhookDelivery]):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "name", "state", "attempts", "response_status", "error", "created_at"]


def _admin(request: Request) -> User:
    user = request.user
    if not isinstance(user, User) or user.role != Role.ADMIN:
        raise exceptions.PermissionDenied("Only admins manage webhooks.")
    return user


class WebhookListCreateApi(APIView):
    @extend_schema(responses={200: WebhookOutputSerializer(many=True), **error_responses(403)})
    def get(self, request: Request) -> Response:
        _admin(request)
        hooks = Webhook.objects.order_by("-created_at")[:200]
        return Response(WebhookOutputSerializer(hooks, many=True).data)

    @extend_schema(
        request=WebhookInputSerializer,
        responses={201: WebhookCreatedSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        user = _admin(request)
        data = WebhookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hook = webhook_create(user=user, **data.validated_data)
        body = {**WebhookOutputSerializer(hook).data, "secret": hook.secret}
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookDetailApi(APIView):
    @extend_schema(
        operation_id="webhooks_deliveries_list",
        responses={200: DeliveryOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, webhook_id: int) -> Response:
        _admin(request)
        if not Webhook.objects.filter(pk=webhook_id).exists():
            raise exceptions.NotFound()
        deliveries = WebhookDelivery.objects.filter(webhook_id=webhook_id).order_by("-pk")[:100]
        return Response(DeliveryOutputSerializer(deliveries, many=True).data)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def delete(self, request: Request, webhook_id: int) -> Response:
        _admin(request)
        deleted, _ = Webhook.objects.filter(pk=webhook_id).delete()
        if not deleted:
            raise exceptions.NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)
