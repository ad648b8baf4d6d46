"""Survey results over the API: the same figures as the managers' report, and its answers.

Like the report page, everything here is for managers (and admins), on the surveys of the
queues they may see; agents and customers get 403.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from helpdesk.api import CreatedCursorPagination, PeriodSerializer, error_responses
from surveys import selectors
from surveys.models import Reason, Survey, SurveyCredit


class CsatRowSerializer(serializers.Serializer[object]):
    label = serializers.CharField()  # type: ignore[assignment] # the stubs reserve "label"
    sent = serializers.IntegerField()
    answered = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True)
    response_rate = serializers.FloatField(allow_null=True)
    understood_avg = serializers.FloatField(allow_null=True)


class ReasonRowSerializer(serializers.Serializer[object]):
    reason = serializers.ChoiceField(choices=Reason.choices)
    label = serializers.CharField()  # type: ignore[assignment] # the stubs reserve "label"
    count = serializers.IntegerField(
        source="ratings", help_text="Ratings of 1-2 that gave this reason."
    )


class SummarySerializer(serializers.Serializer[object]):
    start = serializers.DateField()
    end = serializers.DateField()
    overall = CsatRowSerializer()
    by_agent = CsatRowSerializer(many=True)
    by_team = CsatRowSerializer(many=True)
    by_queue = CsatRowSerializer(many=True)
    by_week = CsatRowSerializer(many=True)
    reasons = ReasonRowSerializer(
        many=True, help_text="Why customers rated 1-2, as on the report page; every reason."
    )


def _manager(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
    if not user.is_manager:
        raise exceptions.PermissionDenied("Survey results are for managers.")
    return user


class SurveySummaryApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("start", date, description="Default: 8 weeks before the end."),
            OpenApiParameter("end", date, description="Default: today."),
        ],
        responses={200: SummarySerializer, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        user = _manager(request)
        params = PeriodSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end = params.validated_data["start"], params.validated_data["end"]
        surveys = selectors.in_period(selectors.surveys_visible_to(user), start, end)
        data = {"start": start, "end": end, **selectors.summary(surveys)}
        return Response(SummarySerializer(data).data)


class CreditedAgentSerializer(serializers.Serializer[SurveyCredit]):
    id = serializers.IntegerField(source="agent_id")
    name = serializers.CharField(source="agent.display_name")


class SurveyOutputSerializer(serializers.Serializer[Survey]):
    id = serializers.IntegerField()
    ticket = serializers.IntegerField(source="ticket_id")
    rating = serializers.IntegerField(help_text="1-5.")
    understood = serializers.IntegerField(allow_null=True, help_text='"Felt understood", 1-5.')
    reason = serializers.ChoiceField(
        choices=[("", ""), *Reason.choices], help_text="Asked of low ratings; may be empty."
    )
    comment = serializers.CharField()
    follow_up_opened = serializers.BooleanField()
    sent_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField()
    credited_agents = CreditedAgentSerializer(
        source="credits", many=True, help_text="The agents who replied publicly on the ticket."
    )


class AnsweredCursorPagination(CreatedCursorPagination):
    ordering = ("-answered_at", "-id")  # type: ignore[assignment]  # DRF takes str or tuple


@extend_schema_view(
    get=extend_schema(
        responses={200: SurveyOutputSerializer(many=True), **error_responses(403, 404)},
        description="Answered surveys of the queues you manage, latest answer first.",
    )
)
class SurveyListApi(generics.ListAPIView[Survey]):
    serializer_class = SurveyOutputSerializer
    pagination_class = AnsweredCursorPagination
    queryset = Survey.objects.none()  # for the schema; get_queryset keeps to the caller's

    def get_queryset(self) -> QuerySet[Survey]:
        user = _manager(self.request)
        return selectors.answered_surveys(selectors.surveys_visible_to(user))
