"""Managers' empathy figures and reviews over the API: the same selectors and services as
the dashboard and the review page."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from empathy.csat import csat_vs_empathy
from empathy.models import ReplyScore, Review
from empathy.selectors import agents_managed_by, shown_team
from empathy.services import review_save
from empathy.team_calibration import presented_figures
from helpdesk.api import PeriodSerializer, error_responses
from tickets.access import can_manage_agent, teams_managed_by, tickets_visible_to


class AgentSummarySerializer(serializers.Serializer[object]):
    agent_id = serializers.IntegerField()
    name = serializers.CharField()
    replies = serializers.IntegerField()
    overall = serializers.FloatField()
    listening = serializers.FloatField()
    validation = serializers.FloatField()
    reflection = serializers.FloatField()
    tone = serializers.FloatField()
    challenging = serializers.IntegerField()


class WeekSerializer(serializers.Serializer[object]):
    week = serializers.DateField()
    replies = serializers.IntegerField()
    overall = serializers.FloatField()
    listening_share = serializers.FloatField()
    validation_share = serializers.FloatField()
    reflection_share = serializers.FloatField()
    tone = serializers.FloatField(help_text="Average tone level of the week, 0 to 2.")


class AgentCsatSerializer(serializers.Serializer[object]):
    agent_id = serializers.IntegerField()
    name = serializers.CharField()
    empathy = serializers.FloatField()
    surveys = serializers.IntegerField(help_text="Answered surveys credited to the agent.")
    satisfied = serializers.IntegerField(help_text="Of which rated 4 or 5.")
    csat = serializers.FloatField(allow_null=True, help_text="Percent of ratings 4-5.")
    understood = serializers.FloatField(allow_null=True, help_text='Mean "felt understood", 1-5.')
    counted = serializers.BooleanField(help_text="Enough surveys to enter the correlation.")


class CorrelationSerializer(serializers.Serializer[object]):
    r = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField()


class AgentCorrelationSerializer(serializers.Serializer[object]):
    pearson = CorrelationSerializer()
    spearman = CorrelationSerializer()
    interval = serializers.ListField(
        child=serializers.FloatField(), allow_null=True, help_text="95% interval for r."
    )
    reading = serializers.CharField()


class ReplyCorrelationSerializer(serializers.Serializer[object]):
    correlation = CorrelationSerializer()
    understood_correlation = CorrelationSerializer()


class CsatVsEmpathySerializer(serializers.Serializer[object]):
    agents = AgentCsatSerializer(many=True)
    by_agent = AgentCorrelationSerializer()
    by_reply = ReplyCorrelationSerializer()


class DashboardSerializer(serializers.Serializer[object]):
    start = serializers.DateField()
    end = serializers.DateField()
    team = serializers.CharField(help_text="The team shown; empty for all of the manager's.")
    calibrated = serializers.BooleanField(
        help_text="Component levels use the shown team's calibrated thresholds."
    )
    agents = AgentSummarySerializer(many=True)
    weeks = WeekSerializer(many=True)
    csat = CsatVsEmpathySerializer()


def _manager(request: Request) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_manager:
        raise exceptions.PermissionDenied("Empathy figures are for managers.")
    return user


class EmpathyDashboardApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=False),
            OpenApiParameter("end", str, required=False),
            OpenApiParameter("team", str, required=False, description="One managed team's slug"),
        ],
        responses={200: DashboardSerializer, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        user = _manager(request)
        params = PeriodSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end = params.validated_data["start"], params.validated_data["end"]
        teams = list(teams_managed_by(user).order_by("name"))
        team = shown_team(teams, request.query_params.get("team", ""))
        agents = agents_managed_by(user, team_slug=team)
        figures = presented_figures(
            teams=teams, team_slug=team, agents=agents, start=start, end=end
        )
        data = {
            "start": start,
            "end": end,
            "team": team,
            "calibrated": figures.calibration is not None,
            "agents": figures.summaries,
            "weeks": figures.trend,
            "csat": csat_vs_empathy(
                viewer=user, agents=agents, start=start, end=end, summaries=figures.summaries
            ),
        }
        return Response(DashboardSerializer(data).data)


class ReviewInputSerializer(serializers.Serializer[object]):
    listening = serializers.IntegerField(min_value=0, max_value=2, required=False, allow_null=True)
    validation = serializers.IntegerField(min_value=0, max_value=2, required=False, allow_null=True)
    reflection = serializers.IntegerField(min_value=0, max_value=2, required=False, allow_null=True)
    tone = serializers.IntegerField(min_value=0, max_value=2, required=False, allow_null=True)
    feedback = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    exemplary = serializers.BooleanField(default=False)


class ReviewOutputSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    score = serializers.IntegerField(source="score_id")
    listening = serializers.IntegerField(allow_null=True)
    validation = serializers.IntegerField(allow_null=True)
    reflection = serializers.IntegerField(allow_null=True)
    tone = serializers.IntegerField(allow_null=True)
    feedback = serializers.CharField()
    exemplary = serializers.BooleanField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class ReviewApi(APIView):
    """The caller's own review of one scored reply: PUT writes it, GET reads it back."""

    def _score(self, user: User, score_id: int) -> ReplyScore:
        score = ReplyScore.objects.select_related("agent").filter(pk=score_id).first()
        if score is None or not can_manage_agent(user, score.agent):
            raise exceptions.NotFound()
        # As on the review page: managing the agent is not enough, the ticket must be theirs.
        if not tickets_visible_to(user).filter(pk=score.ticket_id).exists():
            raise exceptions.NotFound()
        return score

    @extend_schema(
        responses={200: ReviewOutputSerializer, **error_responses(403, 404)},
        description="Your review of this reply, as the review page shows it; 404 until you "
        "wrote one, or if the reply is not one you may review.",
    )
    def get(self, request: Request, score_id: int) -> Response:
        user = _manager(request)
        score = self._score(user, score_id)
        review = Review.objects.filter(score=score, reviewer=user).first()
        if review is None:
            raise exceptions.NotFound()
        return Response(ReviewOutputSerializer(review).data)

    @extend_schema(
        request=ReviewInputSerializer,
        responses={200: ReviewOutputSerializer, **error_responses(400, 403, 404)},
    )
    def put(self, request: Request, score_id: int) -> Response:
        user = _manager(request)
        score = self._score(user, score_id)
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        review = review_save(
            score=score,
            reviewer=user,
            levels={k: values.get(k) for k in ("listening", "validation", "reflection", "tone")},
            feedback=values["feedback"],
            exemplary=values["exemplary"],
        )
        return Response(ReviewOutputSerializer(review).data, status=status.HTTP_200_OK)
