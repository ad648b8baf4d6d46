"""Search for agents: subjects and every message of the tickets they may see."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helpdesk.http import AuthenticatedHttpRequest
from tickets.access import queues_visible_to
from tickets.search import CANDIDATES, SearchResults, SearchTooBroad, search_tickets
from tickets.views.workspace import staff_required


@require_GET
@staff_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    queues = list(queues_visible_to(request.user).order_by("name"))
    # An unknown or foreign queue is ignored: the filter only narrows what access allows.
    queue = next((q for q in queues if q.slug == request.GET.get("queue")), None)
    open_only = request.GET.get("status") == "open"
    results, too_broad = SearchResults(hits=[]), False
    if query.strip():
        try:
            results = search_tickets(
                user=request.user, query=query, queue=queue, open_only=open_only
            )
        except SearchTooBroad:
            too_broad = True
    return render(
        request,
        "tickets/workspace/search.html",
        {
            "query": query,
            "results": results,
            "too_broad": too_broad,
            "queues": queues,
            "queue": queue,
            "open_only": open_only,
            "candidates": CANDIDATES,
        },
    )
