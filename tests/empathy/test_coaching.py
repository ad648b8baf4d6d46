"""Live coaching: its query budget, its rate limit and the one service both endpoints call."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.authentication import forget_user_tokens
from accounts.models import ApiToken, Team, User
from accounts.services import api_token_create
from empathy.analyzer import VERSION
from empathy.coaching import (
    CoachingThrottled,
    TokenBuckets,
    coach_draft,
    coach_limits_reset,
)
from empathy.models import Calibration
from tickets.models import Customer, Ticket
from tickets.services import ticket_customer_reply, ticket_reply

pytestmark = pytest.mark.django_db

COACH = reverse("empathy:coach")
API_COACH = "/api/v1/empathy/coach/"
DRAFT = "I'm sorry the export keeps stopping; could you tell me how many rows the file has?"


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    coach_limits_reset()
    yield
    coach_limits_reset()


def bearer_client(user: User) -> Client:
    """A client presenting a recently used API token, not yet in this process's token cache."""
    token, key = api_token_create(user=user, name="coach-test")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    forget_user_tokens(user.pk)
    return Client(headers={"authorization": f"Bearer {key}"})


# Query budget --------------------------------------------------------------------------------


def test_it_coaches_in_the_editor_in_three_queries(
    client_agent: Client, ticket: Ticket, django_assert_num_queries
) -> None:
    # Session, user, then the ticket's access check and latest customer message together.
    with django_assert_num_queries(3):
        response = client_agent.post(COACH, {"draft": DRAFT, "ticket": ticket.pk})

    assert response.status_code == 200


def test_it_coaches_over_the_api_in_two_queries_with_a_token(
    agent: User, ticket: Ticket, django_assert_num_queries
) -> None:
    client = bearer_client(agent)

    # The token (with its user), then the ticket and its latest customer message.
    with django_assert_num_queries(2):
        response = client.post(
            API_COACH, {"draft": DRAFT, "ticket": ticket.pk}, content_type="application/json"
        )

    assert response.status_code == 200


def test_it_coaches_over_the_api_in_three_queries_with_a_session(
    client_agent: Client, ticket: Ticket, django_assert_num_queries
) -> None:
    with django_assert_num_queries(3):
        response = client_agent.post(
            API_COACH, {"draft": DRAFT, "ticket": ticket.pk}, content_type="application/json"
        )

    assert response.status_code == 200


def test_it_keeps_to_its_queries_on_a_long_conversation(
    client_agent: Client,
    agent: User,
    customer: Customer,
    ticket: Ticket,
    django_assert_num_queries,
) -> None:
    for i in range(5):
        ticket_reply(ticket=ticket, author=agent, body=f"Reply {i}.")
        ticket_customer_reply(ticket=ticket, customer=customer, body=f"Still {i}.", channel="web")

    with django_assert_num_queries(3):
        response = client_agent.post(COACH, {"draft": DRAFT, "ticket": ticket.pk})

    assert response.status_code == 200


# Rate limit ----------------------------------------------------------------------------------


def test_it_answers_429_in_the_editor_past_the_coaching_rate(
    client_agent: Client, ticket: Ticket, settings
) -> None:
    settings.ATTUNE_COACH_RATE = 2
    statuses = [
        client_agent.post(COACH, {"draft": DRAFT, "ticket": ticket.pk}).status_code
        for _ in range(3)
    ]

    assert statuses == [200, 200, 429]


def test_it_tells_the_editor_when_to_retry(client_agent: Client, ticket: Ticket, settings) -> None:
    settings.ATTUNE_COACH_RATE = 1
    client_agent.post(COACH, {"draft": DRAFT, "ticket": ticket.pk})

    response = client_agent.post(COACH, {"draft": DRAFT, "ticket": ticket.pk})

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def test_it_answers_429_over_the_api_past_the_coaching_rate(
    agent: User, ticket: Ticket, settings
) -> None:
    settings.ATTUNE_COACH_RATE = 2
    client = bearer_client(agent)
    responses = [
        client.post(
            API_COACH, {"draft": DRAFT, "ticket": ticket.pk}, content_type="application/json"
        )
        for _ in range(3)
    ]

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[2].json()["error"]["code"] == "throttled"
    assert "Retry-After" in responses[2]


def test_it_counts_the_editor_and_the_api_together(
    client_agent: Client, ticket: Ticket, settings
) -> None:
    settings.ATTUNE_COACH_RATE = 2
    client_agent.post(COACH, {"draft": DRAFT, "ticket": ticket.pk})
    client_agent.post(API_COACH, {"draft": DRAFT}, content_type="application/json")

    response = client_agent.post(COACH, {"draft": DRAFT, "ticket": ticket.pk})

    assert response.status_code == 429


def test_it_limits_each_user_on_their_own(
    client_for: Callable[[User], Client],
    agent: User,
    make_user: Callable[..., User],
    queue,
    ticket: Ticket,
    settings,
) -> None:
    settings.ATTUNE_COACH_RATE = 1
    colleague = make_user("agent", first_name="Sam")
    queue.agents.add(colleague)
    client_for(agent).post(COACH, {"draft": DRAFT, "ticket": ticket.pk})

    response = client_for(colleague).post(COACH, {"draft": DRAFT, "ticket": ticket.pk})

    assert response.status_code == 200


def test_it_refills_a_bucket_at_the_rate() -> None:
    now = [100.0]
    buckets = TokenBuckets(clock=lambda: now[0])
    assert buckets.take(1, per_minute=60) == 0
    for _ in range(59):
        buckets.take(1, per_minute=60)

    assert buckets.take(1, per_minute=60) == pytest.approx(1.0)  # one token a second

    now[0] += 1.0
    assert buckets.take(1, per_minute=60) == 0
    assert buckets.take(1, per_minute=60) > 0


def test_it_forgets_the_least_recent_user_beyond_its_size() -> None:
    buckets = TokenBuckets(max_users=2, clock=lambda: 0.0)
    buckets.take(1, per_minute=1)
    buckets.take(2, per_minute=1)
    buckets.take(1, per_minute=1)  # refused, and user 1 is now the most recent

    buckets.take(3, per_minute=1)  # evicts user 2

    assert buckets.take(1, per_minute=1) > 0  # still remembered, still empty
    assert buckets.take(2, per_minute=1) == 0  # forgotten: a full bucket again


# The service ---------------------------------------------------------------------------------


def test_it_coaches_against_the_latest_customer_message(
    agent: User, customer: Customer, ticket: Ticket
) -> None:
    ticket_customer_reply(
        ticket=ticket,
        customer=customer,
        body="Now my invoice shows a double charge for March and I am annoyed.",
        channel="web",
    )

    result = coach_draft(user=agent, draft="We fixed it.", ticket_id=ticket.pk)

    examples = " ".join(s.example for s in result.suggestions)
    assert "invoice" in examples
    assert "export" not in examples


def test_it_ignores_a_given_customer_message_when_a_ticket_is_named(
    agent: User, ticket: Ticket
) -> None:
    with_ticket = coach_draft(
        user=agent,
        draft="We fixed it.",
        ticket_id=ticket.pk,
        customer_message="My invoice shows a double charge.",
    )

    assert "invoice" not in " ".join(s.example for s in with_ticket.suggestions)


def test_it_coaches_without_context_when_the_ticket_has_no_customer_message(
    agent: User, ticket: Ticket
) -> None:
    ticket.messages.all().delete()

    result = coach_draft(user=agent, draft="We fixed it.", ticket_id=ticket.pk)

    assert result.opportunity == coach_draft(user=agent, draft="We fixed it.").opportunity


def test_it_hides_a_ticket_the_user_may_not_open(other_agent: User, ticket: Ticket) -> None:
    with pytest.raises(Http404):
        coach_draft(user=other_agent, draft=DRAFT, ticket_id=ticket.pk)


def test_it_refuses_a_customer_before_reading_anything(
    customer: Customer, ticket: Ticket, django_assert_num_queries
) -> None:
    with django_assert_num_queries(0), pytest.raises(PermissionDenied):
        coach_draft(user=customer.user, draft=DRAFT, ticket_id=ticket.pk)


def test_it_reads_nothing_once_the_user_is_throttled(
    agent: User, ticket: Ticket, settings, django_assert_num_queries
) -> None:
    settings.ATTUNE_COACH_RATE = 1
    coach_draft(user=agent, draft=DRAFT, ticket_id=ticket.pk)

    with django_assert_num_queries(0), pytest.raises(CoachingThrottled):
        coach_draft(user=agent, draft=DRAFT, ticket_id=ticket.pk)


# Team calibration ----------------------------------------------------------------------------

VALIDATING = "I understand how frustrating this must be. We fixed the export."
# Evidence never reaches 3 (see empathy.calibration.evidence): every validation reads "none".
STRICT = {"validation": {"weak": 3.0, "strong": 3.0}}


def test_it_presents_levels_on_the_thresholds_of_the_users_team(
    agent: User, team: Team, ticket: Ticket, django_assert_num_queries
) -> None:
    own = coach_draft(user=agent, draft=VALIDATING, ticket_id=ticket.pk)
    assert own.validation.level > 0
    Calibration.objects.create(team=team, version=VERSION, thresholds=STRICT)

    # Still one query: the thresholds come with the ticket and its customer message.
    with django_assert_num_queries(1):
        calibrated = coach_draft(user=agent, draft=VALIDATING, ticket_id=ticket.pk)

    assert calibrated.validation.level == 0
    assert calibrated.listening == own.listening  # a component without thresholds keeps its
    assert calibrated.overall == own.overall  # the overall score is the analyzer's


def test_it_calibrates_a_draft_without_a_ticket_too(agent: User, team: Team) -> None:
    Calibration.objects.create(team=team, version=VERSION, thresholds=STRICT)

    assert coach_draft(user=agent, draft=VALIDATING).validation.level == 0


def test_it_keeps_the_analyzers_levels_for_another_teams_calibration(
    agent: User, other_team: Team, ticket: Ticket
) -> None:
    Calibration.objects.create(team=other_team, version=VERSION, thresholds=STRICT)

    assert coach_draft(user=agent, draft=VALIDATING, ticket_id=ticket.pk).validation.level > 0
