"""Coaching endpoint, manager dashboard and review, the agent's own page, through the client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from empathy.models import Reflection, ReplyScore, Review, ScoringFailure
from empathy.services import reply_score, review_save
from tickets.models import Channel, Message, MessageKind, Ticket
from tickets.services import ticket_customer_reply, ticket_reply

pytestmark = pytest.mark.django_db

COACH = reverse("empathy:coach")
DASHBOARD = reverse("empathy:dashboard")
MINE = reverse("empathy:mine")
COMPONENTS = ("listening", "validation", "reflection", "tone")
PLAIN = "We fixed the export."
EMPATHIC = (
    "I understand how frustrating this must be. So if I understand correctly, the CSV export "
    "stops at 40% since Monday. We fixed the export."
)
ANGRY = "This is the third time I write and it is still not fixed. Unacceptable, fix it NOW!!"


def templates(response) -> list[str]:
    return [t.name for t in response.templates]


def scored(ticket: Ticket, author, body: str = PLAIN, *, days_ago: int = 0) -> ReplyScore:
    message = ticket_reply(ticket=ticket, author=author, body=body)
    if days_ago:
        Message.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        message.refresh_from_db()
    score = reply_score(message=message)
    assert score is not None
    return score


def review_url(score: ReplyScore) -> str:
    return reverse("empathy:review", args=[score.pk])


def ack_url(review: Review) -> str:
    return reverse("empathy:acknowledge", args=[review.pk])


UPSET = "I am really frustrated: the CSV export stops at 40% since Monday and I have a deadline!"


@pytest.fixture
def upset(make_ticket) -> Ticket:
    """A ticket whose customer is upset: empathy is called for (opportunity "normal")."""
    return make_ticket(body=UPSET)


@pytest.fixture
def other_ticket(make_ticket, other_queue, other_customer) -> Ticket:
    return make_ticket(queue=other_queue, requester=other_customer, subject="Billing question")


@pytest.fixture
def other_manager(make_user, other_team):
    user = make_user(Role.MANAGER, first_name="Olive")
    other_team.managers.add(user)
    return user


@pytest.fixture
def teammate(make_user, queue, team):
    user = make_user(Role.AGENT, first_name="Tess")
    queue.agents.add(user)
    team.members.add(user)
    return user


# Coaching ---------------------------------------------------------------------------------


def test_it_coaches_a_draft_with_the_four_components(client_agent, upset):
    response = client_agent.post(COACH, {"draft": PLAIN, "ticket": upset.pk})

    assert response.status_code == 200
    data = response.json()
    for name in COMPONENTS:
        assert data[name]["level"] in (0, 1, 2)
    assert 0 <= data["overall"] <= 100
    assert isinstance(data["spans"], list)
    assert data["suggestions"]


def test_it_raises_validation_and_reflection_when_the_draft_has_them(client_agent, upset):
    plain = client_agent.post(COACH, {"draft": PLAIN, "ticket": upset.pk}).json()
    empathic = client_agent.post(COACH, {"draft": EMPATHIC, "ticket": upset.pk}).json()

    assert empathic["validation"]["level"] > plain["validation"]["level"]
    assert empathic["reflection"]["level"] > plain["reflection"]["level"]
    assert empathic["overall"] > plain["overall"]
    assert {s["component"] for s in empathic["spans"]} >= {"validation", "reflection"}
    assert all(EMPATHIC[s["start"] : s["end"]] == s["text"] for s in empathic["spans"])


def test_it_tailors_suggestions_to_the_customers_last_message(client_agent, ticket, customer):
    ticket_customer_reply(
        ticket=ticket,
        customer=customer,
        body="Now my invoice shows a double charge for March and I am annoyed.",
        channel="web",
    )

    data = client_agent.post(COACH, {"draft": PLAIN, "ticket": ticket.pk}).json()

    examples = " ".join(s["example"] for s in data["suggestions"])
    assert "invoice" in examples
    assert "export" not in examples


def test_it_refuses_coaching_to_a_customer(client_customer, ticket):
    response = client_customer.post(COACH, {"draft": PLAIN, "ticket": ticket.pk})

    assert response.status_code == 403


def test_it_hides_a_ticket_outside_the_agents_queues(client_for, other_agent, ticket):
    response = client_for(other_agent).post(COACH, {"draft": PLAIN, "ticket": ticket.pk})

    assert response.status_code == 404


def test_it_only_accepts_post_for_coaching(client_agent, ticket):
    response = client_agent.get(COACH, {"draft": PLAIN, "ticket": ticket.pk})

    assert response.status_code == 405


def test_it_answers_400_without_a_ticket(client_agent):
    response = client_agent.post(COACH, {"draft": PLAIN})

    assert response.status_code == 400
    assert "ticket" in response.json()["fields"]


def test_it_sends_an_anonymous_coach_request_to_login(client, ticket):
    response = client.post(COACH, {"draft": PLAIN, "ticket": ticket.pk})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_stores_nothing_when_coaching(client_agent, ticket):
    client_agent.post(COACH, {"draft": PLAIN, "ticket": ticket.pk})

    assert not ReplyScore.objects.exists()
    assert ticket.messages.count() == 1


# Dashboard --------------------------------------------------------------------------------


def test_it_shows_the_manager_their_agents_only(
    client_for, manager, agent, other_agent, ticket, other_ticket
):
    mine = [scored(ticket, agent, PLAIN), scored(ticket, agent, EMPATHIC, days_ago=8)]
    theirs = scored(other_ticket, other_agent, "Read the manual.")

    response = client_for(manager).get(DASHBOARD)

    assert response.status_code == 200
    assert "empathy/dashboard.html" in templates(response)
    summaries = response.context["summaries"]
    assert [s.agent_id for s in summaries] == [agent.pk]
    assert summaries[0].replies == 2
    assert summaries[0].overall == round(sum(s.overall for s in mine) / 2, 2)
    assert sum(p.replies for p in response.context["trend"]) == 2
    lowest = {s.pk for s in response.context["lowest"]}
    assert theirs.pk not in lowest
    assert lowest <= {s.pk for s in mine}
    content = response.content.decode()
    assert other_agent.first_name not in content
    assert "Read the manual." not in content


def test_it_counts_challenging_interactions_handled(client_for, manager, agent, make_ticket):
    hard = make_ticket(subject="Third time I write", body=ANGRY)
    assert hard.challenging
    scored(hard, agent)
    scored(make_ticket(), agent)

    response = client_for(manager).get(DASHBOARD)

    assert response.context["summaries"][0].challenging == 1


def test_it_limits_the_dashboard_to_the_chosen_range(client_for, manager, agent, upset):
    scored(upset, agent, days_ago=30)
    recent = scored(upset, agent)
    today = timezone.localdate()

    response = client_for(manager).get(
        DASHBOARD, {"start": (today - timedelta(days=7)).isoformat(), "end": today.isoformat()}
    )

    assert response.context["summaries"][0].replies == 1
    assert [s.pk for s in response.context["lowest"]] == [recent.pk]


def test_it_shows_the_share_of_replies_with_each_component(client_for, manager, agent, upset):
    scores = [scored(upset, agent, EMPATHIC), scored(upset, agent, PLAIN), scored(upset, agent)]

    (point,) = client_for(manager).get(DASHBOARD).context["trend"]

    assert point.replies == 3
    assert point.overall == round(sum(s.overall for s in scores) / 3, 2)
    assert point.validation_share == round(sum(s.validation > 0 for s in scores) / 3, 2)
    assert point.reflection_share == round(sum(s.reflection > 0 for s in scores) / 3, 2)
    assert 0 < point.validation_share < 1


RUDE = "Calm down. As I already told you, you should have read the manual."


def test_my_empathy_trend_shows_each_week_by_component_tone_included(client_for, agent, upset):
    scores = [scored(upset, agent, EMPATHIC), scored(upset, agent, RUDE)]
    scores.append(scored(upset, agent, PLAIN, days_ago=7))
    this_week, last_week = scores[:2], scores[2:]

    page = client_for(agent).get(MINE, {"start": (timezone.localdate() - timedelta(days=14))})
    older, newer = page.context["trend"]

    for point, week in ((older, last_week), (newer, this_week)):
        assert point.replies == len(week)
        assert point.listening_share == round(sum(s.listening > 0 for s in week) / len(week), 2)
        assert point.tone == round(sum(s.tone for s in week) / len(week), 2)
    assert len({s.tone for s in this_week}) == 2  # the week's average is not one reply's
    assert '<th scope="col">Tone (0-2)</th>' in page.content.decode()


def test_it_shows_an_admin_every_team(
    client_for, admin_user, agent, other_agent, ticket, other_ticket
):
    scored(ticket, agent)
    scored(other_ticket, other_agent)

    response = client_for(admin_user).get(DASHBOARD)

    assert {s.agent_id for s in response.context["summaries"]} == {agent.pk, other_agent.pk}


def test_it_refuses_the_dashboard_to_an_agent(client_agent):
    assert client_agent.get(DASHBOARD).status_code == 403


def test_it_sends_an_anonymous_visitor_to_login(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def make_history(n: int, ticket: Ticket, agents: list, reviewer) -> None:
    """n scored replies over 20 days; rows written directly, as ticket_reply is not under test."""
    now = timezone.now()
    for i in range(n):
        message = Message.objects.create(
            ticket=ticket,
            kind=MessageKind.REPLY,
            author=agents[i % len(agents)],
            body=EMPATHIC if i % 3 == 0 else PLAIN,
            channel=Channel.WEB,
            created_at=now - timedelta(days=i % 20),
        )
        score = reply_score(message=message)
        assert score is not None
        if i % 4 == 0:
            levels = {"listening": 0, "validation": 1, "reflection": 2, "tone": 1}
            review_save(score=score, reviewer=reviewer, levels=levels, feedback="", exemplary=False)


# session, user, per-agent sums, weekly trend, lowest scores, random sample, low-CSAT
# sample, calibration, per-agent weekly trend, the manager's teams (for the filter),
# + CSAT against empathy: per-agent survey counts (1) and per-reply scatter (1),
# + the calibrations in force for the manager's teams (1).
DASHBOARD_QUERIES = 13
# With a team's calibrated thresholds shown, the component figures are recounted from the
# scores (one grouped query): the rollups only hold sums of the analyzer's own levels.
DASHBOARD_QUERIES_CALIBRATED = DASHBOARD_QUERIES + 1


@pytest.mark.parametrize("n", [5, 40])
def test_it_renders_the_dashboard_in_a_fixed_number_of_queries(
    client_for, django_assert_num_queries, manager, agent, teammate, ticket, n
):
    make_history(n, ticket, [agent, teammate], manager)
    client = client_for(manager)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert sum(s.replies for s in response.context["summaries"]) == n


# Review -----------------------------------------------------------------------------------


def test_it_shows_the_reply_to_its_agents_manager(client_for, manager, agent, ticket):
    score = scored(ticket, agent, "Read the manual.")

    response = client_for(manager).get(review_url(score))

    assert response.status_code == 200
    assert "empathy/review.html" in templates(response)
    content = response.content.decode()
    assert "Read the manual." in content
    assert "The CSV export stops at 40% since Monday." in content  # what the customer wrote


def test_the_review_page_shows_the_analyzers_spans_with_their_polarity(
    client_for, manager, agent, ticket
):
    score = scored(ticket, agent, RUDE)
    negative = [s for s in score.spans if s["polarity"] == "-"]
    assert negative, score.spans

    content = client_for(manager).get(review_url(score)).content.decode()

    for span in score.spans:
        css = "span-neg" if span["polarity"] == "-" else "span-pos"
        badge = f'<span class="badge">{span["component"]}</span>'
        assert f'<li class="span {css}">{badge} <q>' in content
    assert content.count('class="span span-neg"') == len(negative)


def test_it_saves_the_managers_review(client_for, manager, agent, ticket):
    score = scored(ticket, agent)

    response = client_for(manager).post(
        review_url(score),
        {
            "listening": "0",
            "validation": "1",
            "reflection": "2",
            "tone": "",
            "feedback": "Name the feeling first.",
            "exemplary": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    review = Review.objects.get(score=score, reviewer=manager)
    assert (review.listening, review.validation, review.reflection, review.tone) == (0, 1, 2, None)
    assert review.feedback == "Name the feeling first."
    assert review.exemplary is True


def test_it_updates_and_prefills_an_existing_review(client_for, manager, agent, ticket):
    score = scored(ticket, agent)
    review_save(score=score, reviewer=manager, levels={"tone": 1}, feedback="v1", exemplary=False)
    client = client_for(manager)

    assert client.get(review_url(score)).context["form"].initial["feedback"] == "v1"
    client.post(review_url(score), {"tone": "2", "feedback": "v2"})

    review = Review.objects.get()
    assert (review.tone, review.feedback) == (2, "v2")


def test_it_rejects_a_level_outside_the_scale(client_for, manager, agent, ticket):
    score = scored(ticket, agent)

    response = client_for(manager).post(review_url(score), {"validation": "3", "feedback": "x"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Review.objects.exists()


def test_it_hides_a_reply_from_the_manager_of_another_team(
    client_for, other_manager, agent, ticket
):
    score = scored(ticket, agent)
    client = client_for(other_manager)

    assert client.get(review_url(score)).status_code == 404
    assert client.post(review_url(score), {"feedback": "Sneaky"}).status_code == 404
    assert not Review.objects.exists()


def test_it_answers_404_for_a_missing_score(client_for, manager):
    assert client_for(manager).get(reverse("empathy:review", args=[999999])).status_code == 404


def test_it_refuses_the_review_page_to_an_agent(client_for, teammate, agent, ticket):
    score = scored(ticket, agent)

    assert client_for(teammate).get(review_url(score)).status_code == 403


# My empathy and feedback ------------------------------------------------------------------


def test_it_shares_an_exemplary_reply_with_the_team(client_for, manager, agent, teammate, ticket):
    score = scored(ticket, agent, EMPATHIC)
    client_for(manager).post(
        review_url(score), {"feedback": "Lovely reflection.", "exemplary": "on"}
    )

    response = client_for(teammate).get(MINE)

    assert response.status_code == 200
    assert "empathy/mine.html" in templates(response)
    assert [r.score_id for r in response.context["exemplary"]] == [score.pk]
    assert "So if I understand correctly" in response.content.decode()


def test_it_keeps_exemplary_replies_within_the_team(
    client_for, manager, agent, other_agent, ticket
):
    score = scored(ticket, agent, EMPATHIC)
    review_save(score=score, reviewer=manager, levels={}, feedback="Lovely.", exemplary=True)

    response = client_for(other_agent).get(MINE)

    # The reply is on a ticket of a queue other_agent may not open.
    assert response.context["exemplary"] == []
    assert "So if I understand correctly" not in response.content.decode()


def test_it_lists_an_exemplary_reply_once_when_two_managers_mark_it(
    client_for, make_user, team, manager, agent, teammate, ticket
):
    second = make_user(Role.MANAGER, first_name="Max")
    team.managers.add(second)
    score = scored(ticket, agent, EMPATHIC)
    review_save(score=score, reviewer=manager, levels={}, feedback="Lovely.", exemplary=True)
    review_save(score=score, reviewer=second, levels={}, feedback="Agreed.", exemplary=True)

    response = client_for(teammate).get(MINE)

    assert [r.score_id for r in response.context["exemplary"]] == [score.pk]


def test_it_shows_an_agent_only_their_own_feedback(client_for, manager, agent, teammate, ticket):
    own = scored(ticket, agent)
    other = scored(ticket, teammate)
    review_save(score=own, reviewer=manager, levels={}, feedback="For Alex.", exemplary=False)
    review_save(score=other, reviewer=manager, levels={}, feedback="For Tess.", exemplary=False)

    response = client_for(agent).get(MINE)

    assert [r.feedback for r in response.context["feedback"]] == ["For Alex."]
    content = response.content.decode()
    assert "For Alex." in content
    assert "For Tess." not in content


def test_it_lets_the_agent_acknowledge_their_feedback(client_agent, manager, agent, ticket):
    review = review_save(
        score=scored(ticket, agent),
        reviewer=manager,
        levels={},
        feedback="Warmer.",
        exemplary=False,
    )

    response = client_agent.post(ack_url(review), {"reply": "Thanks, will do."})

    assert response.status_code == 302
    assert response["Location"] == MINE
    review.refresh_from_db()
    assert review.acknowledged_at is not None
    assert review.agent_reply == "Thanks, will do."
    assert "Thanks, will do." in client_agent.get(MINE).content.decode()


def test_it_shows_the_manager_the_agents_acknowledgement_and_reply(
    client_agent, client_for, manager, agent, ticket
):
    score = scored(ticket, agent)
    review = review_save(
        score=score, reviewer=manager, levels={}, feedback="Warmer.", exemplary=False
    )
    client_agent.post(ack_url(review), {"reply": "Thanks, I will name the feeling."})

    response = client_for(manager).get(review_url(score))

    content = response.content.decode()
    assert "Acknowledged" in content
    assert "Thanks, I will name the feeling." in content


def test_it_hides_feedback_from_another_agent(client_for, manager, agent, teammate, ticket):
    review = review_save(
        score=scored(ticket, agent),
        reviewer=manager,
        levels={},
        feedback="Warmer.",
        exemplary=False,
    )

    assert client_for(teammate).post(ack_url(review), {"reply": "Mine now"}).status_code == 404
    assert client_for(manager).post(ack_url(review), {"reply": "Me too"}).status_code == 404
    review.refresh_from_db()
    assert review.acknowledged_at is None
    assert review.agent_reply == ""


def test_it_refuses_my_empathy_to_a_customer(client_customer):
    assert client_customer.get(MINE).status_code == 403


# session, user, weekly trend, summary, feedback, reflection prompts, own reflections,
# exemplary, + the team calibration in force (1): the agent reads levels on their team's scale.
MINE_QUERIES = 9


@pytest.mark.parametrize("n", [2, 12])
def test_it_renders_my_empathy_in_a_fixed_number_of_queries(
    client_agent, django_assert_num_queries, manager, agent, teammate, ticket, make_ticket, n
):
    for i in range(n):
        score = scored(ticket, agent if i % 2 else teammate)
        review_save(
            score=score, reviewer=manager, levels={}, feedback=f"Note {i}", exemplary=i % 3 == 0
        )

        Reflection.objects.create(agent=agent, ticket=make_ticket(), went_well=f"Calm {i}")

    with django_assert_num_queries(MINE_QUERIES):
        response = client_agent.get(MINE)

    assert len(response.context["feedback"]) == n // 2
    assert len(response.context["reflections"]) == min(n, 10)


def test_my_empathy_shows_the_agent_their_reflections_and_nobody_else(
    client_for, agent, teammate, make_ticket
):
    ticket = make_ticket()
    Reflection.objects.create(
        agent=agent, ticket=ticket, went_well="Named the frustration", do_differently="Ask sooner"
    )

    mine = client_for(agent).get(MINE).content.decode()
    theirs = client_for(teammate).get(MINE).content.decode()

    assert "My reflections" in mine
    assert f"#{ticket.pk}" in mine
    assert "Named the frustration" in mine
    assert "Ask sooner" in mine
    assert "Named the frustration" not in theirs
    assert "My reflections" not in theirs


# Failures are visible to admins -----------------------------------------------------------


def test_it_lists_scoring_failures_for_admins(client_for, admin_user, agent, ticket):
    message = ticket_reply(ticket=ticket, author=agent, body="Hello")
    ScoringFailure.objects.create(message=message, version="x", error="ValueError: odd text")

    response = client_for(admin_user).get(reverse("admin:empathy_scoringfailure_changelist"))

    assert response.status_code == 200
    assert "ValueError: odd text" in response.content.decode()


def test_it_filters_the_dashboard_to_one_of_the_managers_teams(
    client_for, manager, agent, make_user, make_ticket, queue
):
    from accounts.models import Team
    from empathy.services import reply_score
    from tickets.services import ticket_reply

    second = Team.objects.create(name="Night shift", slug="night")
    second.managers.add(manager)
    night_agent = make_user("agent")
    second.members.add(night_agent)
    queue.agents.add(night_agent)
    ticket = make_ticket()
    for author in (agent, night_agent):
        reply_score(message=ticket_reply(ticket=ticket, author=author, body="Thanks, done."))
    client = client_for(manager)
    everyone = client.get("/empathy/dashboard/")
    assert {s.agent_id for s in everyone.context["summaries"]} == {agent.pk, night_agent.pk}
    night = client.get("/empathy/dashboard/", {"team": "night"})
    assert [s.agent_id for s in night.context["summaries"]] == [night_agent.pk]
    foreign = client.get("/empathy/dashboard/", {"team": "someone-elses"})
    assert foreign.context["team"] == ""
    assert len(foreign.context["summaries"]) == 2
