"""Full-text search: ranked, highlighted, escaped, bounded, and inside the user's access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from tickets.access import tickets_visible_to
from tickets.models import Customer, Queue, Status, Ticket
from tickets.search import SearchHit, _search_simple, search_tickets
from tickets.services import (
    ticket_change_status,
    ticket_customer_reply,
    ticket_merge,
    ticket_note_add,
    ticket_reply,
)

pytestmark = pytest.mark.django_db

SEARCH_PAGE = "/tickets/search/"


@pytest.fixture
def corpus(
    make_ticket: Callable[..., Ticket], other_queue: Queue, other_customer: Customer
) -> dict[str, Ticket]:
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


def found(user: User, query: str, **filters: Any) -> list[str]:
    return [hit.ticket.subject for hit in search_tickets(user=user, query=query, **filters).hits]


def hit_for(user: User, query: str, ticket: Ticket) -> SearchHit:
    return next(h for h in search_tickets(user=user, query=query).hits if h.ticket == ticket)


def test_it_finds_words_in_subjects_and_in_messages(corpus: Any, agent: User) -> None:
    assert found(agent, "export") == ["Export stops at 40%"]
    assert set(found(agent, "invoice")) == {"Question about my bill", "Weird characters"}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming is PostgreSQL's; SQLite matches substrings"
)
def test_it_matches_word_forms(corpus: Any, agent: User) -> None:
    # "moving" and "moved" share a stem in the English configuration.
    assert found(agent, "moving") == ["Question about my bill"]


def test_it_finds_words_in_a_later_message_and_across_messages(
    corpus: Any, agent: User, customer: Customer
) -> None:
    ticket_reply(ticket=corpus["export"], author=agent, body="Please send us the log file.")
    ticket_customer_reply(
        ticket=corpus["export"], customer=customer, body="Attached the logfile.", channel="web"
    )
    assert found(agent, "logfile") == ["Export stops at 40%"]
    # Words from different messages of one conversation find it together.
    assert found(agent, "halfway logfile") == ["Export stops at 40%"]


def test_it_finds_internal_notes_for_staff_only(
    corpus: Any, agent: User, customer: Customer
) -> None:
    ticket_note_add(ticket=corpus["export"], author=agent, body="Escalated to the warehouse team")
    assert found(agent, "warehouse") == ["Export stops at 40%"]
    assert found(customer.user, "warehouse") == []


def test_it_never_returns_tickets_outside_the_users_access(
    corpus: Any, agent: User, other_agent: User, customer: Customer
) -> None:
    assert "Invoice in another queue" not in found(agent, "invoice")
    assert found(other_agent, "invoice") == ["Invoice in another queue"]
    # A customer sees only the tickets they asked.
    assert "Invoice in another queue" not in found(customer.user, "invoice")


def test_it_puts_subject_matches_first(make_ticket: Callable[..., Ticket], agent: User) -> None:
    make_ticket(subject="Question", body="The printer jams. The printer jams again. Printer!")
    make_ticket(subject="Printer jams", body="Since this morning nothing prints.")
    make_ticket(subject="Another question", body="Our printer is slow.")
    assert found(agent, "printer")[0] == "Printer jams"


def test_it_follows_new_messages_merges_and_subject_edits(
    make_ticket: Callable[..., Ticket], agent: User
) -> None:
    source = make_ticket(subject="Cannot log in", body="The password reset mail never arrives.")
    target = make_ticket(subject="Login trouble", body="Locked out since Friday.")
    assert found(agent, "password") == ["Cannot log in"]

    ticket_reply(ticket=target, author=agent, body="Try the magic link instead.")
    assert found(agent, "magic link") == ["Login trouble"]

    ticket_merge(source=source, target=target, actor=agent)
    # The merged conversation belongs to the target now; the closed source is not listed.
    assert found(agent, "password") == ["Login trouble"]

    Ticket.objects.filter(pk=target.pk).update(subject="Single sign-on outage")
    assert found(agent, "outage") == ["Single sign-on outage"]
    assert found(agent, "trouble") == []


def test_it_finds_a_ticket_by_its_number(
    make_ticket: Callable[..., Ticket], other_queue: Queue, agent: User
) -> None:
    wanted = make_ticket(subject="Printer jams")
    foreign = make_ticket(subject="Elsewhere", queue=other_queue)
    assert found(agent, f"#{wanted.pk}") == ["Printer jams"]
    assert found(agent, str(wanted.pk)) == ["Printer jams"]
    assert found(agent, f"#{foreign.pk}") == []


def test_it_filters_by_queue_and_open_status(
    make_ticket: Callable[..., Ticket], admin_user: User, queue: Queue, other_queue: Queue
) -> None:
    make_ticket(subject="Refund for order 1")
    make_ticket(subject="Refund for order 2", queue=other_queue)
    done = make_ticket(subject="Refund for order 3")
    ticket_change_status(ticket=done, actor=admin_user, status=Status.RESOLVED)
    assert set(found(admin_user, "refund")) == {
        "Refund for order 1",
        "Refund for order 2",
        "Refund for order 3",
    }
    assert set(found(admin_user, "refund", queue=queue)) == {
        "Refund for order 1",
        "Refund for order 3",
    }
    assert set(found(admin_user, "refund", open_only=True)) == {
        "Refund for order 1",
        "Refund for order 2",
    }


def test_it_ranks_only_the_newest_matches_and_says_so(
    make_ticket: Callable[..., Ticket], agent: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tickets.search.CANDIDATES", 3)
    monkeypatch.setattr("tickets.search.PAGE_SIZE", 2)
    made = [make_ticket(subject=f"Refund {n}", body="refund please") for n in range(5)]
    results = search_tickets(user=agent, query="refund")
    assert results.capped
    assert len(results.hits) == 2
    assert {h.ticket.pk for h in results.hits} <= {t.pk for t in made[-3:]}
    assert not search_tickets(user=agent, query="refund 4").capped


def test_it_highlights_matches_and_escapes_everything_else(corpus: Any, agent: User) -> None:
    hit = hit_for(agent, "invoice", corpus["script"])
    fragment = str(hit.fragment)
    assert "<mark>invoice</mark>" in fragment
    # Markup in a message never reaches the page as markup (PostgreSQL's headline drops
    # tags; the fallback escapes them): only our <mark> survives.
    assert "<script" not in fragment
    assert "alert(" in fragment
    assert str(hit_for(agent, "export", corpus["export"]).subject) == (
        "<mark>Export</mark> stops at 40%"
    )


def test_a_customer_fragment_never_quotes_an_internal_note(
    corpus: Any, agent: User, customer: Customer
) -> None:
    ticket_note_add(ticket=corpus["invoice"], author=agent, body="Secret: invoice was refunded")
    hit = hit_for(customer.user, "invoice", corpus["invoice"])
    assert "Secret" not in str(hit.fragment)
    assert "Secret" in str(hit_for(agent, "invoice", corpus["invoice"]).fragment)


def test_it_ignores_empty_queries_and_operators_it_cannot_parse(
    corpus: Any, agent: User, customer: Customer
) -> None:
    assert found(agent, "   ") == []
    # websearch syntax never raises on odd input, for staff or (weight-limited) customers.
    for user in (agent, customer.user):
        for query in ['"unbalanced -( & | !', "it's o''brien\\'s", ":* & | ! (", "the"]:
            assert isinstance(found(user, query), list)


def test_the_search_page_needs_staff_and_shows_results(
    corpus: Any, client_agent: Client, client_customer: Client
) -> None:
    response = client_agent.get(SEARCH_PAGE, {"q": "export"})
    assert response.status_code == 200
    assert "<mark>Export</mark> stops at 40%" in response.content.decode()
    assert client_customer.get(SEARCH_PAGE, {"q": "export"}).status_code == 403


def test_the_search_page_says_when_results_are_the_best_of_the_newest(
    make_ticket: Callable[..., Ticket], client_agent: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tickets.search.CANDIDATES", 2)
    for n in range(3):
        make_ticket(subject=f"Refund {n}")
    response = client_agent.get(SEARCH_PAGE, {"q": "refund"})
    assert "the best matches among the" in response.content.decode()


def test_the_search_page_ignores_a_queue_the_agent_cannot_see(
    corpus: Any, client_agent: Client, other_queue: Queue
) -> None:
    response = client_agent.get(SEARCH_PAGE, {"q": "invoice", "queue": other_queue.slug})
    assert {h.ticket.subject for h in response.context["results"].hits} == {
        "Question about my bill",
        "Weird characters",
    }


# session, user, the agent's queues (filter), then in the search's own transaction:
# the statement bound, ranked candidates, the page's rows with their highlights.
SEARCH_PAGE_QUERIES = 8 if connection.vendor == "postgresql" else 6


@pytest.mark.parametrize("count", [3, 30])
def test_the_search_page_runs_a_fixed_number_of_queries(
    count: int,
    make_ticket: Callable[..., Ticket],
    client_agent: Client,
    agent: User,
    django_assert_num_queries: Any,
) -> None:
    for n in range(count):
        ticket = make_ticket(subject=f"Printer {n} jams", body="The printer jams on page two.")
        ticket_note_add(ticket=ticket, author=agent, body="Printer driver reinstalled.")
    with django_assert_num_queries(SEARCH_PAGE_QUERIES):
        response = client_agent.get(SEARCH_PAGE, {"q": "printer", "status": "open"})
    assert response.content.decode().count("<mark>Printer</mark>") >= count


def test_a_search_that_overruns_its_time_bound_asks_for_more_words(
    corpus: Any, client_agent: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the time bound is PostgreSQL's statement_timeout")
    monkeypatch.setattr("tickets.search.SEARCH_TIMEOUT_MS", 1)
    monkeypatch.setattr(
        "tickets.search._search_postgres",
        lambda *a: connection.cursor().execute("SELECT pg_sleep(0.2)"),
    )
    response = client_agent.get(SEARCH_PAGE, {"q": "invoice"})
    assert response.status_code == 200
    assert response.context["too_broad"] is True
    assert "took too long to search" in response.content.decode()


def test_the_substring_fallback_finds_highlights_and_keeps_notes_from_customers(
    corpus: dict[str, Ticket], agent: User, customer: Customer
) -> None:
    # What `make run` on SQLite uses; called directly so the PostgreSQL suite covers it.
    ticket_note_add(ticket=corpus["export"], author=agent, body="Warehouse says CSV is fine")
    staff = _search_simple(agent, tickets_visible_to(agent), "csv", None).hits
    assert [h.ticket for h in staff] == [corpus["export"]]
    assert "<mark>CSV</mark>" in str(staff[0].fragment)
    assert (
        _search_simple(customer.user, tickets_visible_to(customer.user), "warehouse", None).hits
        == []
    )
    hits = _search_simple(agent, tickets_visible_to(agent), "invoice", None).hits
    assert {h.ticket.subject for h in hits} == {"Question about my bill", "Weird characters"}
    assert all("<script>" not in str(h.fragment) for h in hits)
