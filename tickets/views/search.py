"""Search for agents: subjects and every message of the tickets they may see."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helpdesk.http import AuthenticatedHttpRequest
from tickets.search import SearchTooBroad, search_tickets
from tickets.views.workspace import staff_required


@require_GET
@staff_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    too_broad = False
    try:
        hits = search_tickets(user=request.user, query=query) if query.strip() else []
    except SearchTooBroad:
        hits, too_broad = [], True
    return render(
        request,
        "tickets/workspace/search.html",
        {"query": query, "hits": hits, "too_broad": too_broad},
    )
