"""The rest of "My empathy" over the API: the team's exemplary replies and one's reflections.

The same selectors and service as the page (`/empathy/me/`): the library lists only
replies on tickets the caller may open, a reflection is written only on a ticket the page
would prompt for, and reflections are private: each agent reads only their own.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from empathy.models import Reflection, Review
from empathy.selectors import exemplary_reviews, reflection_prompts
from empathy.services import reflection_save
from helpdesk.api import error_responses
from tickets.access import is_staff_user


def _staff(request: Request) -> User:
    user = request.user
    # As "My empathy": for the people who write replies.
    if not isinstance(user, User) or not is_staff_user(user):
        raise exceptions.PermissionDenied("Empathy coaching is for support staff.")
    return user


class LibraryTicketSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    subject = serializers.CharField()


class LibraryReplySerializer(serializers.Serializer[object]):
    id = serializers.IntegerField()
    body = serializers.CharField()


class ExemplaryOutputSerializer(serializers.Serializer[Review]):
    id = serializers.IntegerField(help_text="The review that marked the reply.")
    ticket = LibraryTicketSerializer(source="score.ticket")
    reply = LibraryReplySerializer(source="score.message")
    agent = serializers.CharField(source="score.agent.display_name", help_text="Who wrote it.")
    chosen_by = serializers.CharField(source="reviewer.display_name")
    why = serializers.CharField(source="feedback", help_text="The manager's words; may be empty.")
    overall = serializers.IntegerField(source="score.overall")
    created_at = serializers.DateTimeField(help_text="When it was marked.")


@extend_schema_view(
    get=extend_schema(
        responses={200: ExemplaryOutputSerializer(many=True), **error_responses(403, 404)},
        description="Replies managers marked exemplary, latest first, on tickets you may open.",
    )
)
class ExemplaryListApi(generics.ListAPIView[Review]):
    serializer_class = ExemplaryOutputSerializer
    queryset = Review.objects.none()  # for the schema; get_queryset keeps to the caller's

    def get_queryset(self) -> QuerySet[Review]:
        return exemplary_reviews(viewer=_staff(self.request)).select_related("score__ticket")


class ReflectionOutputSerializer(serializers.Serializer[Reflection]):
    id = serializers.IntegerField()
    ticket = LibraryTicketSerializer()
    went_well = serializers.CharField()
    do_differently = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReflectionInputSerializer(serializers.Serializer[object]):
    ticket = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="A challenging ticket you answered, resolved in the last 14 days, "
        "not yet reflected on.",
    )
    went_well = serializers.CharField(max_length=2000, allow_blank=True, default="")
    do_differently = serializers.CharField(max_length=2000, allow_blank=True, default="")


@extend_schema_view(
    get=extend_schema(
        responses={200: ReflectionOutputSerializer(many=True), **error_responses(403, 404)},
        description="Your private reflections, newest first. Nobody else reads them.",
    )
)
class ReflectionListCreateApi(generics.ListAPIView[Reflection]):
    serializer_class = ReflectionOutputSerializer
    queryset = Reflection.objects.none()  # for the schema; get_queryset keeps to the caller's

    def get_queryset(self) -> QuerySet[Reflection]:
        return Reflection.objects.filter(agent=_staff(self.request)).select_related("ticket")

    @extend_schema(
        request=ReflectionInputSerializer,
        responses={201: ReflectionOutputSerializer, **error_responses(400, 403, 404)},
        description=(
            'A note to self after a challenging ticket, on one the "My empathy" page '
            "prompts for; any other ticket answers 404."
        ),
    )
    def post(self, request: Request) -> Response:
        agent = _staff(request)
        data = ReflectionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        # The page's rule, not a weaker one: only tickets it would prompt for.
        ticket = next((t for t in reflection_prompts(agent) if t.pk == values["ticket"]), None)
        if ticket is None:
            raise exceptions.NotFound("Nothing to reflect on here.")
        reflection = reflection_save(
            agent=agent,
            ticket=ticket,
            went_well=values["went_well"],
            do_differently=values["do_differently"],
        )
        return Response(ReflectionOutputSerializer(reflection).data, status=status.HTTP_201_CREATED)
