"""Survey results over the API: the summary's reason breakdown and the answers one by one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from surveys.models import Reason, Survey
from tickets.models import Customer, Queue

SUMMARY = "/api/v1/surveys/summary/"
SURVEYS = "/api/v1/surveys/"

MakeSurvey = Callable[..., Survey]


def test_the_summary_breaks_down_the_reasons_for_low_ratings_like_the_report(
    client_for: Callable[[User], Client], manager: User, agent: User, make_survey: MakeSurvey
) -> None:
    for rating, reason in [(1, Reason.AGENT), (2, Reason.AGENT), (1, Reason.TIME), (4, "policy")]:
        make_survey(agents=[agent], rating=rating, reason=reason)

    body = client_for(manager).get(SUMMARY).json()

    assert body["reasons"] == [
        {"reason": "agent", "label": "How the agent handled it", "count": 2},
        {"reason": "product", "label": "The product itself", "count": 0},
        {"reason": "policy", "label": "A policy", "count": 0},
        {"reason": "time", "label": "The time it took", "count": 1},
    ]


def test_a_manager_lists_the_answered_surveys_of_their_queues(
    client_for: Callable[[User], Client],
    manager: User,
    agent: User,
    other_agent: User,
    make_user: Callable[..., User],
    other_queue: Queue,
    other_customer: Customer,
    make_survey: MakeSurvey,
) -> None:
    colleague = make_user(Role.AGENT, first_name="Kim")
    answered = make_survey(
        agents=[agent, colleague], rating=2, understood=1, reason=Reason.TIME, subject="Slow"
    )
    Survey.objects.filter(pk=answered.pk).update(comment="Took a week.")
    make_survey(agents=[agent], rating=None)  # sent, never answered
    make_survey(agents=[other_agent], rating=5, queue=other_queue, requester=other_customer)

    response = client_for(manager).get(SURVEYS)

    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert row == {
        "id": answered.pk,
        "ticket": answered.ticket_id,
        "rating": 2,
        "understood": 1,
        "reason": "time",
        "comment": "Took a week.",
        "follow_up_opened": False,
        "sent_at": row["sent_at"],
        "answered_at": row["answered_at"],
        "credited_agents": [
            {"id": agent.pk, "name": agent.display_name},
            {"id": colleague.pk, "name": colleague.display_name},
        ],
    }


def test_an_admin_lists_every_answered_survey(
    client_for: Callable[[User], Client],
    admin_user: User,
    agent: User,
    other_agent: User,
    other_queue: Queue,
    other_customer: Customer,
    make_survey: MakeSurvey,
) -> None:
    ours = make_survey(agents=[agent], rating=4)
    theirs = make_survey(
        agents=[other_agent], rating=5, queue=other_queue, requester=other_customer
    )

    rows = client_for(admin_user).get(SURVEYS).json()["results"]

    assert {r["id"] for r in rows} == {ours.pk, theirs.pk}


@pytest.mark.parametrize("who", ["agent", "customer"])
def test_agents_and_customers_may_not_list_surveys_as_on_the_report_page(
    who: str, request: pytest.FixtureRequest, client_for: Callable[[User], Client]
) -> None:
    person = request.getfixturevalue(who)
    user = person.user if isinstance(person, Customer) else person

    response = client_for(user).get(SURVEYS)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_anonymous_callers_get_401(db: None) -> None:
    assert Client().get(SURVEYS).status_code == 401


def test_it_pages_latest_answer_first_by_cursor(
    client_for: Callable[[User], Client], manager: User, agent: User, make_survey: MakeSurvey
) -> None:
    now = timezone.now()
    made = [
        make_survey(agents=[agent], rating=3, sent_at=now - timedelta(days=n)) for n in range(5)
    ]
    client = client_for(manager)

    first = client.get(SURVEYS, {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    assert [r["id"] for r in first["results"] + second["results"]] == [s.pk for s in made]
    assert second["next"] is None


@pytest.mark.parametrize("count", [2, 20])
def test_it_lists_surveys_in_a_fixed_number_of_queries(
    count: int,
    client_for: Callable[[User], Client],
    manager: User,
    agent: User,
    make_user: Callable[..., User],
    make_survey: MakeSurvey,
    django_assert_num_queries: Any,
) -> None:
    colleague = make_user(Role.AGENT)
    for n in range(count):
        make_survey(agents=[agent, colleague][: 1 + n % 2], rating=1 + n % 5)
    client = client_for(manager)

    # session, user, the page of surveys, their credited agents
    with django_assert_num_queries(4):
        response = client.get(SURVEYS)

    assert len(response.json()["results"]) == count
