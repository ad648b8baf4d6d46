"""The security headers also ride on the responses no view writes: a crash (500), a wrong
method (405), a refused CSRF token, a locked-out login (429) and a request for an unknown
host (400). An error page is HTML in the browser like any other, so it needs the same CSP
and frame denial; these are produced by Django or axes, outside the views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import World
from tests.security.test_headers_csrf_redirects import _header_problems

pytestmark = pytest.mark.django_db


@pytest.mark.urls("tests.security.urls_failing")
def test_an_unhandled_error_page_carries_the_security_headers() -> None:
    response = Client(raise_request_exception=False).get("/__failing__/", secure=True)
    assert response.status_code == 500
    assert _header_problems(response) == []


def test_a_wrong_method_carries_the_security_headers(
    world: World, role_client: Callable[..., Client]
) -> None:
    response = role_client("agent_x").get(reverse("empathy:coach"), secure=True)
    assert response.status_code == 405
    assert _header_problems(response) == []


def test_a_csrf_refusal_carries_the_security_headers(
    world: World, role_client: Callable[..., Client]
) -> None:
    client = role_client("cust_a", enforce_csrf_checks=True)
    response = client.post(reverse("portal:reply", args=[world.ticket_a.pk]), {}, secure=True)
    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert _header_problems(response) == []


def test_a_login_lockout_carries_the_security_headers(world: World, settings: Any) -> None:
    settings.AXES_ENABLED = True
    client = Client()
    form = {"username": world.user("agent_x").username, "password": "guess"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), form, secure=True)
    response = client.post(reverse("login"), form, secure=True)
    assert response.status_code == 429
    assert _header_problems(response) == []


def test_a_request_for_an_unknown_host_carries_the_security_headers() -> None:
    response = Client(raise_request_exception=False).get(
        reverse("login"), secure=True, HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    assert _header_problems(response) == []
