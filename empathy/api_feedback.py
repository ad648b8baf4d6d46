"""An agent's side of manager feedback over the API: read it, acknowledge it, answer it.

The same selector and service as "My empathy" (`/empathy/me/`): an agent sees and acts on
feedback about their own replies only; anyone else's answers 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from empathy.models import Review
from empathy.selectors import feedback_received
from empathy.services import review_acknowledge
from helpdesk.api import error_responses
from tickets.access import is_staff_user


class FeedbackTicketSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    subject = serializers.CharField()


class FeedbackReplySerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    body = serializers.CharField()


class FeedbackOutputSerializer(serializers.Serializer[Review]):
    id = serializers.IntegerField()
    ticket = FeedbackTicketSerializer(source="score.ticket")
    reply = FeedbackReplySerializer(source="score.message", help_text="Your reply, reviewed.")
    reviewer = serializers.CharField(source="reviewer.display_name")
    feedback = serializers.CharField()
    exemplary = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(
        allow_null=True, help_text="Null until you acknowledge, and again when it is reworded."
    )
    agent_reply = serializers.CharField(help_text="Your answer to the manager; may be empty.")


class AcknowledgeInputSerializer(serializers.Serializer[object]):
    reply = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Your answer to the manager. Omitted: an earlier answer is kept.",
    )


def _agent(request: Request) -> User:
    user = request.user
    # Only people who write replies receive feedback on them, as on "My empathy".
    if not isinstance(user, User) or not is_staff_user(user):
        raise exceptions.PermissionDenied("Feedback is for support staff.")
    return user


@extend_schema_view(
    get=extend_schema(
        responses={200: FeedbackOutputSerializer(many=True), **error_responses(403, 404)}
    )
)
class FeedbackListApi(generics.ListAPIView[Review]):
    """Managers' written feedback on the caller's replies, newest first."""

    serializer_class = FeedbackOutputSerializer
    queryset = Review.objects.none()  # for the schema; get_queryset keeps to the caller's

    def get_queryset(self) -> QuerySet[Review]:
        return feedback_received(_agent(self.request))


class FeedbackAcknowledgeApi(APIView):
    @extend_schema(
        request=AcknowledgeInputSerializer,
        responses={200: FeedbackOutputSerializer, **error_responses(400, 403, 404)},
        description=(
            "Tells the manager you read the feedback, optionally with an answer. "
            "Sending it again updates the time, and the answer if one is given."
        ),
    )
    def post(self, request: Request, review_id: int) -> Response:
        agent = _agent(request)
        review = feedback_received(agent).filter(pk=review_id).first()
        if review is None:
            raise exceptions.NotFound()
        data = AcknowledgeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = data.validated_data.get("reply", review.agent_reply)
        review = review_acknowledge(review=review, agent=agent, reply=reply)
        return Response(FeedbackOutputSerializer(review).data)
