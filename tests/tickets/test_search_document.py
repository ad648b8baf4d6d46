"""The stored search document: kept by PostgreSQL triggers whatever writes the rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from accounts.models import User
from tickets.models import Message, SearchDocument, Ticket
from tickets.services import ticket_merge, ticket_note_add, ticket_reply

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the document is PostgreSQL's tsvector"
    ),
]


def lexemes(ticket: Ticket) -> dict[str, str]:
    """Each word of the ticket's document with the weights it carries."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, array_to_string(weights, '') FROM unnest("
            "(SELECT document FROM tickets_searchdocument WHERE ticket_id = %s))",
            [ticket.pk],
        )
        return {lexeme: "".join(sorted(set(weights))) for lexeme, weights in cursor.fetchall()}


def rebuilt(ticket: Ticket) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tickets_search_build(%s)::text", [ticket.pk])
        return str(cursor.fetchone()[0])


def stored(ticket: Ticket) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document::text FROM tickets_searchdocument WHERE ticket_id = %s", [ticket.pk]
        )
        return str(cursor.fetchone()[0])


def test_it_weighs_subject_public_messages_and_notes(
    make_ticket: Callable[..., Ticket], agent: User
) -> None:
    ticket = make_ticket(subject="Printer jams", body="Paper stuck in tray two.")
    ticket_reply(ticket=ticket, author=agent, body="Please open the tray.")
    ticket_note_add(ticket=ticket, author=agent, body="Known firmware fault.")
    words = lexemes(ticket)
    assert words["printer"] == "A"
    assert words["paper"] == "B"
    assert words["tray"] == "B"
    assert words["firmwar"] == "C"


def test_appending_messages_builds_what_a_full_rebuild_builds(
    make_ticket: Callable[..., Ticket], agent: User
) -> None:
    ticket = make_ticket(subject="Printer jams", body="Paper stuck in tray two.")
    ticket_reply(ticket=ticket, author=agent, body="Please open the tray.")
    ticket_note_add(ticket=ticket, author=agent, body="Known firmware fault.")
    assert stored(ticket) == rebuilt(ticket)


def test_it_follows_messages_that_move_change_or_go(
    make_ticket: Callable[..., Ticket], agent: User
) -> None:
    source = make_ticket(subject="Cannot log in", body="The reset mail never arrives.")
    target = make_ticket(subject="Login trouble", body="Locked out.")
    ticket_merge(source=source, target=target, actor=agent)
    assert "reset" in lexemes(target)
    assert "reset" not in lexemes(source)

    message = Message.objects.filter(ticket=target, body__contains="reset").get()
    Message.objects.filter(pk=message.pk).update(body="The confirmation mail never arrives.")
    assert "reset" not in lexemes(target)
    assert "confirm" in lexemes(target)

    Message.objects.filter(pk=message.pk).delete()
    assert "confirm" not in lexemes(target)
    assert stored(target) == rebuilt(target)


def test_a_document_stops_growing_before_the_tsvector_limit(
    make_ticket: Callable[..., Ticket],
) -> None:
    ticket = make_ticket(subject="Huge logs", body="start")
    # Unique tokens make the largest documents: 40 such messages would pass PostgreSQL's
    # 1 MB tsvector limit, and the write must not fail because of search.
    for batch in range(40):
        Message.objects.create(
            ticket=ticket,
            kind="reply",
            body=" ".join(f"t{batch}x{n}" for n in range(3_000)),
            channel="web",
            created_at=ticket.created_at,
        )
    words = lexemes(ticket)
    assert "t0x1" in words
    assert "t39x1" not in words
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(document) FROM tickets_searchdocument WHERE ticket_id = %s",
            [ticket.pk],
        )
        assert cursor.fetchone()[0] < 1_000_000


@pytest.mark.django_db(transaction=True)
def test_deleting_a_ticket_deletes_its_document(
    make_ticket: Callable[..., Ticket], agent: User
) -> None:
    # Committed for real, so the deferred foreign key is checked.
    ticket = make_ticket(subject="Spam", body="Buy now")
    ticket_note_add(ticket=ticket, author=agent, body="Spam, deleting.")
    ticket.delete()
    assert not SearchDocument.objects.filter(ticket_id=ticket.pk).exists()
