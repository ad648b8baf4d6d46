"""Macros (canned responses) over the API, for staff, through the same services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from helpdesk.api import error_responses
from tickets.access import is_staff_user, queues_visible_to
from tickets.models import Macro
from tickets.services.macros import macro_delete, macro_save, macros_for


class MacroOutputSerializer(serializers.ModelSerializer[Macro]):
    queue = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Macro
        fields = ["id", "name", "body", "queue", "updated_at"]


class MacroInputSerializer(serializers.Serializer[object]):
    name = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=10_000)
    queue = serializers.SlugField(required=False, allow_null=True, default=None)


def _staff(request: Request) -> User:
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user):
        raise exceptions.PermissionDenied("Macros are for support staff.")
    return user


class MacroListCreateApi(APIView):
    @extend_schema(responses={200: MacroOutputSerializer(many=True), **error_responses(403)})
    def get(self, request: Request) -> Response:
        macros = macros_for(user=_staff(request)).select_related("queue")[:500]
        return Response(MacroOutputSerializer(macros, many=True).data)

    @extend_schema(
        request=MacroInputSerializer,
        responses={201: MacroOutputSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        user = _staff(request)
        data = MacroInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        queue = None
        if data.validated_data["queue"]:
            queue = queues_visible_to(user).filter(slug=data.validated_data["queue"]).first()
            if queue is None:
                raise exceptions.ValidationError({"queue": ["No such queue."]})
        macro = macro_save(
            user=user,
            name=data.validated_data["name"],
            body=data.validated_data["body"],
            queue=queue,
        )
        return Response(MacroOutputSerializer(macro).data, status=status.HTTP_201_CREATED)


class MacroDetailApi(APIView):
    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def delete(self, request: Request, macro_id: int) -> Response:
        macro = macros_for(user=_staff(request)).filter(pk=macro_id).first()
        if macro is None:
            raise exceptions.NotFound()
        macro_delete(macro=macro)
        return Response(status=status.HTTP_204_NO_CONTENT)
