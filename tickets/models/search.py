from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """One ticket's full-text document, kept by PostgreSQL triggers (migration 0006).

    The subject is weighted A, public messages B and internal notes C, so ranking puts
    subject matches first and a customer's search can be limited to A and B. It lives in
    its own table so that ordinary ticket queries never read (or detoast) it.

    The triggers write it in the same transaction as the ticket or message, whatever
    wrote them: services, merge, admin, fixtures. Bulk loads that switch triggers off
    (bench/generate.py) refill it with `tickets_search_build`. SQLite has no triggers
    here and no full-text search: the table stays empty and tickets.search falls back to
    substring matching.
    """

    ticket = models.OneToOneField(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    document = SearchVectorField()

    def __str__(self) -> str:
        return f"Search document of #{self.ticket_id}"
