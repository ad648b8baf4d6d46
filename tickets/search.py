"""Full-text search over ticket subjects and every message a user may read.

PostgreSQL: each ticket has a stored document (tickets.models.SearchDocument, kept by
triggers from migration 0006) with a GIN index: subject weight A, public messages B,
internal notes C. A search takes the newest CANDIDATES visible tickets that match (the
planner, with word frequencies from ANALYZE, reads the GIN index for rare words and walks
the newest tickets for common ones), ranks only those, and highlights only the page's
rows. Ranking every match of a word found in 300,000 tickets is what made search take
seconds; the page says when the results are the best of the newest CANDIDATES matches.

Customers never match internal notes: their query is limited to weights A and B.

SQLite (the zero-setup default): a case-insensitive substring match on every word,
subject matches first, highlighted in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import OperationalError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.sql.compiler import SQLCompiler
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from tickets.access import can_see_internal_notes, tickets_visible_to
from tickets.models import OPEN_STATUSES, Message, MessageKind, Queue, SearchDocument, Ticket
from tickets.services.text import clean_line

CONFIG = "english"
PAGE_SIZE = 50
# Rank at most this many of the newest matches: bounded work however common the words
# (docs/performance.md: 500 doubled the time of words in about 1% of tickets).
CANDIDATES = 200
# A safety net for what the bound cannot foresee; the page then asks for more words.
SEARCH_TIMEOUT_MS = 3000
MAX_QUERY_CHARS = 200
_TICKET_NUMBER = re.compile(r"#?(\d{1,9})")
# Control characters as highlight markers: they never occur in stored text (the
# services strip them), so escaping then swapping them for <mark> is safe.
_START, _STOP = "\x02", "\x03"
# A quoted lexeme in tsquery's text form ('' is an escaped quote inside one).
_LEXEME = r"('(?:[^']|'')*')"


class SearchTooBroad(Exception):
    """The search did not finish in time; the user should add words or filters."""


@dataclass(frozen=True)
class SearchHit:
    ticket: Ticket
    subject: SafeString
    fragment: SafeString
    rank: float


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    # More tickets matched than CANDIDATES: the hits are the best of the newest ones.
    capped: bool = False


class _PublicSearchQuery(SearchQuery):
    """websearch_to_tsquery with every lexeme limited to weights A and B.

    Internal notes are weight C in the stored document, so a customer's search can
    never match a word that only a note contains.
    """

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(compiler, connection, **extra)
        return (
            f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery",
            [*params, _LEXEME, r"\1:AB"],
        )


def normalise_query(query: str) -> str:
    # Cleaned like stored text: a NUL would make PostgreSQL refuse the query (a 500).
    return " ".join(clean_line(query, MAX_QUERY_CHARS).split())


def tickets_matching(tickets: QuerySet[Ticket], *, user: User, query: str) -> QuerySet[Ticket]:
    """`tickets` narrowed to those whose subject or conversation, as `user` may read it,
    matches `query`. The API's `q` filter and the search page both use it."""
    query = normalise_query(query)
    if not query:
        return tickets
    if connection.vendor == "postgresql":
        return tickets.filter(search_document__document=_document_query(user, query))
    return _matching_simple(tickets, user=user, query=query)


def _matching_simple(tickets: QuerySet[Ticket], *, user: User, query: str) -> QuerySet[Ticket]:
    messages = Message.objects.filter(ticket=OuterRef("pk"))
    if not can_see_internal_notes(user):
        messages = messages.exclude(kind=MessageKind.NOTE)
    for word in query.split():
        tickets = tickets.filter(
            Q(subject__icontains=word) | Exists(messages.filter(body__icontains=word))
        )
    return tickets


def search_tickets(
    *, user: User, query: str, queue: Queue | None = None, open_only: bool = False
) -> SearchResults:
    query = normalise_query(query)
    if not query:
        return SearchResults(hits=[])
    visible = tickets_visible_to(user).filter(merged_into__isnull=True)
    if queue is not None:
        visible = visible.filter(queue=queue)
    if open_only:
        visible = visible.filter(status__in=OPEN_STATUSES)
    number = _TICKET_NUMBER.fullmatch(query)
    exact = int(number.group(1)) if number else None
    if connection.vendor != "postgresql":
        return _search_simple(user, visible, query, exact)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Starting parallel workers costs more (about 20 ms on the 1M benchmark)
                # than the bounded search they would share.
                cursor.execute(
                    f"SET LOCAL statement_timeout = {int(SEARCH_TIMEOUT_MS)}; "
                    "SET LOCAL max_parallel_workers_per_gather = 0"
                )
            return _search_postgres(user, visible, query, exact)
    except OperationalError as exc:
        raise SearchTooBroad(query) from exc


def _document_query(user: User, query: str) -> SearchQuery:
    if can_see_internal_notes(user):
        return SearchQuery(query, config=CONFIG, search_type="websearch")
    return _PublicSearchQuery(query, config=CONFIG, search_type="websearch")


def _search_postgres(
    user: User, visible: QuerySet[Ticket], query: str, exact: int | None
) -> SearchResults:
    # 1. The newest CANDIDATES matches, ranked in the same query: ts_rank reads at most
    #    CANDIDATES documents, whatever the number of matches. Newest by id (ids follow
    #    filing order): walking the ticket and document primary keys backwards together
    #    is a merge join, the cheap plan for common words.
    newest = (
        tickets_matching(visible, user=user, query=query).order_by("-pk").values("pk")[:CANDIDATES]
    )
    ranked = list(
        SearchDocument.objects.filter(ticket_id__in=newest)
        .annotate(rank=SearchRank(F("document"), _document_query(user, query)))
        .values_list("ticket_id", "rank")
    )
    # Subject matches (weight A) rank first; ties go to the newer ticket.
    ranked.sort(key=lambda row: (-row[1], -row[0]))
    best = dict(ranked[:PAGE_SIZE])
    if exact is not None:
        # "#1234" or "1234": that ticket first, if this user may see it.
        best[exact] = max(best.values(), default=0.0) + 1.0
    # 2. The page's rows with their highlights: ts_headline runs on these rows only.
    text_query = SearchQuery(query, config=CONFIG, search_type="websearch")
    messages = Message.objects.filter(ticket=OuterRef("pk"))
    if not can_see_internal_notes(user):
        messages = messages.exclude(kind=MessageKind.NOTE)
    latest_match = (
        messages.annotate(vector=SearchVector("body", config=CONFIG))
        .filter(vector=text_query)
        .order_by("-created_at", "-id")
        .annotate(headline=_headline("body", text_query, max_words=30, min_words=12))
        .values("headline")[:1]
    )
    rows = (
        visible.filter(pk__in=list(best))
        .select_related("requester__user", "queue", "assignee")
        .annotate(
            subject_marked=_headline("subject", text_query, highlight_all=True),
            fragment=Subquery(latest_match),
        )
    )
    hits = [
        SearchHit(
            ticket=ticket,
            subject=_highlight(ticket.subject_marked or ticket.subject),
            fragment=_highlight(ticket.fragment or ""),
            rank=round(best[ticket.pk], 4),
        )
        for ticket in rows
    ]
    hits.sort(key=lambda hit: (-hit.rank, -hit.ticket.pk))
    return SearchResults(hits=hits, capped=len(ranked) >= CANDIDATES)


def _headline(field: str, query: SearchQuery, **options: Any) -> SearchHeadline:
    return SearchHeadline(field, query, config=CONFIG, start_sel=_START, stop_sel=_STOP, **options)


def _search_simple(
    user: User, visible: QuerySet[Ticket], query: str, exact: int | None
) -> SearchResults:
    newest = list(
        _matching_simple(visible, user=user, query=query)
        .order_by("-pk")
        .values_list("pk", "subject")[:CANDIDATES]
    )
    words = query.split()
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    # Like the PostgreSQL ranking, subject matches first; then the newest.
    ranked = sorted(newest, key=lambda row: -len(set(pattern.findall(row[1]))))
    page = [pk for pk, _ in ranked[:PAGE_SIZE]]
    if exact is not None:
        page.insert(0, exact)
    tickets = visible.select_related("requester__user", "queue", "assignee").in_bulk(page)
    messages = Message.objects.filter(ticket_id__in=page).order_by("-created_at", "-id")
    if not can_see_internal_notes(user):
        messages = messages.exclude(kind=MessageKind.NOTE)
    excerpts: dict[int, str] = {}
    for ticket_id, body in messages.values_list("ticket_id", "body"):
        match = pattern.search(body)
        if match and ticket_id not in excerpts:
            start = max(0, match.start() - 80)
            excerpts[ticket_id] = body[start : start + 220]
    hits = []
    for position, pk in enumerate(dict.fromkeys(page)):
        ticket = tickets.get(pk)
        if ticket is None:
            continue
        hits.append(
            SearchHit(
                ticket=ticket,
                subject=_highlight(_mark(pattern, ticket.subject)),
                fragment=_highlight(_mark(pattern, excerpts.get(pk, ""))),
                rank=float(len(page) - position),
            )
        )
    return SearchResults(hits=hits, capped=len(newest) >= CANDIDATES)


def _mark(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", text)


def _highlight(text: str) -> SafeString:
    escaped = escape(text)
    return mark_safe(  # noqa: S308 - input escaped above; only our markers become tags
        escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )
