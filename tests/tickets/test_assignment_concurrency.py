"""Round robin under concurrent intake: an agent never ends up above capacity."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.db import connection, connections

from accounts.models import Role
from tickets.models import AgentProfile, Channel, Ticket
from tickets.services import assignment, intake

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite has one writer"
    ),
]

INTAKES = 8
CAPACITY = 2


def test_concurrent_intakes_never_assign_an_agent_above_capacity(
    queue, make_user, customer, monkeypatch
) -> None:
    queue.auto_assign = True
    queue.save(update_fields=["auto_assign"])
    agents = [make_user(Role.AGENT) for _ in range(3)]
    queue.agents.add(*agents)
    for agent in agents:
        AgentProfile.objects.create(user=agent, capacity=CAPACITY)

    real_pick = assignment.round_robin_pick

    def slow_pick(ticket: Ticket) -> Any:
        # Widen the window between choosing and assigning, as a busy database would:
        # without a lock every intake picks the same agent here.
        agent = real_pick(ticket)
        time.sleep(0.2)
        return agent

    monkeypatch.setattr(intake, "round_robin_pick", slow_pick)
    start = threading.Barrier(INTAKES)
    errors: list[BaseException] = []

    def create(n: int) -> None:
        try:
            start.wait(timeout=10)
            intake.ticket_create(
                requester=customer,
                queue=queue,
                subject=f"Concurrent request {n}",
                body="The export stops at 40%.",
                channel=Channel.WEB,
            )
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(INTAKES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Ticket.objects.filter(queue=queue).count() == INTAKES
    per_agent = Counter(Ticket.objects.filter(queue=queue).values_list("assignee", flat=True))
    assert {agent.pk: per_agent[agent.pk] for agent in agents} == dict.fromkeys(
        (agent.pk for agent in agents), CAPACITY
    )
    # The overflow waits in the queue for someone to take it.
    assert per_agent[None] == INTAKES - CAPACITY * len(agents)
