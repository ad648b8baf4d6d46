"""The customer's survey page (scanner-proof, signed links) and the managers' report."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from surveys.models import Reason, Survey
from surveys.services import surveys_dispatch_due
from surveys.tokens import survey_token
from tests.surveys.conftest import resolve
from tickets.models import EventKind, TicketEvent
from tickets.services import ticket_note_add

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Internal: refund refused, customer is on the watch list"


def url(token: str) -> str:
    return reverse("surveys:answer", args=[token])


def answer_state(survey: Survey) -> tuple[object, ...]:
    survey.refresh_from_db()
    return (
        survey.rating,
        survey.understood,
        survey.reason,
        survey.comment,
        survey.answered_at,
        survey.follow_up_opened,
        TicketEvent.objects.filter(
            kind__in=[EventKind.SURVEY_ANSWERED, EventKind.FOLLOW_UP_OPENED]
        ).count(),
    )


NOTHING_RECORDED = (None, None, "", "", None, False, 0)


def checked_rating(html: str) -> list[str]:
    """Values of the checked radio buttons of the rating field."""
    return re.findall(r'<input type="radio" name="rating" value="(\d)"[^>]*checked', html)


@pytest.fixture
def survey(sent_survey) -> Survey:
    return sent_survey()


# The customer's page ----------------------------------------------------------------


@pytest.mark.parametrize("rating", [1, 4])
def test_it_only_preselects_the_rating_when_a_link_is_opened(client: Client, survey, rating):
    response = client.get(url(survey_token(survey.pk, rating)))

    assert response.status_code == 200
    assert "surveys/answer.html" in [t.name for t in response.templates]
    assert response.context["form"].initial["rating"] == rating
    assert checked_rating(response.content.decode()) == [str(rating)]
    # A mail scanner opening every link must not answer for the customer.
    assert answer_state(survey) == NOTHING_RECORDED


def test_it_shows_the_page_without_a_preselected_rating(client: Client, survey):
    response = client.get(url(survey_token(survey.pk)))

    assert response.status_code == 200
    assert checked_rating(response.content.decode()) == []


def test_it_records_the_answer_on_post(client: Client, survey):
    response = client.post(
        url(survey_token(survey.pk, 5)),
        {"rating": "2", "understood": "4", "reason": Reason.TIME, "comment": "Took ages"},
    )

    assert response.status_code == 200
    assert "surveys/thanks.html" in [t.name for t in response.templates]
    survey.refresh_from_db()
    assert (survey.rating, survey.understood, survey.reason, survey.comment) == (
        2,
        4,
        Reason.TIME,
        "Took ages",
    )
    assert TicketEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED).count() == 1
    assert TicketEvent.objects.filter(kind=EventKind.FOLLOW_UP_OPENED).count() == 1


def test_it_treats_a_double_submit_as_one_answer(client: Client, survey):
    data = {"rating": "1", "comment": "Twice"}
    first = client.post(url(survey_token(survey.pk, 1)), data)
    second = client.post(url(survey_token(survey.pk, 1)), data)

    assert first.status_code == second.status_code == 200
    assert TicketEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED).count() == 1
    assert TicketEvent.objects.filter(kind=EventKind.FOLLOW_UP_OPENED).count() == 1
    survey.refresh_from_db()
    assert (survey.rating, survey.comment) == (1, "Twice")


def test_it_apologises_after_a_low_rating_only(client: Client, survey):
    sorry = "We are sorry we fell short"

    low = client.post(url(survey_token(survey.pk, 1)), {"rating": "1"})
    assert sorry in low.content.decode()

    changed = client.post(url(survey_token(survey.pk, 1)), {"rating": "5"})
    assert changed.status_code == 200
    assert sorry not in changed.content.decode()


def test_it_shows_the_current_answer_when_the_link_is_opened_again(client: Client, survey):
    client.post(url(survey_token(survey.pk)), {"rating": "3", "understood": "5"})

    response = client.get(url(survey_token(survey.pk, 5)))

    assert response.status_code == 200
    assert checked_rating(response.content.decode()) == ["3"]
    assert "Update my answer" in response.content.decode()


def test_it_refuses_a_post_without_a_rating(client: Client, survey):
    response = client.post(url(survey_token(survey.pk, 4)), {"comment": "no rating"})

    assert response.status_code == 400
    assert answer_state(survey) == NOTHING_RECORDED


def _tampered(token: str) -> str:
    _, rest = token.split(":", 1)
    other = signing.dumps({"s": 999_999, "r": 5}, salt="attune.survey", compress=False)
    return other.split(":", 1)[0] + ":" + rest


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda s: "not-a-token", id="garbage"),
        pytest.param(lambda s: survey_token(s.pk, 5)[:-2] + "xx", id="bad-signature"),
        pytest.param(lambda s: _tampered(survey_token(s.pk, 5)), id="swapped-payload"),
        pytest.param(lambda s: signing.dumps({"s": s.pk, "r": 5}), id="other-salt"),
        pytest.param(
            lambda s: signing.dumps({"s": s.pk, "r": 9}, salt="attune.survey"), id="bad-rating"
        ),
        pytest.param(
            lambda s: signing.dumps({"s": str(s.pk)}, salt="attune.survey"), id="bad-survey-id"
        ),
    ],
)
def test_it_rejects_forged_or_tampered_links(client: Client, survey, make_token):
    token = make_token(survey)

    for response in (client.get(url(token)), client.post(url(token), {"rating": "1"})):
        assert response.status_code == 400
        assert "surveys/invalid.html" in [t.name for t in response.templates]
        assert "Nothing was recorded" in response.content.decode()
    assert answer_state(survey) == NOTHING_RECORDED


def test_it_answers_410_for_an_expired_link(client: Client, survey, settings):
    settings.ATTUNE_SURVEY_LINK_MAX_AGE_DAYS = 30
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 86400):
        token = survey_token(survey.pk, 1)

    for response in (client.get(url(token)), client.post(url(token), {"rating": "1"})):
        assert response.status_code == 410
        assert "surveys/closed.html" in [t.name for t in response.templates]
        assert "The link has expired" in response.content.decode()
    assert answer_state(survey) == NOTHING_RECORDED


def test_it_accepts_a_link_just_inside_its_lifetime(client: Client, survey, settings):
    settings.ATTUNE_SURVEY_LINK_MAX_AGE_DAYS = 30
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 29 * 86400):
        token = survey_token(survey.pk, 1)

    assert client.get(url(token)).status_code == 200


def test_it_answers_410_once_the_survey_is_closed(client: Client, survey):
    client.post(url(survey_token(survey.pk)), {"rating": "4"})
    before = answer_state(survey)
    Survey.objects.filter(pk=survey.pk).update(sent_at=timezone.now() - timedelta(days=15))

    token = survey_token(survey.pk, 1)
    for response in (client.get(url(token)), client.post(url(token), {"rating": "1"})):
        assert response.status_code == 410
        assert "can no longer be changed" in response.content.decode()
    assert answer_state(survey) == before


@pytest.mark.parametrize("state", [Survey.State.SCHEDULED, Survey.State.CANCELLED])
def test_it_answers_404_for_a_survey_that_was_not_sent(client: Client, ticket, agent, state):
    resolve(ticket, agent)
    survey = Survey.objects.get()
    Survey.objects.filter(pk=survey.pk).update(state=state)
    token = survey_token(survey.pk, 5)

    for response in (client.get(url(token)), client.post(url(token), {"rating": "5"})):
        assert response.status_code == 404
        assert "surveys/invalid.html" in [t.name for t in response.templates]
    assert answer_state(survey) == NOTHING_RECORDED


def test_it_answers_404_for_a_survey_that_does_not_exist(client: Client, db):
    assert client.get(url(survey_token(424_242, 3))).status_code == 404


def test_it_reveals_only_the_subject_and_the_agents_first_names(
    client: Client, make_ticket, agent, customer
):
    ticket = make_ticket(subject="Export stops at 40%", body="My card ends in 4242, see logs.")
    ticket_note_add(ticket=ticket, author=agent, body=SECRET_NOTE)
    resolve(ticket, agent)
    surveys_dispatch_due()
    survey = Survey.objects.get(state=Survey.State.SENT)
    token = survey_token(survey.pk, 3)

    pages = [
        client.get(url(token)).content.decode(),
        client.post(url(token), {"rating": "3"}).content.decode(),
    ]

    assert "Export stops at 40%" in pages[0]
    assert agent.first_name in pages[0]
    for html in pages:
        assert agent.last_name not in html
        assert agent.email not in html
        assert customer.user.email not in html
        assert customer.user.last_name not in html
        assert "4242" not in html
        assert SECRET_NOTE not in html
        assert "Restarting the export" not in html  # the agent's reply


def test_it_stores_a_comment_raw_and_renders_it_escaped(client: Client, survey):
    comment = '<script>alert("x")</script> & <b>bold</b>'

    client.post(url(survey_token(survey.pk)), {"rating": "3", "comment": comment})

    survey.refresh_from_db()
    assert survey.comment == comment
    html = client.get(url(survey_token(survey.pk))).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert" not in html
    assert "<b>bold" not in html


# The report -------------------------------------------------------------------------


def report_url(**params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("surveys:report") + (f"?{query}" if query else "")


@pytest.fixture
def report_data(make_survey, agent, other_agent, other_queue, other_customer):
    for rating, understood, reason in [
        (5, 5, ""),
        (4, 4, ""),
        (2, 2, Reason.AGENT),
        (1, None, Reason.PRODUCT),
    ]:
        make_survey(agents=[agent], rating=rating, understood=understood, reason=reason)
    make_survey(agents=[agent])  # sent, never answered
    # Another team's queue: its manager sees it, ours must not.
    for _ in range(3):
        make_survey(agents=[other_agent], rating=1, queue=other_queue, requester=other_customer)


def test_it_shows_managers_their_figures(client_for, manager, report_data):
    response = client_for(manager).get(report_url())

    assert response.status_code == 200
    assert "surveys/report.html" in [t.name for t in response.templates]
    overall = response.context["overall"]
    assert (overall.sent, overall.answered, overall.satisfied) == (5, 4, 2)
    assert overall.csat == 50.0
    assert overall.response_rate == 80.0
    assert overall.understood_avg == pytest.approx(3.67, abs=0.01)
    html = response.content.decode()
    assert "<strong>50.0%</strong> CSAT" in html
    assert "<strong>80.0%</strong> response rate (4 of 5)" in html
    assert dict(response.context["reasons"])["How the agent handled it"] == 1
    assert dict(response.context["reasons"])["The product itself"] == 1


def test_it_shows_a_manager_only_the_queues_of_their_teams(client_for, manager, report_data):
    response = client_for(manager).get(report_url())

    assert [r.label for r in response.context["by_queue"]] == ["General"]
    assert [r.label for r in response.context["by_team"]] == ["Support X"]
    html = response.content.decode()
    assert "Billing" not in html
    assert "Yara" not in html


def test_it_filters_the_report_by_period(client_for, manager, make_survey, agent):
    make_survey(agents=[agent], rating=5, sent_at=timezone.now() - timedelta(days=100))
    make_survey(agents=[agent], rating=1)
    today = timezone.localdate()

    recent = client_for(manager).get(report_url(start=str(today - timedelta(days=7))))
    old = client_for(manager).get(
        report_url(start=str(today - timedelta(days=120)), end=str(today - timedelta(days=90)))
    )

    assert recent.context["overall"].sent == 1
    assert recent.context["overall"].csat == 0.0
    assert old.context["overall"].sent == 1
    assert old.context["overall"].csat == 100.0


def test_it_refuses_the_report_to_agents(client_agent, report_data):
    assert client_agent.get(report_url()).status_code == 403


def test_it_refuses_the_report_to_customers(client_customer, report_data):
    assert client_customer.get(report_url()).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, db):
    response = client.get(report_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Session, user, then one query each: overall, agent, team, queue, week, reasons, empathy.
REPORT_QUERIES = 9


@pytest.mark.parametrize("surveys", [3, 30])
def test_it_renders_the_report_in_a_fixed_number_of_queries(
    client_for, manager, make_survey, agent, make_user, queue, team, surveys,
    django_assert_num_queries,
):  # fmt: skip
    agents = [agent]
    for i in range(2):
        extra = make_user(Role.AGENT, first_name=f"Extra{i}")
        queue.agents.add(extra)
        team.members.add(extra)
        agents.append(extra)
    for i in range(surveys):
        make_survey(
            agents=agents[: 1 + i % 3],
            rating=1 + i % 5,
            understood=1 + (i + 2) % 5,
            reason=Reason.TIME if i % 5 < 2 else "",
            sent_at=timezone.now() - timedelta(days=i % 40),
        )
    client = client_for(manager)

    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get(report_url())

    assert response.status_code == 200
    assert response.context["overall"].sent == surveys


def test_the_report_draws_weekly_csat_as_a_chart_with_a_table(client_for, manager, sent_survey):
    from surveys.services import survey_answer

    survey_answer(survey=sent_survey(), rating=5)
    response = client_for(manager).get("/surveys/report/")
    chart = response.context["csat_chart"]
    assert [label.endswith("100") for _, _, label in chart.dots] == [True]
    assert "CSAT per week" in response.content.decode()
