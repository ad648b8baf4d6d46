"""Shared fixtures: one user per role, a team with queues, customers, clients."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Role, Team, User
from helpdesk import resilience
from tickets.models import Channel, Customer, Organisation, Queue, Ticket
from tickets.services import ticket_create

pytest_plugins = ["tests.integration.fixtures"]

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _redis_breaker_closed() -> None:
    """A test that broke Redis on purpose must not leave the next one skipping it."""
    resilience.reset()


@pytest.fixture(autouse=True)
def _cache_cleared() -> None:
    """Rows cached by one test (SLA policies) must not outlive its rolled-back transaction."""
    cache.clear()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: str = Role.AGENT, **fields: Any) -> User:
        n = next(_seq)
        fields.setdefault("username", f"{role}{n}")
        fields.setdefault("email", f"{role}{n}@example.com")
        fields.setdefault("first_name", role.capitalize())
        fields.setdefault("last_name", f"Number{n}")
        user = User.objects.create_user(password="pw-for-tests-1", **fields)
        user.role = role
        user.save(update_fields=["role"])
        return user

    return make


@pytest.fixture
def team(db: None) -> Team:
    return Team.objects.create(name="Support X", slug="support-x")


@pytest.fixture
def other_team(db: None) -> Team:
    return Team.objects.create(name="Support Y", slug="support-y")


@pytest.fixture
def queue(team: Team) -> Queue:
    return Queue.objects.create(slug="general", name="General", team=team)


@pytest.fixture
def other_queue(other_team: Team) -> Queue:
    return Queue.objects.create(slug="billing", name="Billing", team=other_team)


@pytest.fixture
def agent(make_user: Callable[..., User], queue: Queue, team: Team) -> User:
    user = make_user(Role.AGENT, first_name="Alex")
    queue.agents.add(user)
    team.members.add(user)
    return user


@pytest.fixture
def other_agent(make_user: Callable[..., User], other_queue: Queue, other_team: Team) -> User:
    user = make_user(Role.AGENT, first_name="Yara")
    other_queue.agents.add(user)
    other_team.members.add(user)
    return user


@pytest.fixture
def manager(make_user: Callable[..., User], team: Team) -> User:
    user = make_user(Role.MANAGER, first_name="Morgan")
    team.managers.add(user)
    return user


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def make_customer(make_user: Callable[..., User]) -> Callable[..., Customer]:
    def make(tier: str = "", organisation: Organisation | None = None, **fields: Any) -> Customer:
        user = make_user(Role.CUSTOMER, **fields)
        return Customer.objects.create(user=user, tier=tier, organisation=organisation)

    return make


@pytest.fixture
def customer(make_customer: Callable[..., Customer]) -> Customer:
    return make_customer(first_name="Casey")


@pytest.fixture
def other_customer(make_customer: Callable[..., Customer]) -> Customer:
    return make_customer(first_name="Robin")


@pytest.fixture
def make_ticket(queue: Queue, customer: Customer) -> Callable[..., Ticket]:
    def make(**kwargs: Any) -> Ticket:
        kwargs.setdefault("requester", customer)
        kwargs.setdefault("queue", queue)
        kwargs.setdefault("subject", "Export stops at 40%")
        kwargs.setdefault("body", "The CSV export stops at 40% since Monday.")
        kwargs.setdefault("channel", Channel.WEB)
        return ticket_create(**kwargs)

    return make


@pytest.fixture
def ticket(make_ticket: Callable[..., Ticket]) -> Ticket:
    return make_ticket()


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_agent(agent: User) -> Client:
    return _client_for(agent)


@pytest.fixture
def client_customer(customer: Customer) -> Client:
    return _client_for(customer.user)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return _client_for
