"""A manager reads the replies of the agents they manage, but only on tickets they may open.

An agent of team X may also work queue Y. Their reply on a queue-Y ticket is ticket
content (the customer's words, the subject); manager X, who cannot open that ticket,
must not read it through the empathy review page, the dashboard or its CSV export.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from empathy.models import ReplyScore
from empathy.services import reply_score
from surveys.models import SurveyCredit
from surveys.services import low_rating_alert_send
from tests.security.conftest import B_SUBJECT, World
from tests.security.requests import body_of
from tickets.services import ticket_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_score(world: World) -> ReplyScore:
    agent_x = world.user("agent_x")
    world.queue_y.agents.add(agent_x)
    reply = ticket_reply(ticket=world.ticket_b, author=agent_x, body="Agent X answers bravo.")
    score = reply_score(message=reply)
    assert score is not None
    world.queue_y.agents.remove(agent_x)
    return score


def test_a_manager_cannot_review_a_reply_on_a_ticket_they_cannot_open(
    world: World, foreign_score: ReplyScore, role_client: Callable[..., Client]
) -> None:
    client = role_client("mgr_x")
    assert client.get(reverse("workspace:detail", args=[world.ticket_b.pk])).status_code == 404
    response = client.get(reverse("empathy:review", args=[foreign_score.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("route", ["empathy:dashboard", "empathy:export"])
def test_the_dashboard_and_export_show_no_subject_of_a_hidden_ticket(
    route: str, world: World, foreign_score: ReplyScore, role_client: Callable[..., Client]
) -> None:
    response = role_client("mgr_x").get(reverse(route))
    assert response.status_code == 200
    assert B_SUBJECT not in body_of(response)


def test_the_scores_api_lists_no_score_on_a_hidden_ticket(
    world: World, foreign_score: ReplyScore, role_client: Callable[..., Client]
) -> None:
    response = role_client("mgr_x").get(reverse("api-v1:empathy-scores"))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert foreign_score.pk not in ids
    assert world.score_x.pk in ids


def test_a_low_rating_alert_goes_only_to_people_who_may_open_the_ticket(world: World) -> None:
    agent_x = world.user("agent_x")
    world.queue_y.agents.add(agent_x)  # agent X also works queue Y, and answered ticket B
    SurveyCredit.objects.create(survey=world.survey_b, agent=agent_x)
    mail.outbox.clear()
    low_rating_alert_send(survey=world.survey_b)
    recipients = {address for sent in mail.outbox for address in sent.to}
    assert agent_x.email in recipients
    assert world.user("agent_y").email in recipients
    assert world.user("mgr_x").email not in recipients  # manages agent X, cannot open ticket B


def test_an_agent_who_left_a_queue_is_not_prompted_to_reflect_on_its_tickets(
    world: World, role_client: Callable[..., Client]
) -> None:
    agent_x = world.user("agent_x")
    client = role_client("agent_x")
    prompt = reverse("empathy:reflect", args=[world.ticket_a.pk])
    assert prompt in body_of(client.get(reverse("empathy:mine")))  # ticket A: answered by X
    world.queue_x.agents.remove(agent_x)
    # (Feedback on X's own reply stays: it is X's own work.)
    assert prompt not in body_of(client.get(reverse("empathy:mine")))
    reflect = client.post(reverse("empathy:reflect", args=[world.ticket_a.pk]), {"went_well": "x"})
    assert reflect.status_code == 404


def test_a_manager_cannot_review_a_hidden_ticket_reply_over_the_api(
    world: World, foreign_score: ReplyScore, role_client: Callable[..., Client]
) -> None:
    response = role_client("mgr_x").put(
        reverse("api-v1:empathy-review", args=[foreign_score.pk]),
        {"feedback": "Seen from afar."},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not foreign_score.reviews.exists()
