"""Typed request objects so views can rely on `request.user` being a real User."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting exactly ATTUNE_TRUSTED_PROXIES proxies in front of us.

    With N trusted proxies, the client is the N-th address from the right of
    X-Forwarded-For (each proxy appends the address it received from). Anything further
    left was written by the client and cannot be trusted. With no proxies, REMOTE_ADDR.
    """
    proxies = settings.ATTUNE_TRUSTED_PROXIES
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a value, not a bind
