"""Realistic demo content for Attune: organisations, people, queues, macros and conversations.

This module is plain data. It has no Django imports and no side effects, so it can be imported
from anywhere (a management command, a test, a notebook) without a configured project.

Shape
-----
The demo world is a fictional software vendor whose support team uses Attune. Its customers
belong to fictional organisations and write in about billing, technical problems, access and
general questions.

* ``TEAMS`` own ``QUEUES`` (``Queue.team`` is a ``Team.key``).
* ``AGENTS`` and ``MANAGERS`` are support staff; ``STAFF`` is both together. Each belongs to one
  team and works one or more queues (``Agent.queues`` holds ``Queue.slug`` values).
* ``ORGANISATIONS`` are customer companies; each ``Customer.organisation`` is an
  ``Organisation.key`` and the customer's e-mail address is at that organisation's domain.
* ``MACROS`` are canned responses. Their bodies, and some scenario turns, contain the placeholders
  listed in ``PLACEHOLDERS``; ``fill_placeholders`` substitutes them.
* ``SCENARIOS`` (defined in ``tickets.demo_scenarios`` and re-exported here) are conversation
  templates: a queue, subject, urgency, channel, a tuple of ``Turn`` objects (customer first,
  then agent replies and internal notes), the status the ticket ends in, an optional ``Survey``
  and tags. Scenarios are deliberately not tied to a customer.

A loader builds a few hundred tickets by combining scenarios with customers (a scenario with
``language`` other than ``"en"`` should go to a customer speaking that language), picking an
agent who works the scenario's queue, and spreading creation and reply timestamps over recent
weeks in the customer's time zone. The agent replies range on purpose from cold and robotic to
warm and attentive (see ``Scenario.agent_tone``) so that every screen of the product, and the
empathy features in particular, has something real to show.

All names, companies and domains are invented; every domain ends in ``.example``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tickets.demo_scenarios import (
    SCENARIOS,
    Channel,
    Role,
    Scenario,
    Status,
    Survey,
    SurveyReason,
    Tone,
    Turn,
    Urgency,
)

__all__ = [
    "AGENTS",
    "CUSTOMERS",
    "MACROS",
    "MANAGERS",
    "ORGANISATIONS",
    "PLACEHOLDERS",
    "QUEUES",
    "SCENARIOS",
    "STAFF",
    "STAFF_DOMAIN",
    "TEAMS",
    "Agent",
    "Channel",
    "Customer",
    "Macro",
    "Organisation",
    "Queue",
    "Role",
    "Scenario",
    "Status",
    "Survey",
    "SurveyReason",
    "Team",
    "Tier",
    "Tone",
    "Turn",
    "Urgency",
    "fill_placeholders",
]

Tier = Literal["standard", "premium", "vip"]

#: E-mail domain of the fictional vendor's support staff.
STAFF_DOMAIN = "support.example"

#: Every placeholder that may appear in a macro body or a scenario turn.
PLACEHOLDERS: tuple[str, ...] = (
    "{{ customer.first_name }}",
    "{{ ticket.number }}",
    "{{ agent.first_name }}",
)

_PLACEHOLDER_RE = re.compile(
    r"\{\{\s*(customer\.first_name|ticket\.number|agent\.first_name)\s*\}\}"
)


def fill_placeholders(
    text: str, *, customer_first_name: str, agent_first_name: str, ticket_number: str | int
) -> str:
    """Return ``text`` with the ``PLACEHOLDERS`` replaced by the given values."""
    values = {
        "customer.first_name": customer_first_name,
        "agent.first_name": agent_first_name,
        "ticket.number": str(ticket_number),
    }
    return _PLACEHOLDER_RE.sub(lambda match: values[match.group(1)], text)


# --------------------------------------------------------------------------------------------
# Types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Organisation:
    key: str
    name: str
    domain: str
    tier: Tier


@dataclass(frozen=True, kw_only=True, slots=True)
class Customer:
    first_name: str
    last_name: str
    email: str
    organisation: str  # Organisation.key
    time_zone: str  # IANA name, e.g. "Europe/Berlin"
    language: str = "en"  # ISO 639-1; matches Scenario.language


@dataclass(frozen=True, kw_only=True, slots=True)
class Team:
    key: str
    name: str
    description: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Queue:
    slug: str
    name: str
    description: str
    team: str  # Team.key


@dataclass(frozen=True, kw_only=True, slots=True)
class Agent:
    username: str
    first_name: str
    last_name: str
    email: str
    team: str  # Team.key
    queues: tuple[str, ...]  # Queue.slug values
    is_manager: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class Macro:
    key: str
    name: str
    body: str
    queue: str | None = None  # Queue.slug it is most useful in; None for any queue


# --------------------------------------------------------------------------------------------
# Organisations and customers
# --------------------------------------------------------------------------------------------

ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation(
        key="lumen-rye", name="Lumen & Rye Bakery", domain="lumenrye.example", tier="standard"
    ),
    Organisation(
        key="harbourline", name="Harbourline Freight", domain="harbourline.example", tier="premium"
    ),
    Organisation(
        key="quillwork", name="Quillwork Studio", domain="quillwork.example", tier="standard"
    ),
    Organisation(
        key="orchard-lane", name="Orchard Lane Clinic", domain="orchardlane.example", tier="vip"
    ),
    Organisation(
        key="tessellate", name="Tessellate Analytics", domain="tessellate.example", tier="premium"
    ),
    Organisation(
        key="kestrel", name="Kestrel Outdoor Co.", domain="kestreloutdoor.example", tier="standard"
    ),
    Organisation(key="mirador", name="Hoteles Mirador", domain="mirador.example", tier="vip"),
    Organisation(
        key="bluefen", name="Bluefen Energy Cooperative", domain="bluefen.example", tier="premium"
    ),
    Organisation(
        key="hanami-print", name="Hanami Print Works", domain="hanamiprint.example", tier="standard"
    ),
    Organisation(key="kalinda", name="Kalinda Learning", domain="kalinda.example", tier="standard"),
    Organisation(
        key="brightwater", name="Brightwater Legal LLP", domain="brightwater.example", tier="vip"
    ),
    Organisation(
        key="papaya-labs", name="Papaya Labs", domain="papayalabs.example", tier="standard"
    ),
)

_DOMAINS: dict[str, str] = {org.key: org.domain for org in ORGANISATIONS}


def _customer(
    first_name: str,
    last_name: str,
    local_part: str,
    organisation: str,
    time_zone: str,
    language: str = "en",
) -> Customer:
    return Customer(
        first_name=first_name,
        last_name=last_name,
        email=f"{local_part}@{_DOMAINS[organisation]}",
        organisation=organisation,
        time_zone=time_zone,
        language=language,
    )


CUSTOMERS: tuple[Customer, ...] = (
    _customer("Amara", "Okafor", "amara.okafor", "lumen-rye", "Europe/London"),
    _customer("Tom", "Hendricks", "tom", "lumen-rye", "Europe/London"),
    _customer("Priya", "Raman", "priya.raman", "lumen-rye", "Europe/London"),
    _customer("Jan", "de Vries", "j.devries", "harbourline", "Europe/Amsterdam"),
    _customer("Fatima", "El Amrani", "fatima.elamrani", "harbourline", "Europe/Amsterdam"),
    _customer("Lukas", "Becker", "lukas.becker", "harbourline", "Europe/Berlin", "de"),
    _customer("Chloé", "Tremblay", "chloe", "quillwork", "America/Toronto"),
    _customer("Marcus", "Reid", "marcus.reid", "quillwork", "America/Toronto"),
    _customer("Ji-woo", "Park", "jiwoo.park", "quillwork", "America/Vancouver"),
    _customer("Keisha", "Washington", "kwashington", "orchard-lane", "America/Chicago"),
    _customer("Mateo", "Hernández", "mateo.hernandez", "orchard-lane", "America/Chicago"),
    _customer("Ellen", "Nakamura", "ellen.nakamura", "orchard-lane", "America/Chicago"),
    _customer("Jonas", "Weber", "jonas.weber", "tessellate", "Europe/Berlin", "de"),
    _customer("Anneliese", "Krüger", "a.krueger", "tessellate", "Europe/Berlin", "de"),
    _customer("Dmitri", "Volkov", "dmitri.volkov", "tessellate", "Europe/Berlin"),
    _customer("Nour", "Haddad", "nour.haddad", "tessellate", "Asia/Beirut"),
    _customer("Sam", "Whitehorse", "sam.whitehorse", "kestrel", "America/Denver"),
    _customer("Rosa", "Delgado", "rosa.delgado", "kestrel", "America/Denver"),
    _customer("Connor", "Byrne", "connor.byrne", "kestrel", "America/Denver"),
    _customer("Lucía", "Fernández", "lucia.fernandez", "mirador", "Europe/Madrid", "es"),
    _customer("Javier", "Morales", "javier.morales", "mirador", "Europe/Madrid", "es"),
    _customer("Inês", "Carvalho", "ines.carvalho", "mirador", "Europe/Lisbon"),
    _customer("Søren", "Lindqvist", "soren.lindqvist", "bluefen", "Europe/Copenhagen"),
    _customer("Dagný", "Þórsdóttir", "dagny.thorsdottir", "bluefen", "Atlantic/Reykjavik"),
    _customer("Hannah", "Olsen", "hannah.olsen", "bluefen", "Europe/Oslo"),
    _customer("Yuki", "Tanaka", "yuki.tanaka", "hanami-print", "Asia/Tokyo"),
    _customer("Haruto", "Sato", "haruto.sato", "hanami-print", "Asia/Tokyo"),
    _customer("Mei", "Lin", "mei.lin", "hanami-print", "Asia/Shanghai"),
    _customer("Grace", "Nguyen", "grace.nguyen", "kalinda", "Australia/Sydney"),
    _customer("Liam", "O'Connor", "liam.oconnor", "kalinda", "Australia/Sydney"),
    _customer("Aroha", "Ngata", "aroha.ngata", "kalinda", "Pacific/Auckland"),
    _customer("Wanjiru", "Kamau", "wanjiru.kamau", "kalinda", "Africa/Nairobi"),
    _customer("Olivia", "Goldberg", "ogoldberg", "brightwater", "America/New_York"),
    _customer("Rahul", "Mehta", "rahul.mehta", "brightwater", "America/New_York"),
    _customer("Adaeze", "Nwosu", "adaeze.nwosu", "brightwater", "America/New_York"),
    _customer("Thiago", "Souza", "thiago", "papaya-labs", "America/Sao_Paulo"),
    _customer("Camila", "Rojas", "camila.rojas", "papaya-labs", "America/Bogota", "es"),
    _customer("Kwame", "Mensah", "kwame.mensah", "papaya-labs", "Africa/Accra"),
    _customer("Ayşe", "Yılmaz", "ayse.yilmaz", "papaya-labs", "Europe/Istanbul"),  # noqa: RUF001
    _customer("Arjun", "Iyer", "arjun.iyer", "papaya-labs", "Asia/Kolkata"),
)

# --------------------------------------------------------------------------------------------
# Teams, queues and staff
# --------------------------------------------------------------------------------------------

TEAMS: tuple[Team, ...] = (
    Team(
        key="billing-accounts",
        name="Billing & Accounts",
        description="Invoices, payments, refunds, plan changes, sign-in and account ownership.",
    ),
    Team(
        key="technical",
        name="Technical",
        description="Bugs, outages, performance, integrations, the API and how-to questions.",
    ),
)

QUEUES: tuple[Queue, ...] = (
    Queue(
        slug="billing",
        name="Billing",
        description="Invoices, charges, refunds, discounts and changes to a plan or seat count.",
        team="billing-accounts",
    ),
    Queue(
        slug="technical",
        name="Technical support",
        description="Something is broken, slow or behaving unexpectedly; API and integrations.",
        team="technical",
    ),
    Queue(
        slug="accounts",
        name="Accounts & access",
        description="Sign-in trouble, two-factor, security worries, ownership and data requests.",
        team="billing-accounts",
    ),
    Queue(
        slug="general",
        name="General questions",
        description="Getting started, feature requests, feedback and anything else.",
        team="technical",
    ),
)


def _staff(
    first_name: str,
    last_name: str,
    team: str,
    queues: tuple[str, ...],
    *,
    is_manager: bool = False,
) -> Agent:
    username = f"{first_name}.{last_name}".lower().replace("á", "a").replace(" ", "")
    return Agent(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@{STAFF_DOMAIN}",
        team=team,
        queues=queues,
        is_manager=is_manager,
    )


AGENTS: tuple[Agent, ...] = (
    _staff("Nadia", "Karimi", "billing-accounts", ("billing", "accounts")),
    _staff("Ben", "Osei", "billing-accounts", ("billing",)),
    _staff("Carla", "Mendes", "billing-accounts", ("billing", "accounts", "general")),
    _staff("Ravi", "Subramanian", "billing-accounts", ("accounts",)),
    _staff("Oskar", "Lindgren", "technical", ("technical",)),
    _staff("Mariam", "Aziz", "technical", ("technical", "general")),
    _staff("Tomás", "Rivera", "technical", ("technical", "accounts")),
    _staff("Emeka", "Obi", "technical", ("general", "technical")),
)

MANAGERS: tuple[Agent, ...] = (
    _staff("Helen", "Brandt", "billing-accounts", ("billing", "accounts"), is_manager=True),
    _staff("Kenji", "Morimoto", "technical", ("technical", "general"), is_manager=True),
)

STAFF: tuple[Agent, ...] = AGENTS + MANAGERS

# --------------------------------------------------------------------------------------------
# Macros
# --------------------------------------------------------------------------------------------

MACROS: tuple[Macro, ...] = (
    Macro(
        key="asking-for-details",
        name="Asking for details",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "Thanks for telling us about this. I want to make sure I get it right the first time, "
            "so could you tell me a bit more about what you were doing when it happened, and what "
            "you expected to see instead? A screenshot helps too, if it's easy to grab.\n\n"
            "I'm keeping ticket {{ ticket.number }} with me, so just reply here.\n\n"
            "{{ agent.first_name }}"
        ),
    ),
    Macro(
        key="refund-issued",
        name="Refund issued",
        queue="billing",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "I've issued the refund to the card you paid with. Depending on your bank it can take "
            "3 to 5 business days to appear, and it will show with the same reference as the "
            "original charge. I'm sorry you had to chase this.\n\n"
            "If it hasn't arrived by the end of next week, reply to ticket {{ ticket.number }} and "
            "I'll trace it with our payment provider.\n\n"
            "{{ agent.first_name }}"
        ),
    ),
    Macro(
        key="password-reset-steps",
        name="Password reset steps",
        queue="accounts",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "Being locked out is stressful, so here is the quickest way back in:\n"
            "1. Open the sign-in page and choose 'Forgot password'.\n"
            "2. Enter your work e-mail address and look for our message (check spam too).\n"
            "3. The link works for 30 minutes; pick a new password and sign in.\n\n"
            "If the e-mail doesn't arrive within ten minutes, reply here and I'll reset it for you "
            "directly.\n\n"
            "{{ agent.first_name }}"
        ),
    ),
    Macro(
        key="escalated-to-engineering",
        name="Escalated to engineering",
        queue="technical",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "Thank you for your patience while we dug into this. I've reproduced the problem and "
            "passed it to our engineering team with everything you sent, so you won't need to "
            "explain it again.\n\n"
            "I'll stay your point of contact and update ticket {{ ticket.number }} as soon as I "
            "hear back, and in any case within two working days.\n\n"
            "{{ agent.first_name }}"
        ),
    ),
    Macro(
        key="outage-acknowledged",
        name="Outage acknowledged",
        queue="technical",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "You're right, something is wrong on our side and I'm sorry it's getting in the way of "
            "your work. Our engineers are on it now. I'll post an update on this ticket every 30 "
            "minutes until it's fixed, even if the update is 'still working on it'.\n\n"
            "{{ agent.first_name }}"
        ),
    ),
    Macro(
        key="checking-in",
        name="Checking in",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "I wanted to check in on ticket {{ ticket.number }}. Did the last suggestion help, or "
            "is something still not working the way you need? No rush; I'll keep this open for "
            "another week.\n\n"
            "{{ agent.first_name }}"
        ),
    ),
    Macro(
        key="feature-request-logged",
        name="Feature request logged",
        queue="general",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "Thank you for taking the time to describe how you'd use this. I've added your "
            "request, in your words, to our product board, where the team reviews it every "
            "month. I can't "
            "promise a date, but I'll update ticket {{ ticket.number }} if it gets scheduled.\n\n"
            "{{ agent.first_name }}"
        ),
    ),
    Macro(
        key="data-request-received",
        name="Data request received",
        queue="accounts",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "We've received your data protection request and logged it as ticket "
            "{{ ticket.number }}. We'll complete it within 30 days, and usually much sooner. To "
            "keep your data safe we may ask you to confirm your identity first.\n\n"
            "{{ agent.first_name }}"
        ),
    ),
    Macro(
        key="closing-warmly",
        name="Closing with a thank-you",
        body=(
            "Hi {{ customer.first_name }},\n\n"
            "I'm glad that's sorted. I'll close ticket {{ ticket.number }} now, but if anything "
            "comes up again, just reply and it will come straight back to me.\n\n"
            "Thanks for your patience,\n{{ agent.first_name }}"
        ),
    ),
)
