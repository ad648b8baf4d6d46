"""Stored XSS, judged by a real browser: the ticket pages render hostile text inert.

The escaping tests read HTML; this one lets Chromium (Debian's, never downloaded) parse
and run the pages the payloads end up in, for an agent and for the customer. No dialog
may open, no payload may set its flag, and none of the payload's elements may exist.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.security.hostile_corpus import TEXT
from tickets.models import Customer, Ticket
from tickets.services import ticket_customer_reply, ticket_note_add, ticket_reply, ticket_set_tags
from tickets.services.attachments import AttachmentInput

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Each payload, if it ever ran, would set window.__pwned or create an element #pwnN.
PAYLOADS = [
    '<img id="pwn1" src="x" onerror="window.__pwned=1;alert(1)">',
    '<script id="pwn2">window.__pwned=2;alert(2)</script>',
    '"><svg id="pwn3" onload="window.__pwned=3"></svg>',
    '</textarea><iframe id=pwn4 src="javascript:window.top.__pwned=4"></iframe>',
    '<a id="pwn5" href="javascript:window.__pwned=5">click me</a>',
    "' autofocus onfocus='window.__pwned=6' x='",
    '<details id="pwn7" open ontoggle="window.__pwned=7">',
]

# The hand-written corpus's stored-XSS families too: any of them that ran would open an
# alert dialog or leave a script, an on* attribute or a javascript: link in the page.
CORPUS_XSS = [text for family in ("script", "handler", "jslink", "markup") for text in TEXT[family]]

PROBE = """() => ({
  pwned: window.__pwned || null,
  injected: Array.from({length: 7}, (_, i) => 'pwn' + (i + 1))
    .filter(id => document.getElementById(id) !== null),
  inlineScripts: document.querySelectorAll('script:not([src])').length,
  handlers: Array.from(document.querySelectorAll('*'))
    .filter(el => Array.from(el.attributes).some(a => a.name.startsWith('on'))).length,
  jsLinks: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
  shown: document.body.innerText.includes('id="pwn1"'),
})"""


def _session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def require_chromium() -> None:
    """Skip on a laptop without Chromium; under CI=true fail instead, like the browser tier
    (tests/browser/conftest.py): a silently skipped XSS check would pass CI unchecked."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the stored-XSS check cannot run: no {CHROMIUM}", pytrace=False)
    pytest.skip(f"no {CHROMIUM}")


def test_a_missing_chromium_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_chromium()
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        require_chromium()


def test_hostile_text_never_runs_in_the_ticket_pages(
    live_server: Any,
    transactional_db: None,
    make_ticket: Callable[..., Ticket],
    agent: User,
    customer: Customer,
) -> None:
    require_chromium()
    hostile = "\n".join(PAYLOADS + CORPUS_XSS)
    ticket = make_ticket(subject=PAYLOADS[0][:200], body=hostile)
    ticket_customer_reply(ticket=ticket, customer=customer, body=hostile, channel="portal")
    ticket_reply(
        ticket=ticket,
        author=agent,
        body=hostile,
        attachments=[
            AttachmentInput(filename=PAYLOADS[2][:100] + ".txt", content_type="", data=b"x")
        ],
    )
    ticket_note_add(ticket=ticket, author=agent, body=hostile)
    ticket_set_tags(ticket=ticket, actor=agent, tags=[PAYLOADS[5][:40]])
    pages = [
        (_session(agent), f"/tickets/{ticket.pk}/"),
        (_session(agent), "/tickets/?view=all"),
        (_session(agent), "/tickets/search/?q=" + "%3Cimg+id%3Dpwn1+src%3Dx+onerror%3Dalert(1)%3E"),
        (_session(customer.user), f"/portal/tickets/{ticket.pk}/"),
        (_session(customer.user), "/portal/"),
    ]

    from playwright.sync_api import sync_playwright

    results: list[tuple[str, dict[str, Any], list[str]]] = []
    # No ORM inside this block: Playwright's sync API runs an event loop in this thread.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for session, path in pages:
                context = browser.new_context()
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": session,
                            "url": live_server.url,
                        }
                    ]
                )
                page = context.new_page()
                dialogs: list[str] = []
                page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
                response = page.goto(live_server.url + path)
                assert response is not None
                assert response.status == 200, path
                page.wait_for_timeout(200)  # let onload / onerror / autofocus fire, if any
                results.append((path, page.evaluate(PROBE), dialogs))
                context.close()
        finally:
            browser.close()

    for path, probe, dialogs in results:
        assert dialogs == [], path
        # The payload is on the page, as text: the test looks where the danger is.
        shown = probe.pop("shown")
        assert shown or "search" in path, path
        assert probe == {
            "pwned": None,
            "injected": [],
            "inlineScripts": 0,
            "handlers": 0,
            "jsLinks": 0,
        }, path
