"""The security tier's world: two customers, two queues, one of everything in each.

Customer A files in queue X (worked by agent X, managed by manager X); customer B in
queue Y (agent Y). Each side has a ticket with a customer attachment, a public reply
with an attachment, an internal note with an attachment, a scored reply with a review,
a macro and a sent survey. Every text carries a marker, so a page that shows something
of the other side is caught by a substring check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, Role, Team, User
from accounts.services import api_token_create
from empathy.models import ReplyScore, Review
from empathy.services import reply_score, review_save
from surveys.models import Survey, SurveyCredit
from surveys.tokens import survey_token
from tickets.models import (
    Attachment,
    Channel,
    Customer,
    EventKind,
    Macro,
    MessageKind,
    Queue,
    Status,
    Ticket,
    TicketEvent,
)
from tickets.services import ticket_create, ticket_note_add, ticket_reply
from tickets.services.attachments import AttachmentInput
from tickets.tokens import portal_token
from webhooks.models import Webhook

ROLES = ("anon", "cust_a", "cust_b", "agent_x", "agent_y", "mgr_x", "admin")

# Markers: each appears in exactly one side's data.
A_SUBJECT = "Zephyr export of alpha-side ALPHAMARK"
B_SUBJECT = "Zephyr invoice of bravo-side BRAVOMARK"
A_NOTE = "Internal ALPHANOTE do not tell the customer"
B_NOTE = "Internal BRAVONOTE do not tell the customer"
Y_QUEUE_NAME = "Yonder queue QYMARK"
Y_MACRO = "Yonder macro MACROYMARK"


def _file(name: str) -> list[AttachmentInput]:
    data = b"hello " + name.encode()
    return [AttachmentInput(filename=name, content_type="text/plain", data=data)]


@dataclass
class World:
    users: dict[str, User | None]
    team_x: Team
    team_y: Team
    queue_x: Queue
    queue_y: Queue
    customer_a: Customer
    customer_b: Customer
    ticket_a: Ticket
    ticket_b: Ticket
    ticket_b2: Ticket
    att_a: Attachment
    att_b: Attachment
    reply_att_a: Attachment
    note_att_a: Attachment
    note_att_b: Attachment
    macro_x: Macro
    macro_y: Macro
    score_x: ReplyScore
    score_y: ReplyScore
    review_x: Review
    review_y: Review
    survey_a: Survey
    survey_b: Survey
    token_b: ApiToken
    webhook: Webhook
    extra: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> User:
        user = self.users[role]
        assert user is not None
        return user

    @property
    def portal_token_a(self) -> str:
        return portal_token(self.customer_a)

    @property
    def used_portal_token_a(self) -> str:
        # Minted, then customer A signed in (as following any link does): it is spent.
        token = portal_token(self.customer_a)
        update_last_login(None, self.customer_a.user)
        return token

    @property
    def survey_token_a(self) -> str:
        return survey_token(self.survey_a.pk, rating=5)

    @property
    def forged_portal_token(self) -> str:
        # Customer B's id under a signature that was never issued.
        return portal_token(self.customer_b)[:-6] + "AAAAAA"

    @property
    def forged_survey_token(self) -> str:
        return survey_token(self.survey_b.pk)[:-6] + "AAAAAA"

    def visible_tickets(self, role: str) -> set[int]:
        """Ids of the world's tickets `role` may see, by the rules in docs/architecture.md."""
        a, b = self.ticket_a.pk, self.ticket_b.pk
        b2 = self.ticket_b2.pk
        return {
            "anon": set(),
            "cust_a": {a},
            "cust_b": {b, b2},
            "agent_x": {a},
            "agent_y": {b, b2},
            "mgr_x": {a},
            "admin": {a, b, b2},
        }[role]

    def forbidden_markers(self, role: str) -> list[str]:
        """Text `role` must never receive in any response."""
        a_side = [A_SUBJECT, A_NOTE, self.customer_a.user.email]
        b_side = [B_SUBJECT, B_NOTE, self.customer_b.user.email, Y_QUEUE_NAME, Y_MACRO]
        return {
            "anon": a_side + b_side,
            "cust_a": [A_NOTE, *b_side],
            "cust_b": [B_NOTE, Y_MACRO, *a_side],
            "agent_x": b_side,
            "agent_y": a_side,
            "mgr_x": b_side,
            "admin": [],
        }[role]


def _survey(ticket: Ticket, agent: User) -> Survey:
    now = timezone.now()
    resolution = TicketEvent.objects.create(
        ticket=ticket,
        kind=EventKind.STATUS_CHANGED,
        data={"from": Status.OPEN, "to": Status.RESOLVED},
        created_at=now,
        dispatched_at=now,
    )
    survey = Survey.objects.create(
        ticket=ticket,
        resolution_event=resolution,
        customer_id=ticket.requester_id,
        queue_id=ticket.queue_id,
        state=Survey.State.SENT,
        resolved_at=now,
        send_after=now,
        sent_at=now,
        rating=2,
    )
    SurveyCredit.objects.create(survey=survey, agent=agent)
    return survey


def _user(role: str, first_name: str, **fields: Any) -> User:
    user = User.objects.create_user(
        username=f"sec-{first_name.lower()}",
        email=f"{first_name.lower()}@{role}.example.com",
        password="pw-for-tests-1",
        first_name=first_name,
        last_name="Tester",
        **fields,
    )
    user.role = role
    user.save(update_fields=["role"])
    return user


def build_world() -> World:
    team = Team.objects.create(name="Support X", slug="sec-support-x")
    other_team = Team.objects.create(name="Support Y", slug="sec-support-y")
    queue = Queue.objects.create(slug="sec-general", name="General", team=team)
    other_queue = Queue.objects.create(slug="sec-billing", name=Y_QUEUE_NAME, team=other_team)
    agent = _user(Role.AGENT, "Alex")
    other_agent = _user(Role.AGENT, "Yara")
    manager = _user(Role.MANAGER, "Morgan")
    admin_user = _user(Role.ADMIN, "Ada", is_staff=True, is_superuser=True)
    queue.agents.add(agent)
    team.members.add(agent)
    other_queue.agents.add(other_agent)
    other_team.members.add(other_agent)
    team.managers.add(manager)
    customer = Customer.objects.create(user=_user(Role.CUSTOMER, "Casey"))
    other_customer = Customer.objects.create(user=_user(Role.CUSTOMER, "Robin"))
    ticket_a = ticket_create(
        requester=customer,
        queue=queue,
        subject=A_SUBJECT,
        body="The export stops. Customer alpha text.",
        channel=Channel.WEB,
        attachments=_file("a-upload.txt"),
    )
    ticket_b = ticket_create(
        requester=other_customer,
        queue=other_queue,
        subject=B_SUBJECT,
        body="The invoice is wrong. Customer bravo text.",
        channel=Channel.WEB,
        attachments=_file("b-upload.txt"),
    )
    ticket_b2 = ticket_create(
        requester=other_customer,
        queue=other_queue,
        subject="Second bravo ticket BRAVOMARK",
        body="Another bravo question.",
        channel=Channel.WEB,
    )
    reply_a = ticket_reply(
        ticket=ticket_a,
        author=agent,
        body="I understand how frustrating this is. We fixed the export.",
        attachments=_file("a-reply.txt"),
    )
    reply_b = ticket_reply(
        ticket=ticket_b, author=other_agent, body="Sorry about the invoice, fixed it."
    )
    note_a = ticket_note_add(
        ticket=ticket_a, author=agent, body=A_NOTE, attachments=_file("a-note.txt")
    )
    note_b = ticket_note_add(
        ticket=ticket_b, author=other_agent, body=B_NOTE, attachments=_file("b-note.txt")
    )
    score_x = reply_score(message=reply_a)
    score_y = reply_score(message=reply_b)
    assert score_x is not None
    assert score_y is not None
    levels: dict[str, int | None] = {"listening": 2, "validation": 2, "reflection": 1, "tone": 2}
    review_x = review_save(
        score=score_x, reviewer=manager, levels=levels, feedback="Nice.", exemplary=False
    )
    # Exemplary on the Y side: agent X's own page must still not show it.
    review_y = review_save(
        score=score_y, reviewer=admin_user, levels=levels, feedback="Great.", exemplary=True
    )
    # A challenging, resolved ticket agent X answered: the one thing X may reflect on.
    Ticket.objects.filter(pk=ticket_a.pk).update(challenging=True, resolved_at=timezone.now())
    for ticket in (ticket_a, ticket_b, ticket_b2):
        ticket.refresh_from_db()  # forms post the current version
    token_b, _ = api_token_create(user=other_customer.user, name="bravo token")
    first = Attachment.objects.filter
    return World(
        users={
            "anon": None,
            "cust_a": customer.user,
            "cust_b": other_customer.user,
            "agent_x": agent,
            "agent_y": other_agent,
            "mgr_x": manager,
            "admin": admin_user,
        },
        team_x=team,
        team_y=other_team,
        queue_x=queue,
        queue_y=other_queue,
        customer_a=customer,
        customer_b=other_customer,
        ticket_a=ticket_a,
        ticket_b=ticket_b,
        ticket_b2=ticket_b2,
        att_a=first(message__ticket=ticket_a, message__kind=MessageKind.CUSTOMER).get(),
        att_b=first(message__ticket=ticket_b, message__kind=MessageKind.CUSTOMER).get(),
        reply_att_a=first(message=reply_a).get(),
        note_att_a=first(message=note_a).get(),
        note_att_b=first(message=note_b).get(),
        macro_x=Macro.objects.create(name="Alpha macro", body="Hello", queue=queue),
        macro_y=Macro.objects.create(name=Y_MACRO, body="Yonder text", queue=other_queue),
        score_x=score_x,
        score_y=score_y,
        review_x=review_x,
        review_y=review_y,
        survey_a=_survey(ticket_a, agent),
        survey_b=_survey(ticket_b, other_agent),
        token_b=token_b,
        webhook=Webhook.objects.create(
            url="https://hooks.example.com/in", events=["ticket.created"], secret="s" * 64
        ),
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once per module inside a transaction that is rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so tests cannot see
    each other's writes; building the world once keeps the tier fast.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        sessions: dict[str, str] = {}
        for role, user in built.users.items():
            if user is not None:
                client = Client()
                client.force_login(user)
                sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        built.extra["sessions"] = sessions
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def role_client(world: World, db: None) -> Callable[..., Client]:
    """A client signed in as `role` (its session was created with the world)."""

    def make(role: str, **kwargs: Any) -> Client:
        client = Client(**kwargs)
        if role in world.extra["sessions"]:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.extra["sessions"][role]
        return client

    return make
