"""Every route x every role, from tests/security/matrix.py: the outcome, no leak, no stray write.

For each row, each role's request runs in its own savepoint (rolled back afterwards),
so the seven roles see the same world. For every response, allowed or not:
- the status is the one in the matrix (LOGIN: a redirect to the login page);
- the body holds none of the markers of data the role may not see;
- tickets the role may not see are unchanged (version, status, messages, tags...);
- a refused request changed nothing at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.security.conftest import ROLES, World
from tests.security.matrix import OPS, Op
from tests.security.requests import (
    DENIED,
    body_of,
    global_state,
    outcome_matches,
    send,
    ticket_state,
)

pytestmark = pytest.mark.django_db


def _json_ids(body: str, key: str) -> set[int]:
    data = json.loads(body)
    items = data.get("results", data) if isinstance(data, dict) else data
    return {item[key] for item in items if isinstance(item, dict) and key in item}


def _problems(op: Op, world: World, role: str, expected: int | str, client: Client) -> list[str]:
    visible = world.visible_tickets(role)
    hidden = {world.ticket_a.pk, world.ticket_b.pk, world.ticket_b2.pk} - visible
    before_hidden, before_all = ticket_state(hidden), global_state()
    response = send(op, world, client)
    body = body_of(response)
    found: list[str] = []
    if not outcome_matches(response, expected):
        where = response.get("Location", "")
        found.append(f"{role}: expected {expected}, got {response.status_code} {where}")
    forbidden = [m for m in world.forbidden_markers(role) if m not in op.reveals]
    found += [f"{role}: leaked {marker!r}" for marker in forbidden if marker in body]
    if ticket_state(hidden) != before_hidden:
        found.append(f"{role}: changed a ticket it may not see")
    if expected in DENIED and global_state() != before_all:
        found.append(f"{role}: a refused request wrote something")
    if response.status_code == 200 and op.route in ("api-v1:tickets", "api-v1:empathy-scores"):
        key = "id" if op.route == "api-v1:tickets" else "ticket"
        if extra := _json_ids(body, key) - visible:
            found.append(f"{role}: API list returned hidden tickets {extra}")
    return found


@pytest.mark.parametrize("op", OPS, ids=[op.id for op in OPS])
def test_each_role_gets_what_the_matrix_says(
    op: Op, world: World, role_client: Callable[..., Client], settings: Any
) -> None:
    settings.ATTUNE_PUBLIC_FORM_RATE = 10_000
    problems: list[str] = []
    for role, expected in zip(ROLES, op.expect, strict=True):
        client = role_client(role)
        with transaction.atomic():
            problems += _problems(op, world, role, expected, client)
            transaction.set_rollback(True)
    assert not problems, f"{op.id}:\n" + "\n".join(problems)


def test_the_matrix_covers_every_role_and_both_directions() -> None:
    assert len(ROLES) == 7
    assert all(len(op.expect) == len(ROLES) for op in OPS)
    # Each side's objects are probed from the other side, for reads and for writes.
    probed = {op.args for op in OPS if op.route == "workspace:detail"}
    assert probed >= {("ticket_a",), ("ticket_b",)}
