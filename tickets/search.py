"""Full-text search over ticket subjects and every message.

PostgreSQL: `websearch_to_tsquery` against GIN expression indexes on
`to_tsvector('english', subject)` and `to_tsvector('english', body)` (migration 0003),
ranked, with highlighted fragments. SQLite (the zero-setup default): a plain
case-insensitive substring match, unranked, highlighted in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import OperationalError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from tickets.access import can_see_internal_notes, tickets_visible_to
from tickets.models import Message, MessageKind, Ticket
from tickets.services.text import clean_line

CONFIG = "english"
MAX_RESULTS = 50
SEARCH_TIMEOUT_MS = 3000


class SearchTooBroad(Exception):
    """The words match too much to rank in time; the user should add words or filters."""


MAX_QUERY_CHARS = 200
# Control characters as highlight markers: they never occur in stored text (the
# services strip them), so escaping then swapping them for <mark> is safe.
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchHit:
    ticket: Ticket
    fragment: SafeString
    rank: float


def _highlight(text: str) -> SafeString:
    escaped = escape(text)
    return mark_safe(  # noqa: S308 - input escaped above; only our markers become tags
        escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )


def search_tickets(*, user: User, query: str) -> list[SearchHit]:
    # Cleaned like stored text: a NUL would make PostgreSQL refuse the query (a 500).
    query = " ".join(clean_line(query, MAX_QUERY_CHARS).split())
    if not query:
        return []
    visible = tickets_visible_to(user).filter(merged_into__isnull=True)
    messages = Message.objects.filter(ticket__in=visible)
    if not can_see_internal_notes(user):
        messages = messages.exclude(kind=MessageKind.NOTE)
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                # A word in half of a million messages would rank all of them: bound it and
                # ask for a narrower search rather than time out the page.
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL statement_timeout = {SEARCH_TIMEOUT_MS}")
                return _search_postgres(visible, messages, query)
        except OperationalError as exc:
            raise SearchTooBroad(query) from exc
    return _search_simple(visible, messages, query)


def _search_postgres(
    visible: QuerySet[Ticket], messages: QuerySet[Message], query: str
) -> list[SearchHit]:
    ts_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    body_vector = SearchVector("body", config=CONFIG)
    matches = list(
        messages.annotate(vector=body_vector)
        .filter(vector=ts_query)
        .annotate(
            rank=SearchRank(body_vector, ts_query),
            fragment=SearchHeadline(
                "body",
                ts_query,
                config=CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=30,
                min_words=12,
            ),
        )
        .order_by("-rank", "-created_at")
        .values_list("ticket_id", "rank", "fragment")[: MAX_RESULTS * 4]
    )
    subject_vector = SearchVector("subject", config=CONFIG)
    subject_hits = list(
        visible.annotate(vector=subject_vector)
        .filter(vector=ts_query)
        .annotate(rank=SearchRank(subject_vector, ts_query))
        .order_by("-rank", "-created_at")
        .values_list("pk", "rank")[:MAX_RESULTS]
    )
    best: dict[int, tuple[float, str]] = {}
    for ticket_id, rank in subject_hits:
        # A subject match weighs more than the same words deep in a conversation.
        best[ticket_id] = (rank * 2, "")
    for ticket_id, rank, fragment in matches:
        current = best.get(ticket_id)
        if current is None:
            best[ticket_id] = (rank, fragment)
        elif not current[1]:
            best[ticket_id] = (current[0] + rank, fragment)
    return _hits(best)


def _search_simple(
    visible: QuerySet[Ticket], messages: QuerySet[Message], query: str
) -> list[SearchHit]:
    words = [w for w in query.split() if w]
    message_filter = Q()
    for word in words:
        message_filter &= Q(body__icontains=word)
    subject_filter = Q()
    for word in words:
        subject_filter &= Q(subject__icontains=word)
    best: dict[int, tuple[float, str]] = {}
    for pk in visible.filter(subject_filter).values_list("pk", flat=True)[:MAX_RESULTS]:
        best[pk] = (2.0, "")
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    for ticket_id, body in messages.filter(message_filter).values_list("ticket_id", "body")[
        : MAX_RESULTS * 4
    ]:
        if ticket_id in best and best[ticket_id][1]:
            continue
        match = pattern.search(body)
        start = max(0, (match.start() if match else 0) - 80)
        excerpt = body[start : start + 220]
        marked = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", excerpt)
        best[ticket_id] = (best.get(ticket_id, (0.0, ""))[0] + 1.0, marked)
    return _hits(best)


def _hits(best: dict[int, tuple[float, str]]) -> list[SearchHit]:
    ranked = sorted(best.items(), key=lambda item: -item[1][0])[:MAX_RESULTS]
    tickets = Ticket.objects.select_related("requester__user", "queue", "assignee").in_bulk(
        [pk for pk, _ in ranked]
    )
    return [
        SearchHit(ticket=tickets[pk], fragment=_highlight(fragment), rank=round(rank, 4))
        for pk, (rank, fragment) in ranked
        if pk in tickets
    ]
