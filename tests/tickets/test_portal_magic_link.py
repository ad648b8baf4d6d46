"""Portal sign-in links open one session, for a short while, and survive mail scanners."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tickets.tokens import portal_token

pytestmark = pytest.mark.django_db


def login_url(customer) -> str:
    return reverse("portal:login", args=[portal_token(customer)])


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_link_signs_in_once_and_is_refused_with_a_clear_page_afterwards(customer) -> None:
    url = login_url(customer)
    first = Client()
    assert first.post(url).status_code == 302
    assert signed_in(first)

    # The same link from the mailbox again, or copied to someone else's browser.
    again = Client()
    response = again.post(url)

    assert response.status_code == 400
    assert "This link was already used" in response.content.decode()
    assert not signed_in(again)
    assert again.get(url).status_code == 400


def test_signing_in_retires_every_link_mailed_before(client, customer) -> None:
    older, newer = login_url(customer), login_url(customer)
    assert client.post(newer).status_code == 302

    assert Client().post(older).status_code == 400


def test_a_scanner_opening_the_link_does_not_use_it(customer) -> None:
    url = login_url(customer)
    for _ in range(3):  # the mail provider's scanner, a preview, the customer's first click
        scanner = Client()
        response = scanner.get(url)
        assert response.status_code == 200
        assert "Open my requests" in response.content.decode()
        assert not signed_in(scanner)

    customer_browser = Client()
    assert customer_browser.post(url).status_code == 302
    assert signed_in(customer_browser)


def test_a_link_expires_after_the_configured_age(client, customer, settings) -> None:
    settings.ATTUNE_MAGIC_LINK_MAX_AGE = 30 * 60
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 60):
        old = login_url(customer)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 29 * 60):
        recent = login_url(customer)

    response = client.post(old)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert not signed_in(client)
    assert client.post(recent).status_code == 302


def test_links_last_thirty_minutes_by_default() -> None:
    from helpdesk import settings as project_settings

    assert project_settings.ATTUNE_MAGIC_LINK_MAX_AGE == 30 * 60


def test_the_session_a_link_opens_lasts_as_long_as_any_other(client, customer, settings) -> None:
    settings.ATTUNE_MAGIC_LINK_MAX_AGE = 60
    client.post(login_url(customer))

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.get(reverse("portal:list")).status_code == 200


def test_a_spent_link_stays_spent_when_two_sign_ins_fall_in_one_second(customer) -> None:
    first_at = timezone.now().replace(microsecond=100)
    with mock.patch("django.contrib.auth.models.timezone.now", return_value=first_at):
        assert Client().post(login_url(customer)).status_code == 302
    customer.user.refresh_from_db()
    url = login_url(customer)  # a link mailed after that first sign-in

    with mock.patch(
        "django.contrib.auth.models.timezone.now", return_value=first_at.replace(microsecond=200)
    ):
        assert Client().post(url).status_code == 302
        assert Client().post(url).status_code == 400
