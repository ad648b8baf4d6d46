"""The browser tier: Chromium (Debian's, never a downloaded build) through Playwright.

Each journey runs against pytest-django's `live_server` (the app in a thread of this
process, on 127.0.0.1, against the test database). Outbox events are delivered in
this process by `deliver_outbox()`, not by a Celery worker, so mail lands in
`django.core.mail.outbox` where the test reads it; the integration tier covers the
real worker.

`journey` gives each test a `Journey`: pages that record console errors and page
errors (a JS error or a CSP violation fails the test), named steps, screenshots, and
an axe-core check that fails on "serious" or "critical" violations.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

ROOT = Path(__file__).resolve().parents[2]
# Debian's Chromium; ATTUNE_CHROMIUM points elsewhere on other systems. Never downloaded.
CHROMIUM = Path(os.environ.get("ATTUNE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
AXE_SUMMARY = ROOT / "tests" / "artifacts" / "axe-summary.json"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# page name -> violation counts by impact, for the terminal summary and the JSON file.
AXE_RESULTS: dict[str, dict[str, int]] = {}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but the browser tier cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


class _SharedBrowser:
    """One Chromium for a run of browser tests, stopped as soon as the run ends.

    Playwright's sync API leaves an event loop running in the test thread while it is
    up. Django's ORM refuses to run in such a thread unless DJANGO_ALLOW_ASYNC_UNSAFE is
    set, and asyncio.run / async_to_sync refuse outright. So the browser (and that
    variable) live only while browser tests run, and never leak into the next tier.
    """

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Browser | None = None
        self._env_before: str | None = None

    def get(self) -> Browser:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            # Safe here: the loop only drives the browser; ORM calls are plain sync code.
            self._env_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        return self._browser

    def stop(self) -> None:
        if self._browser is None:
            return
        try:
            self._browser.close()
            self._playwright.stop()
        finally:
            self._browser = self._playwright = None
            if self._env_before is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._env_before


_SHARED = _SharedBrowser()


@pytest.fixture(scope="session")
def shared_browser() -> Iterator[_SharedBrowser]:
    """Session-wide: checks once that a browser can run; launches it on first use."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    yield _SHARED
    _SHARED.stop()


@pytest.fixture
def browser(shared_browser: _SharedBrowser) -> Browser:
    from playwright.sync_api import expect

    # Assertions wait as long as actions do: a loaded CI machine answers slower.
    expect.set_options(timeout=10_000)
    return shared_browser.get()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    result = yield
    # The next test does not drive a browser (or there is none): stop it now.
    if nextitem is None or nextitem.get_closest_marker("browser") is None:
        _SHARED.stop()
    return result


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, live_server: Any) -> Any:
    """pytest-django's live server, stopped before the test database is dropped.

    The original does not depend on the database setup, so it could outlive it, and its
    open connection made DROP DATABASE wait for seconds at the end of the session.
    """
    return live_server


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        _unavailable(f"{AXE_JS} is missing (run `npm ci`)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not AXE_RESULTS:
        return
    terminalreporter.section("axe-core (violations by impact, per page)")
    for name, counts in sorted(AXE_RESULTS.items()):
        shown = ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "none"
        terminalreporter.write_line(f"{name:<28} {shown}")
    AXE_SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    AXE_SUMMARY.write_text(json.dumps(AXE_RESULTS, indent=2, sort_keys=True), encoding="utf-8")


class BrowserLogError(Exception):
    """The page logged a JS error, a CSP violation or a failed load.

    Not an AssertionError on purpose: an xfail(raises=AssertionError) test must not
    swallow it.
    """


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}: {node.get('failureSummary', '').splitlines()[-1:]}")
            lines.append(f"      {node.get('html', '')[:160]}")
    return "\n".join(lines)


class Journey:
    """One test's browser state: its pages, the step it is on, and what went wrong."""

    def __init__(self, browser: Browser, base_url: str, test_name: str, axe_js: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.test_name = test_name
        self.axe_js = axe_js
        self.contexts: list[BrowserContext] = []
        self.page: Page | None = None
        self.current_step = "(before the first step)"
        self.console_errors: list[str] = []
        self._reported = 0
        self._allowed: list[re.Pattern[str]] = []
        self.started = time.monotonic()

    # -- pages ---------------------------------------------------------------------------
    def new_page(self) -> Page:
        """A page in a fresh browser context (its own cookies): one per person."""
        context = self.browser.new_context(
            base_url=self.base_url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        self.page = page
        return page

    def _on_console(self, message: ConsoleMessage) -> None:
        # CSP violations are reported as console errors ("Refused to ...").
        if message.type == "error":
            location = message.location.get("url", "")
            text = f"console.error: {message.text} ({location})"
            if not any(p.search(text) for p in self._allowed):
                self.console_errors.append(text)

    def allow_console_error(self, pattern: str) -> None:
        """Expect this error from now on (e.g. the 404 of a page that must answer 404)."""
        self._allowed.append(re.compile(pattern))

    def close(self) -> None:
        for context in self.contexts:
            context.close()

    def report_failure(self) -> None:
        """Print the step and console errors; screenshot every open page."""
        print(f"\nFAILED at step: {self.current_step}")
        pages = [p for c in self.contexts for p in c.pages if not p.is_closed()]
        # The page the test used last is FAILED-<test>.png; other people's get a suffix.
        if self.page in pages:
            pages.remove(self.page)
            pages.insert(0, self.page)
        for index, page in enumerate(pages):
            name = f"FAILED-{self.test_name}" + (f"-{index + 1}" if index else "")
            try:
                print(f"screenshot of {page.url}: {self.shot(name, page)}")
            except Exception as exc:  # a crashed page must not hide the real failure
                print(f"no screenshot of {page.url}: {exc}")
        if self.console_errors:
            print("browser console errors:\n" + "\n".join(self.console_errors))

    # -- steps ---------------------------------------------------------------------------
    def step(self, text: str) -> None:
        """Name what happens next; fail early if the browser logged an error meanwhile."""
        self.assert_no_console_errors()
        self.current_step = text
        print(f"[{self.test_name} +{time.monotonic() - self.started:.1f}s] step: {text}")

    def assert_no_console_errors(self) -> None:
        new = self.console_errors[self._reported :]
        if new:
            self._reported = len(self.console_errors)
            raise BrowserLogError(
                f"the page logged errors during step {self.current_step!r}:\n" + "\n".join(new)
            )

    def shot(self, name: str, page: Page | None = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        (page or self.page).screenshot(path=str(path), full_page=True)  # type: ignore[union-attr]
        return path

    # -- accessibility -------------------------------------------------------------------
    def axe(self, name: str, page: Page | None = None) -> list[dict[str, Any]]:
        """Run axe-core on the page as it is; fail on serious or critical violations."""
        page = page or self.page
        assert page is not None
        # page.evaluate runs through the DevTools protocol, outside the page's CSP.
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe_js)
        violations: list[dict[str, Any]] = page.evaluate(
            "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
        )
        counts = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
        for v in violations:
            counts[v.get("impact") or "minor"] = counts.get(v.get("impact") or "minor", 0) + 1
        AXE_RESULTS[name] = counts
        print(f"[{self.test_name} +{time.monotonic() - self.started:.1f}s] axe {name}: {counts}")
        if violations:
            print(f"axe on {name}:\n{_format_violations(violations)}")
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        assert not blocking, (
            f"axe-core found {len(blocking)} serious/critical violation(s) on {name}:\n"
            + _format_violations(blocking)
        )
        return violations


@pytest.fixture
def journey(
    request: pytest.FixtureRequest,
    browser: Browser,
    axe_source: str,
    live_server: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Journey]:
    from django.core import mail
    from django.core.cache import cache

    # Links in mail must point at the live server.
    settings.SITE_URL = live_server.url
    # The public form's rate limit and other counters live in the cache: start clean.
    cache.clear()
    mail.outbox = []
    # Events stay pending until the test delivers them with deliver_outbox(): nothing
    # goes to the broker, so a worker started by another tier never takes them.
    monkeypatch.setattr("tickets.outbox.enqueue_event", lambda event_id, kind: None)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    j = Journey(browser, live_server.url, name, axe_source)
    yield j
    call = getattr(request.node, "rep_call", None)
    failed = call is not None and call.failed
    try:
        if call is not None and not failed:
            # Also after an xfail: its expected failure must not hide a JS error.
            j.assert_no_console_errors()
    except BrowserLogError:
        failed = True
        raise
    finally:
        if failed:
            j.report_failure()
        j.close()
