"""The reliability scenarios at their short sizes, through bench/reliability.py's own
scenario functions: a real worker whose pool is SIGKILLed, a private Redis that is stopped
and frozen under gunicorn, concurrent survey dispatchers, duplicate inbound mail, load.

The full sizes and their timings come from `make reliability` (docs/reliability.md); these
tests check what must hold at any size: nothing lost, nothing done twice, no server error.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.reliability import (
    Stack,
    scenario_broker_down,
    scenario_dispatchers,
    scenario_inbound_mail,
    scenario_load,
    scenario_soak,
    scenario_worker_killed,
    wait_for_background,
    world_setup,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stack(reliability_services: Stack) -> Iterator[Stack]:
    world_setup(reliability_services)  # the agent and token, in this test's database
    yield reliability_services
    # After each test the database is truncated. If the worker is still running handlers
    # for this test's tickets then, its transactions and the TRUNCATE lock the same tables
    # in opposite orders and PostgreSQL aborts the flush with a deadlock (seen after the
    # load test, which returns as soon as its 201s are counted). So wait until every
    # handler owed by any event has run: the worker is idle before the flush starts.
    state, _ = wait_for_background(reliability_services, "", timeout=120)
    assert state["missing"] == 0, f"the worker did not finish the test's work: {state}"


def test_killing_the_worker_pool_while_scoring_loses_and_duplicates_nothing(stack) -> None:
    result = scenario_worker_killed(stack, replies=100, kills=2, kill_interval=0.2)

    assert result["kills"] == 2
    assert result["client_errors"] == 0
    assert result["work_scores"] == 100
    assert result["work_scored_messages"] == 100  # no reply scored twice
    assert result["work_missing"] == 0  # notifications and webhooks too
    assert result["work_duplicates"] == 0


@pytest.mark.parametrize("mode", ["stopped", "frozen"])
def test_submissions_succeed_while_redis_is_down_and_their_work_runs_once_after(
    stack, mode
) -> None:
    result = scenario_broker_down(stack, mode=mode, submissions=20)

    assert result["accepted"] == 20
    assert result["server_errors"] == 0
    assert result["tickets_stored"] == 20
    # Not a timing: a request stuck on the frozen socket would take gunicorn's 60 s.
    assert result["max_s"] < 15
    assert result["work_replies"] == 5  # every 4th API ticket got an agent reply
    assert result["work_scores"] == 5
    assert result["work_missing"] == 0
    assert result["work_duplicates"] == 0


def test_concurrent_dispatchers_send_one_survey_per_resolution(stack) -> None:
    result = scenario_dispatchers(stack, resolved=50, dispatchers=8)

    assert result["surveys_scheduled"] == 50
    assert result["sent_events_per_survey"] == {"1": 50}
    assert result["surveys_sent"] == 50
    assert result["mails"] == 50
    assert result["customers_mailed_twice"] == 0


def test_the_same_message_id_delivered_three_times_at_once_makes_one_message(stack) -> None:
    result = scenario_inbound_mail(stack, messages=3)

    assert result["statuses"] == {"202": 3, "200": 6}  # one accepted, two duplicates each
    assert result["inbound_rows"] == 3
    assert result["ticket_messages"] == 3
    assert result["ids_with_more_than_one_message"] == 0


def test_sustained_ticket_creation_loses_no_write(stack) -> None:
    result = scenario_load(stack, seconds=10)

    assert result["created_201"] > 0
    assert result["errors"] == 0
    assert result["lost_writes"] == 0
    assert result["tagged_in_db"] == result["created_201"]  # and no write without its 201


def test_a_short_soak_of_mixed_traffic_has_no_error_and_the_memory_is_sampled(stack) -> None:
    # The 30 minute figure is the bench's (docs/reliability.md); here the same mix of
    # creations, reads and agent replies runs for 20 s, so the soak's code path and its
    # RSS sampling cannot rot. Only a gross leak would pass the bench's 50 MB bound this soon.
    result = scenario_soak(stack, seconds=20, rate=5.0, sample=4.0)

    assert result["errors"] == 0
    assert set(result["ops"]) == {"create", "read", "reply"}
    assert len(result["samples"]) >= 3
    assert all(s["gunicorn_mb"] > 0 and s["worker_mb"] > 0 for s in result["samples"])
    assert result["rss_growth_mb"] <= 50
