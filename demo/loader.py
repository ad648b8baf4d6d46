"""Turn tickets.demo_content into a living help desk, through the same services as users.

Every ticket, reply and status change goes through tickets.services, so the demo
data has the events, SLA deadlines and priority scores real use would give it. The
timestamps are then spread over recent weeks so dashboards and timelines look lived in.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Role, Team, User
from surveys.models import Survey
from surveys.services import survey_answer
from tickets import demo_content as demo
from tickets.models import (
    AgentProfile,
    Channel,
    Customer,
    Macro,
    Message,
    Organisation,
    Queue,
    Status,
    Ticket,
    TicketEvent,
)
from tickets.services import (
    ticket_change_status,
    ticket_create,
    ticket_customer_reply,
    ticket_note_add,
    ticket_refresh,
    ticket_reply,
)

DEMO_PASSWORD = "attune-demo"  # noqa: S105 - printed for the demo on purpose
TICKETS_PER_SCENARIO = 5


def demo_loaded() -> bool:
    return Ticket.objects.exists()


def load_demo(*, seed: int = 7, per_scenario: int = TICKETS_PER_SCENARIO) -> dict[str, str]:
    """Create the demo world; returns the demo logins (role -> username)."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER=True,
        # Demo customers file many tickets; survey every resolution and keep them open.
        ATTUNE_SURVEY_COOLDOWN_DAYS=0,
        ATTUNE_SURVEY_EDIT_DAYS=3650,
    ):
        with transaction.atomic():
            staff, customers = _people()
        for _round in range(per_scenario):
            # One transaction per round: SQLite's per-commit fsync would otherwise dominate.
            made: list[tuple[Ticket, demo.Scenario]] = []
            with transaction.atomic():
                for scenario in demo.SCENARIOS:
                    pool = [c for lang, c in customers if lang == scenario.language] or [
                        c for _, c in customers
                    ]
                    made.append((_ticket_from(scenario, rng.choice(pool), staff, rng), scenario))
            # Surveys were scheduled by the outbox on commit; send and answer them now.
            for ticket, scenario in made:
                if scenario.survey is not None:
                    _answer_survey(ticket, scenario.survey)
    agent = demo.AGENTS[0].username
    manager = demo.MANAGERS[0].username
    customer_user = customers[0][1].user.username
    return {"admin": "admin", "manager": manager, "agent": agent, "customer": customer_user}


def _people() -> tuple[dict[str, User], list[tuple[str, Customer]]]:
    # Hash once: PBKDF2 for ~50 demo users would take longer than the rest of the demo.
    hashed = make_password(DEMO_PASSWORD)
    User.objects.create(
        username="admin",
        email="admin@support.example",
        password=hashed,
        first_name="Ada",
        last_name="Admin",
        role=Role.ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    teams = {t.key: Team.objects.create(name=t.name, slug=t.key) for t in demo.TEAMS}
    queues = {
        q.slug: Queue.objects.create(
            slug=q.slug,
            name=q.name,
            description=q.description,
            team=teams[q.team],
            auto_assign=q.slug == "general",
        )
        for q in demo.QUEUES
    }
    staff: dict[str, User] = {}
    for person in demo.STAFF:
        user = User.objects.create(
            username=person.username,
            email=person.email,
            password=hashed,
            first_name=person.first_name,
            last_name=person.last_name,
            role=Role.MANAGER if person.is_manager else Role.AGENT,
        )
        team = teams[person.team]
        team.members.add(user)
        if person.is_manager:
            team.managers.add(user)
        for slug in person.queues:
            queues[slug].agents.add(user)
        AgentProfile.objects.create(user=user)
        staff[person.username] = user
    for m in demo.MACROS:
        Macro.objects.create(
            name=m.name, body=m.body, queue=queues.get(m.queue) if m.queue else None
        )
    orgs = {
        o.key: Organisation.objects.create(name=o.name, domain=o.domain, tier=o.tier)
        for o in demo.ORGANISATIONS
    }
    customers: list[tuple[str, Customer]] = []
    for c in demo.CUSTOMERS:
        user = User.objects.create(
            username=c.email,
            email=c.email,
            password=hashed,
            first_name=c.first_name,
            last_name=c.last_name,
            role=Role.CUSTOMER,
        )
        customer = Customer.objects.create(
            user=user, organisation=orgs[c.organisation], timezone=c.time_zone
        )
        customers.append((c.language, customer))
    return staff, customers


def _ticket_from(
    scenario: demo.Scenario,
    customer: Customer,
    staff: dict[str, User],
    rng: random.Random,
) -> Ticket:
    queue = Queue.objects.get(slug=scenario.queue)
    agents = [u for u in staff.values() if queue.agents.filter(pk=u.pk).exists()]
    agent = rng.choice(agents)
    first = scenario.messages[0]
    ticket = ticket_create(
        requester=customer,
        subject=scenario.subject,
        body=first.text,
        channel=scenario.channel,
        urgency=scenario.urgency,
        queue=queue,
        created_by=agent if scenario.channel == "agent" else None,
        tags=scenario.tags,
    )

    def fill(text: str) -> str:
        return demo.fill_placeholders(
            text,
            customer_first_name=customer.user.first_name,
            agent_first_name=agent.first_name,
            ticket_number=ticket.pk,
        )

    for turn in scenario.messages[1:]:
        if turn.role == "customer":
            ticket_customer_reply(
                ticket=ticket, customer=customer, body=fill(turn.text), channel=Channel.EMAIL
            )
        elif turn.role == "agent":
            ticket_reply(ticket=ticket, author=agent, body=fill(turn.text))
        else:
            ticket_note_add(ticket=ticket, author=agent, body=fill(turn.text))
    ticket.refresh_from_db()
    if scenario.final_status != ticket.status:
        # Closing goes through "resolved", as it would in the workspace.
        path: list[str] = (
            [Status.RESOLVED, Status.CLOSED]
            if scenario.final_status == "closed"
            else [scenario.final_status]
        )
        for status in path:
            if status != ticket.status:
                ticket = ticket_change_status(ticket=ticket, actor=agent, status=status)
    # Open work is recent; finished tickets spread over six weeks for the dashboards.
    done = scenario.final_status in ("resolved", "closed")
    _age(ticket, days=rng.uniform(2, 42) if done else rng.uniform(0.1, 4), rng=rng)
    return ticket


def _answer_survey(ticket: Ticket, answer: demo.Survey) -> None:
    survey = Survey.objects.filter(ticket=ticket, state=Survey.State.SCHEDULED).first()
    if survey is None:
        return
    # Sent an hour after resolution, as the real dispatcher would have done.
    Survey.objects.filter(pk=survey.pk).update(state=Survey.State.SENT, sent_at=survey.send_after)
    survey.refresh_from_db()
    survey_answer(
        survey=survey,
        rating=answer.rating,
        understood=answer.understood,
        comment=answer.comment,
        reason=answer.reason or "",
    )
    Survey.objects.filter(pk=survey.pk).update(answered_at=survey.send_after + timedelta(hours=5))


def _age(ticket: Ticket, *, days: float, rng: random.Random) -> None:
    """Move a freshly made ticket into the past, with realistic gaps between its steps.

    The services stamped everything "now", milliseconds apart; each distinct original
    instant is mapped to a new one, so messages, events, SLA fields and pauses that
    happened together still line up.
    """
    originals: set[datetime] = set()
    for model in (Message, TicketEvent):
        originals.update(model.objects.filter(ticket=ticket).values_list("created_at", flat=True))
    ordered = sorted(originals)
    start = timezone.now() - timedelta(days=days)
    mapping: dict[datetime, datetime] = {}
    at = start
    # Keep the whole history in the past: gaps shrink for tickets aged only hours.
    longest_gap = min(9 * 60.0, days * 24 * 60 / (len(ordered) + 1))
    for original in ordered:
        mapping[original] = at
        at += timedelta(minutes=rng.uniform(longest_gap / 3, longest_gap))

    def moved(value: datetime) -> datetime:
        earlier = [o for o in ordered if o <= value]
        return mapping[earlier[-1]] if earlier else start

    with transaction.atomic():
        for model in (Message, TicketEvent):
            for row in model.objects.filter(ticket=ticket):
                row.created_at = moved(row.created_at)
                row.save(update_fields=["created_at"])
        t = (
            Ticket.objects.select_for_update()
            .select_related("requester__organisation", "queue")
            .get(pk=ticket.pk)
        )
        fields = ["created_at", "updated_at", "sla_pauses"]
        t.created_at = start
        t.updated_at = moved(t.updated_at)
        for name in ("first_responded_at", "resolved_at", "awaiting_reply_since"):
            value = getattr(t, name)
            if value is not None:
                setattr(t, name, moved(value))
                fields.append(name)
        t.sla_pauses = [
            [
                moved(datetime.fromisoformat(a)).isoformat(),
                moved(datetime.fromisoformat(b)).isoformat() if b else None,
            ]
            for a, b in t.sla_pauses
        ]
        fields.extend(ticket_refresh(t))
        t.save(update_fields=fields)
