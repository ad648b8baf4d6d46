from __future__ import annotations

import copy
import hashlib
import threading
import time
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.bad_tokens import bad_token_record, bad_token_retry_after
from accounts.models import ApiToken, User
from accounts.services import api_token_authenticate
from helpdesk.http import client_ip

# A busy integration sends many requests a second with the same token. Each process keeps
# the answer this long, in memory: nothing leaves the process, and a token revoked or a
# user deactivated elsewhere is refused here within these seconds at the latest. A save in
# this process (revoking through the API, deactivating in the admin) drops it at once.
TOKEN_CACHE_SECONDS = 5.0
_MAX_CACHED = 1024

_clock = time.monotonic
_lock = threading.Lock()
_cached: dict[str, tuple[float, User]] = {}  # digest of the key -> (expires, user)


def _digest(key: str) -> str:
    # Never the key itself in memory for longer than the request.
    return hashlib.blake2b(key.encode(), digest_size=32).hexdigest()


def token_user_cached(key: str) -> User | None:
    """The user this process accepted `key` for within TOKEN_CACHE_SECONDS, else None."""
    digest = _digest(key)
    with _lock:
        entry = _cached.get(digest)
    if entry is None or entry[0] <= _clock():
        return None
    # A copy: whatever a request sets on its user must not reach the next request.
    return copy.copy(entry[1])


def token_user(key: str) -> User | None:
    """The active user of an unrevoked token, looked up at most every few seconds."""
    cached = token_user_cached(key)
    if cached is not None:
        return cached
    digest, now = _digest(key), _clock()
    user = api_token_authenticate(key)
    with _lock:
        if user is None:
            _cached.pop(digest, None)
        else:
            if len(_cached) >= _MAX_CACHED:
                _cached.clear()
            _cached[digest] = (now + TOKEN_CACHE_SECONDS, copy.copy(user))
    return user


def forget_user_tokens(user_id: int) -> None:
    with _lock:
        for digest in [d for d, (_, user) in _cached.items() if user.pk == user_id]:
            del _cached[digest]


@receiver([post_save, post_delete], sender=ApiToken)
def _token_changed(instance: ApiToken, **kwargs: Any) -> None:
    forget_user_tokens(instance.user_id)


@receiver([post_save, post_delete], sender=User)
def _user_changed(instance: User, **kwargs: Any) -> None:
    forget_user_tokens(instance.pk)


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer atn_...` with a personal API token."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, key = header.partition(" ")
        if scheme.lower() != self.keyword.lower():  # RFC 7235: schemes are case-insensitive
            return None
        key = key.strip()
        # A key this process accepted seconds ago is no guess: it skips the failed-token
        # count, a cache round trip on every request of a busy integration. Only keys known
        # good reach this path (256 random bits each), so an address over the limit still
        # cannot try a single unknown key.
        user = token_user_cached(key)
        if user is not None:
            return user, None
        # Throttles run after authentication, so failed keys are limited here, by address.
        ip = client_ip(request)
        wait = bad_token_retry_after(ip)
        if wait is not None:
            raise exceptions.Throttled(wait=wait, detail="Too many invalid API tokens.")
        user = token_user(key)
        if user is None:
            bad_token_record(ip)
            raise exceptions.AuthenticationFailed("Invalid or revoked API token.")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "Personal API token (atn_...)"}
