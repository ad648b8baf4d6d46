"""Structural checks for the demo content the demo-data loader turns into tickets."""

from __future__ import annotations

import re
import zoneinfo
from collections import Counter
from dataclasses import FrozenInstanceError
from typing import get_args

import pytest

from tickets.demo_content import (
    AGENTS,
    CUSTOMERS,
    MACROS,
    MANAGERS,
    ORGANISATIONS,
    PLACEHOLDERS,
    QUEUES,
    SCENARIOS,
    STAFF,
    STAFF_DOMAIN,
    TEAMS,
    Channel,
    Role,
    Status,
    SurveyReason,
    Tier,
    Tone,
    Turn,
    Urgency,
    fill_placeholders,
)

QUEUE_SLUGS = {queue.slug for queue in QUEUES}
TEAM_KEYS = {team.key for team in TEAMS}
ORG_DOMAINS = {org.key: org.domain for org in ORGANISATIONS}

WARM_MARKERS = ("understand", "frustrat")
COLD_MARKERS = ("should have", "as stated", "inconvenience", "just")


def _all_texts() -> list[str]:
    texts = [turn.text for scenario in SCENARIOS for turn in scenario.messages]
    texts += [scenario.subject for scenario in SCENARIOS]
    texts += [s.survey.comment for s in SCENARIOS if s.survey is not None]
    texts += [macro.body for macro in MACROS] + [macro.name for macro in MACROS]
    texts += [queue.description for queue in QUEUES] + [team.description for team in TEAMS]
    return texts


def _agent_turns() -> list[str]:
    return [t.text.lower() for s in SCENARIOS for t in s.messages if t.role == "agent"]


# --- organisations, customers, staff -----------------------------------------------------------


def test_organisations_are_unique_fictional_and_tiered() -> None:
    assert 10 <= len(ORGANISATIONS) <= 15
    assert len({org.key for org in ORGANISATIONS}) == len(ORGANISATIONS)
    assert len(set(ORG_DOMAINS.values())) == len(ORGANISATIONS)
    for org in ORGANISATIONS:
        assert org.domain.endswith(".example"), org
        assert org.tier in get_args(Tier), org
    assert {org.tier for org in ORGANISATIONS} == set(get_args(Tier))


def test_every_customer_belongs_to_an_existing_organisation() -> None:
    assert 35 <= len(CUSTOMERS) <= 50
    for customer in CUSTOMERS:
        assert customer.organisation in ORG_DOMAINS, customer


def test_customer_emails_are_unique_and_at_their_organisation_domain() -> None:
    emails = [customer.email for customer in CUSTOMERS]
    assert len(set(emails)) == len(emails)
    for customer in CUSTOMERS:
        local, _, domain = customer.email.partition("@")
        assert local, customer
        assert domain == ORG_DOMAINS[customer.organisation], customer
        assert domain.endswith(".example"), customer
        assert customer.email.isascii(), customer


def test_customer_time_zones_are_real_iana_names() -> None:
    for customer in CUSTOMERS:
        zoneinfo.ZoneInfo(customer.time_zone)  # raises if unknown
    assert len({customer.time_zone for customer in CUSTOMERS}) >= 15


def test_customer_names_are_diverse_and_include_unicode() -> None:
    assert any(not (c.first_name + c.last_name).isascii() for c in CUSTOMERS)
    assert len({c.last_name for c in CUSTOMERS}) == len(CUSTOMERS)


def test_every_non_english_scenario_has_a_customer_speaking_its_language() -> None:
    languages = {customer.language for customer in CUSTOMERS}
    scenario_languages = {scenario.language for scenario in SCENARIOS}
    assert scenario_languages <= languages
    assert len(scenario_languages - {"en"}) >= 2


def test_teams_own_queues_and_staff_work_existing_queues() -> None:
    assert 3 <= len(QUEUES) <= 4
    assert len(QUEUE_SLUGS) == len(QUEUES)
    for queue in QUEUES:
        assert queue.team in TEAM_KEYS, queue
    assert {queue.team for queue in QUEUES} == TEAM_KEYS
    for member in STAFF:
        assert member.team in TEAM_KEYS, member
        assert member.queues, member
        assert set(member.queues) <= QUEUE_SLUGS, member
    for slug in QUEUE_SLUGS:
        assert any(slug in agent.queues for agent in AGENTS), slug


def test_staff_are_unique_with_one_manager_per_team() -> None:
    assert 7 <= len(AGENTS) <= 10
    assert STAFF == AGENTS + MANAGERS
    assert all(m.is_manager for m in MANAGERS)
    assert not any(a.is_manager for a in AGENTS)
    assert sorted(m.team for m in MANAGERS) == sorted(TEAM_KEYS)
    assert len({m.username for m in STAFF}) == len(STAFF)
    assert len({m.email for m in STAFF}) == len(STAFF)
    for member in STAFF:
        assert re.fullmatch(r"[a-z0-9._-]+", member.username), member
        assert member.email == f"{member.username}@{STAFF_DOMAIN}"
    customer_emails = {customer.email for customer in CUSTOMERS}
    assert customer_emails.isdisjoint(member.email for member in STAFF)


# --- macros and placeholders -------------------------------------------------------------------


def test_macros_are_unique_and_use_only_known_placeholders() -> None:
    assert len(MACROS) >= 8
    assert len({macro.key for macro in MACROS}) == len(MACROS)
    for macro in MACROS:
        assert macro.queue is None or macro.queue in QUEUE_SLUGS, macro
        assert "{{ customer.first_name }}" in macro.body, macro.key
        assert "{{ agent.first_name }}" in macro.body, macro.key


def test_texts_use_only_known_placeholders() -> None:
    for text in _all_texts():
        for placeholder in re.findall(r"\{\{.*?\}\}", text):
            assert placeholder in PLACEHOLDERS, (placeholder, text)
        assert "{{" not in re.sub(r"\{\{.*?\}\}", "", text), text


def test_fill_placeholders_replaces_every_placeholder() -> None:
    filled = fill_placeholders(
        "Hi {{ customer.first_name }}, ticket {{ ticket.number }}. {{agent.first_name}}",
        customer_first_name="Dagný",
        agent_first_name="Nadia",
        ticket_number=1042,
    )
    assert filled == "Hi Dagný, ticket 1042. Nadia"
    for macro in MACROS:
        rendered = fill_placeholders(
            macro.body, customer_first_name="A", agent_first_name="B", ticket_number="C"
        )
        assert "{" not in rendered


# --- scenarios ----------------------------------------------------------------------------------


def test_there_are_enough_unique_scenarios_in_every_queue() -> None:
    assert len(SCENARIOS) >= 45
    assert len({scenario.key for scenario in SCENARIOS}) == len(SCENARIOS)
    per_queue = Counter(scenario.queue for scenario in SCENARIOS)
    assert set(per_queue) == QUEUE_SLUGS
    assert min(per_queue.values()) >= 8


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.key)
def test_scenario_fields_are_valid(scenario) -> None:
    assert scenario.queue in QUEUE_SLUGS
    assert scenario.urgency in get_args(Urgency)
    assert scenario.channel in get_args(Channel)
    assert scenario.final_status in get_args(Status)
    assert 2 <= len(scenario.messages) <= 6
    assert all(isinstance(turn, Turn) for turn in scenario.messages)
    assert all(turn.role in get_args(Role) for turn in scenario.messages)
    assert scenario.messages[0].role == "customer"
    assert scenario.tags
    assert len(set(scenario.tags)) == len(scenario.tags)
    for tag in scenario.tags:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", tag), tag
    assert scenario.subject
    assert scenario.subject.strip() == scenario.subject


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.key)
def test_scenario_status_matches_conversation(scenario) -> None:
    roles = [turn.role for turn in scenario.messages]
    if scenario.final_status == "new":
        assert "agent" not in roles, "a new ticket has no agent reply yet"
    else:
        assert "agent" in roles
    assert (scenario.agent_tone is None) == ("agent" not in roles)
    if scenario.agent_tone is not None:
        assert scenario.agent_tone in get_args(Tone)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.key)
def test_surveys_only_on_finished_tickets_with_valid_answers(scenario) -> None:
    survey = scenario.survey
    if survey is None:
        return
    assert scenario.final_status in {"resolved", "closed"}
    assert 1 <= survey.rating <= 5
    assert 1 <= survey.understood <= 5
    assert survey.comment.strip()
    if survey.reason is not None:
        assert survey.reason in get_args(SurveyReason)
        assert survey.rating <= 2, "reasons are only asked for low ratings"


def test_survey_outcomes_are_varied_and_plausible() -> None:
    surveys = [s for s in SCENARIOS if s.survey is not None]
    assert len(surveys) >= 20
    ratings = Counter(s.survey.rating for s in surveys)
    assert {1, 2, 3, 4, 5} <= set(ratings)
    reasons = {s.survey.reason for s in surveys if s.survey.reason is not None}
    assert reasons == set(get_args(SurveyReason))

    def mean(field: str, tone: str) -> float:
        values = [getattr(s.survey, field) for s in surveys if s.agent_tone == tone]
        return sum(values) / len(values)

    assert mean("rating", "warm") > mean("rating", "mixed") > mean("rating", "cold")
    assert mean("understood", "warm") > mean("understood", "mixed") > mean("understood", "cold")
    # ...but not perfectly: some warm replies still get a low rating for product or policy.
    assert any(s.agent_tone == "warm" and s.survey.rating <= 2 for s in surveys)


def test_reply_tone_mix_is_roughly_thirty_thirty_five_thirty_five() -> None:
    tones = Counter(s.agent_tone for s in SCENARIOS if s.agent_tone is not None)
    total = sum(tones.values())
    assert 0.22 <= tones["cold"] / total <= 0.38
    assert 0.25 <= tones["mixed"] / total <= 0.45
    assert 0.25 <= tones["warm"] / total <= 0.45


def test_agent_turns_include_warm_and_cold_language() -> None:
    agent_turns = _agent_turns()
    warm = [t for t in agent_turns if any(marker in t for marker in WARM_MARKERS)]
    cold = [t for t in agent_turns if any(marker in t for marker in COLD_MARKERS)]
    assert len(warm) >= 10
    assert len(cold) >= 8
    assert sum("could you tell me" in t or "could you walk me" in t for t in agent_turns) >= 4
    assert sum("if i understand correctly" in t for t in agent_turns) >= 2


def test_customer_messages_cover_the_range_of_emotions_and_impacts() -> None:
    customer_text = " ".join(
        t.text.lower() for s in SCENARIOS for t in s.messages if t.role == "customer"
    )
    for phrase in ("third time", "still not fixed", "unacceptable", "going to cancel", "!!!"):
        assert phrase in customer_text, phrase
    all_tags = {tag for s in SCENARIOS for tag in s.tags}
    for tag in ("outage", "double-charge", "phishing", "data-loss", "performance", "gdpr"):
        assert tag in all_tags, tag
    assert {"feature-request", "invoice", "onboarding", "login"} <= all_tags


def test_internal_notes_appear_in_about_ten_scenarios() -> None:
    with_notes = [s for s in SCENARIOS if any(t.role == "note" for t in s.messages)]
    assert 8 <= len(with_notes) <= 15


def test_texts_are_plain_and_within_length_limits() -> None:
    for text in _all_texts():
        assert "<" not in text, text
        assert text == text.strip(), text
    for scenario in SCENARIOS:
        for turn in scenario.messages:
            assert 1 <= len(turn.text.split()) <= 120, (scenario.key, turn.text[:40])


def test_only_damn_is_allowed_as_strong_language() -> None:
    banned = re.compile(r"\b(shit\w*|fuck\w*|hell|crap\w*|bloody|bastard\w*)\b", re.IGNORECASE)
    for text in _all_texts():
        assert not banned.search(text), text


def test_content_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        SCENARIOS[0].subject = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        CUSTOMERS[0].email = "someone@elsewhere.example"  # type: ignore[misc]
    assert isinstance(SCENARIOS, tuple)
    assert isinstance(SCENARIOS[0].messages, tuple)
