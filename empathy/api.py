"""Empathy over the API: score a draft (live coaching) and read stored scores."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts.models import Role, User
from empathy.coaching import CoachingThrottled, coach_draft
from empathy.models import ReplyScore
from empathy.selectors import agents_managed_by
from helpdesk.api import CreatedCursorPagination, error_responses
from tickets.access import is_staff_user, tickets_visible_to


class LevelSerializer(serializers.Serializer[object]):
    level = serializers.IntegerField(min_value=0, max_value=2)
    confidence = serializers.FloatField()


class SpanSerializer(serializers.Serializer[object]):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    component = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment] # the stubs reserve "label"
    polarity = serializers.CharField()
    text = serializers.CharField()


class SuggestionSerializer(serializers.Serializer[object]):
    component = serializers.CharField()
    message = serializers.CharField()
    example = serializers.CharField()


class AnalysisSerializer(serializers.Serializer[object]):
    version = serializers.CharField()
    overall = serializers.IntegerField()
    listening = LevelSerializer()
    validation = LevelSerializer()
    reflection = LevelSerializer()
    tone = LevelSerializer()
    opportunity = serializers.CharField()
    spans = SpanSerializer(many=True)
    suggestions = SuggestionSerializer(many=True)


class CoachInputSerializer(serializers.Serializer[object]):
    draft = serializers.CharField(max_length=20_000, allow_blank=True, trim_whitespace=False)
    ticket = serializers.IntegerField(
        required=False, help_text="Use the ticket's latest customer message as context."
    )
    customer_message = serializers.CharField(
        required=False, max_length=20_000, allow_blank=True, help_text="Or give it directly."
    )


class CoachApi(APIView):
    # coach_draft applies its own in-process rate limit: the editor calls this on every
    # pause in typing, and the default throttles cost two Redis round-trips a request.
    throttle_classes: list[type[BaseThrottle]] = []

    @extend_schema(
        request=CoachInputSerializer,
        responses={200: AnalysisSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
        if not is_staff_user(user):
            # Before validation, so a customer learns nothing about the input shape.
            raise exceptions.PermissionDenied("Coaching is for support staff.")
        data = CoachInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            result = coach_draft(
                user=user,
                draft=data.validated_data["draft"],
                ticket_id=data.validated_data.get("ticket"),
                customer_message=data.validated_data.get("customer_message"),
            )
        except CoachingThrottled as exc:
            raise exceptions.Throttled(wait=exc.wait) from exc
        return Response(result.to_dict())


class ScoreOutputSerializer(serializers.ModelSerializer[ReplyScore]):
    class Meta:
        model = ReplyScore
        fields = [
            "id",
            "message",
            "ticket",
            "agent",
            "version",
            "replied_at",
            "overall",
            "listening",
            "validation",
            "reflection",
            "tone",
            "opportunity",
            "spans",
            "suggestions",
        ]


class RepliedCursorPagination(CreatedCursorPagination):
    ordering = "-replied_at"


@extend_schema_view(
    get=extend_schema(
        responses={200: ScoreOutputSerializer(many=True), **error_responses(403, 404)}
    )
)
class ScoreListApi(generics.ListAPIView[ReplyScore]):
    """Agents see their own scores; managers those of their teams' agents."""

    serializer_class = ScoreOutputSerializer
    queryset = ReplyScore.objects.none()  # for the schema; get_queryset applies access rules

    def get_queryset(self) -> QuerySet[ReplyScore]:
        user = self.request.user
        assert isinstance(user, User)  # noqa: S101
        if user.role == Role.CUSTOMER:
            raise exceptions.PermissionDenied("Scores are for support staff.")
        if user.role in (Role.MANAGER, Role.ADMIN):
            agents = agents_managed_by(user) if user.role == Role.MANAGER else User.objects.all()
            # Spans quote the reply: only scores on tickets the manager may open.
            return ReplyScore.objects.filter(
                agent__in=agents, ticket__in=tickets_visible_to(user).values("pk")
            )
        return ReplyScore.objects.filter(agent=user)

    pagination_class = RepliedCursorPagination
