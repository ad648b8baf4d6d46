"""Helpers the journeys share: outbox delivery, signing in, links in mail."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "pw-for-tests-1"  # the password tests/conftest.py's make_user sets


def deliver_outbox(max_rounds: int = 10) -> int:
    """Run every owed (event, handler) pair in this process; returns how many ran."""
    from tickets.outbox import event_deliver, pending_deliveries

    delivered = 0
    for _ in range(max_rounds):
        owed = pending_deliveries(older_than=timedelta(0))
        if not owed:
            return delivered
        for event_id, handler in owed:
            delivered += bool(event_deliver(event_id, handler))
    raise AssertionError(f"outbox still owes deliveries after {max_rounds} rounds")


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def link_in(body: str, pattern: str) -> str:
    """The first URL in a mail body whose path matches `pattern`."""
    for url in re.findall(r"https?://\S+", body):
        if re.search(pattern, url):
            return url.rstrip(".,)>\"'")
    raise AssertionError(f"no link matching {pattern!r} in:\n{body}")
