"""Survey results over the API: the same figures as the managers' report."""

from __future__ import annotations

from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from helpdesk.api import PeriodSerializer, error_responses
from surveys import selectors


class CsatRowSerializer(serializers.Serializer[object]):
    label = serializers.CharField()  # type: ignore[assignment] # the stubs reserve "label"
    sent = serializers.IntegerField()
    answered = serializers.IntegerField()
    csat = serializers.FloatField(allow_null=True)
    response_rate = serializers.FloatField(allow_null=True)
    understood_avg = serializers.FloatField(allow_null=True)


class SummarySerializer(serializers.Serializer[object]):
    start = serializers.DateField()
    end = serializers.DateField()
    overall = CsatRowSerializer()
    by_agent = CsatRowSerializer(many=True)
    by_team = CsatRowSerializer(many=True)
    by_queue = CsatRowSerializer(many=True)
    by_week = CsatRowSerializer(many=True)


class SurveySummaryApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("start", date, description="Default: 8 weeks before the end."),
            OpenApiParameter("end", date, description="Default: today."),
        ],
        responses={200: SummarySerializer, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
        if not user.is_manager:
            raise exceptions.PermissionDenied("Survey results are for managers.")
        params = PeriodSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end = params.validated_data["start"], params.validated_data["end"]
        surveys = selectors.in_period(selectors.surveys_visible_to(user), start, end)
        data = {"start": start, "end": end, **selectors.summary(surveys)}
        return Response(SummarySerializer(data).data)
