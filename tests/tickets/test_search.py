"""Full-text search for agents: ranked, highlighted, escaped, and inside their queues only."""

import pytest

from tickets.models import Message, Ticket
from tickets.search import _search_simple, search_tickets
from tickets.services import ticket_note_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_ticket, other_queue, other_customer):
    return {
        "export": make_ticket(subject="Export stops at 40%", body="The CSV export stops halfway."),
        "invoice": make_ticket(
            subject="Question about my bill",
            body="The invoice shows the wrong address since we moved offices.",
        ),
        "script": make_ticket(
            subject="Weird characters",
            body="<script>alert('x')</script> appears next to the word invoice in my report",
        ),
        "elsewhere": make_ticket(
            subject="Invoice in another queue",
            body="invoice invoice invoice",
            queue=other_queue,
            requester=other_customer,
        ),
    }


def subjects(hits) -> list[str]:
    return [hit.ticket.subject for hit in hits]


def test_it_finds_words_in_subjects_and_in_messages(corpus, agent) -> None:
    assert subjects(search_tickets(user=agent, query="export")) == ["Export stops at 40%"]
    found = subjects(search_tickets(user=agent, query="invoice"))
    assert set(found) == {"Question about my bill", "Weird characters"}


def test_it_matches_word_forms(corpus, agent) -> None:
    # "moving" and "moved" share a stem in the English configuration.
    assert subjects(search_tickets(user=agent, query="moving")) == ["Question about my bill"]


def test_it_never_returns_tickets_outside_the_agents_queues(corpus, agent, other_agent) -> None:
    assert "Invoice in another queue" not in subjects(search_tickets(user=agent, query="invoice"))
    assert subjects(search_tickets(user=other_agent, query="invoice")) == [
        "Invoice in another queue"
    ]


def test_it_highlights_matches_and_escapes_everything_else(corpus, agent) -> None:
    hits = {h.ticket.subject: h for h in search_tickets(user=agent, query="invoice")}
    fragment = str(hits["Weird characters"].fragment)
    assert "<mark>invoice</mark>" in fragment
    # Markup in a message never reaches the page as markup (PostgreSQL's headline drops
    # tags; the fallback escapes them): only our <mark> survives.
    assert "<script" not in fragment
    assert "alert(" in fragment


def test_it_searches_internal_notes_for_staff_only(corpus, agent, customer) -> None:
    ticket_note_add(ticket=corpus["export"], author=agent, body="Escalated to the warehouse team")
    assert subjects(search_tickets(user=agent, query="warehouse")) == ["Export stops at 40%"]
    assert search_tickets(user=customer.user, query="warehouse") == []


def test_it_ignores_empty_queries_and_operators_it_cannot_parse(corpus, agent) -> None:
    assert search_tickets(user=agent, query="   ") == []
    # websearch syntax never raises on odd input.
    assert isinstance(search_tickets(user=agent, query='"unbalanced -( & | !'), list)


def test_the_substring_fallback_finds_and_highlights(corpus, agent) -> None:
    visible = Ticket.objects.filter(queue__agents=agent)
    hits = _search_simple(visible, Message.objects.filter(ticket__in=visible), "invoice")
    assert {h.ticket.subject for h in hits} == {"Question about my bill", "Weird characters"}
    assert all("<script>" not in str(h.fragment) for h in hits)


def test_the_search_page_needs_staff_and_shows_results(corpus, client_agent, client_customer):
    response = client_agent.get("/tickets/search/", {"q": "export"})
    assert response.status_code == 200
    assert "Export stops at 40%" in response.content.decode()
    assert client_customer.get("/tickets/search/", {"q": "export"}).status_code == 403


def test_the_search_page_runs_a_fixed_number_of_queries(
    make_ticket, client_agent, django_assert_max_num_queries
) -> None:
    for n in range(12):
        make_ticket(subject=f"Printer {n} jams", body="The printer jams on page two.")
    with django_assert_max_num_queries(8):
        response = client_agent.get("/tickets/search/", {"q": "printer"})
    assert response.content.decode().count("Printer") >= 12


def test_a_search_too_broad_to_rank_in_time_asks_for_more_words(corpus, client_agent, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the time bound is PostgreSQL's statement_timeout")
    monkeypatch.setattr("tickets.search.SEARCH_TIMEOUT_MS", 1)
    monkeypatch.setattr(
        "tickets.search._search_postgres",
        lambda *a: connection.cursor().execute("SELECT pg_sleep(0.2)"),
    )
    response = client_agent.get("/tickets/search/", {"q": "invoice"})
    assert response.status_code == 200
    assert response.context["too_broad"] is True
    assert "matches too many conversations" in response.content.decode()
