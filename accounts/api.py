"""Personal API tokens: list (paginated), create (the key is shown once) and revoke."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiToken, User
from accounts.services import api_token_create, api_token_revoke
from helpdesk.api import error_responses


class TokenOutputSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]


class TokenCreatedSerializer(TokenOutputSerializer):
    key = serializers.CharField(help_text="Shown once; store it now.")

    class Meta(TokenOutputSerializer.Meta):
        fields = [*TokenOutputSerializer.Meta.fields, "key"]


class TokenInputSerializer(serializers.Serializer[object]):
    name = serializers.CharField(max_length=100)


def _tokens(request: Request) -> QuerySet[ApiToken]:
    assert isinstance(request.user, User)  # noqa: S101 - IsAuthenticated ran first
    return ApiToken.objects.filter(user=request.user)


@extend_schema_view(
    get=extend_schema(responses={200: TokenOutputSerializer(many=True), **error_responses(404)})
)
class TokenListCreateApi(generics.ListAPIView[ApiToken]):
    """Newest first, revoked ones included, by cursor (the default pagination)."""

    serializer_class = TokenOutputSerializer
    queryset = ApiToken.objects.none()  # for the schema; get_queryset keeps to the caller's

    def get_queryset(self) -> QuerySet[ApiToken]:
        return _tokens(self.request)

    @extend_schema(
        request=TokenInputSerializer,
        responses={201: TokenCreatedSerializer, **error_responses(400)},
        description="At most 100 unrevoked tokens per user: beyond that, 400.",
    )
    def post(self, request: Request) -> Response:
        assert isinstance(request.user, User)  # noqa: S101
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = api_token_create(user=request.user, name=data.validated_data["name"])
        body = {**TokenOutputSerializer(token).data, "key": key}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    @extend_schema(responses={204: None, **error_responses(404)})
    def delete(self, request: Request, token_id: int) -> Response:
        token = _tokens(request).filter(pk=token_id).first()
        if token is None:
            raise exceptions.NotFound()
        api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
