"""The load client of bench/reliability.py: a second process, no Django, plain http.client.

Run by the bench as ``python bench/reliability_client.py KIND SPEC.json``; prints one JSON
object: the counts (status codes, latencies) and what it created, for the bench to check
against the database.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HOST = "127.0.0.1"  # loopback only, always
SUBMIT_SECONDS = 3.0  # what a customer may wait for a submission, Redis or not


def http_request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, bytes, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response
    finally:
        conn.close()


class Client:
    """Counts every request: status, latency; thread-safe."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.port = spec["port"]
        self.api = {
            "Authorization": f"Bearer {spec.get('token', '')}",
            "Content-Type": "application/json",
        }
        self.lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.timings: list[float] = []

    def call(
        self, method: str, path: str, data: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int | str, bytes, http.client.HTTPResponse | None]:
        body = data if isinstance(data, bytes) else json.dumps(data).encode() if data else b""
        started = time.perf_counter()
        try:
            status, payload, response = http_request(
                self.port, method, path, body, headers or self.api
            )
        except OSError as exc:
            status, payload, response = type(exc).__name__, b"", None  # type: ignore[assignment]
        with self.lock:
            self.timings.append(time.perf_counter() - started)
            self.statuses[str(status)] += 1
        return status, payload, response

    def create_ticket(self, tag: str, i: int) -> int | None:
        status, payload, _ = self.call(
            "POST",
            "/api/v1/tickets/",
            {
                "subject": f"{tag} {i}: the export stops halfway",
                "body": "Hi, the export stops at half of the rows. This is really frustrating.",
                "urgency": "normal",
                "requester_email": f"rel{i % 500}@customers.example",
                "requester_name": "Reliability Customer",
            },
        )
        return int(json.loads(payload)["id"]) if status == 201 else None

    def reply(self, ticket_id: int, i: int) -> bool:
        status, _, _ = self.call(
            "POST",
            f"/api/v1/tickets/{ticket_id}/messages/",
            {"kind": "reply", "body": f"I understand how frustrating this is; fix {i} is live."},
        )
        return status == 201

    def submit_form(self, tag: str, i: int) -> bool:
        """The public form as a browser does it: GET (CSRF cookie + token), then POST."""
        status, page, response = self.call("GET", "/support/new/", headers={})
        if status != 200 or response is None:
            return False
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not (cookie and token):
            return False
        form = urlencode({
            "csrfmiddlewaretoken": token.group(1).decode(), "name": "Form Customer",
            "email": f"form{i}@customers.example", "subject": f"{tag} {i}: cannot log in",
            "description": "Since this morning the login page says my password is wrong.",
            "urgency": "normal",
        }).encode()  # fmt: skip
        status, _, _ = self.call(
            "POST", "/support/new/", form,
            {"Content-Type": "application/x-www-form-urlencoded",
             "Cookie": f"csrftoken={cookie.group(1)}"},
        )  # fmt: skip
        return status == 302

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.timings) or [0.0]
        errors = sum(n for s, n in self.statuses.items() if s not in ("200", "201", "202", "302"))
        return {
            "requests": len(self.timings),
            "errors": errors,
            "statuses": dict(self.statuses),
            "p50_ms": round(1000 * ordered[len(ordered) // 2], 1),
            "p95_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
            "max_s": round(ordered[-1], 2),
        }


def client_replies(spec: dict[str, Any]) -> dict[str, Any]:
    c = Client(spec)
    with ThreadPoolExecutor(spec["threads"]) as pool:
        ids = [
            t
            for t in pool.map(lambda i: c.create_ticket(spec["tag"], i), range(spec["tickets"]))
            if t
        ]
        ok = sum(pool.map(lambda i: c.reply(ids[i % len(ids)], i), range(spec["replies"])))
    return {**c.summary(), "tickets": len(ids), "replies": ok}


def client_submit(spec: dict[str, Any]) -> dict[str, Any]:
    """Half through the API (every `reply_every`-th then answered by the agent), half the form."""
    c = Client(spec)
    durations: list[float] = []
    lock = threading.Lock()

    def one(i: int) -> bool:
        started = time.perf_counter()
        if i % 2:
            ok = c.submit_form(spec["tag"], i)
        else:
            ticket = c.create_ticket(spec["tag"], i)
            ok = ticket is not None
            if ok and i % spec["reply_every"] == 0:
                ok = c.reply(ticket, i)  # type: ignore[arg-type]
        with lock:
            durations.append(time.perf_counter() - started)
        return ok

    with ThreadPoolExecutor(spec["threads"]) as pool:
        ok = sum(pool.map(one, range(spec["n"])))
    durations.sort()
    server_errors = sum(n for s, n in c.statuses.items() if s.startswith("5"))
    return {
        **c.summary(),
        "ok": ok,
        "server_errors": server_errors,
        "failures": spec["n"] - ok,
        "slow": sum(1 for d in durations if d > SUBMIT_SECONDS),
        "max_s": round(durations[-1], 2) if durations else 0.0,
        "p95_s": round(durations[min(len(durations) - 1, int(0.95 * len(durations)))], 2),
    }


def client_resolved(spec: dict[str, Any]) -> dict[str, Any]:
    """Tickets of different customers (a customer is surveyed once a month), then resolved."""
    c = Client(spec)

    def one(i: int) -> bool:
        status, payload, _ = c.call("POST", "/api/v1/tickets/", {
            "subject": f"{spec['tag']} {i}: refund please", "body": "I was charged twice.",
            "urgency": "normal", "requester_email": f"{spec['tag'][1:-1]}-{i}@customers.example",
            "requester_name": f"Customer {i}",
        })  # fmt: skip
        if status != 201:
            return False
        ticket = json.loads(payload)["id"]
        status, _, _ = c.call("PATCH", f"/api/v1/tickets/{ticket}/", {"status": "resolved"})
        return status == 200

    with ThreadPoolExecutor(spec["threads"]) as pool:
        resolved = sum(pool.map(one, range(spec["n"])))
    return {**c.summary(), "resolved": resolved}


def client_inbound(spec: dict[str, Any]) -> dict[str, Any]:
    c = Client(spec)
    headers = {"X-Attune-Secret": spec["secret"], "Content-Type": "message/rfc822"}
    for i, message_id in enumerate(spec["message_ids"]):
        raw = (
            f"From: Mail Customer {i} <mail{i}@customers.example>\r\n"
            f"To: support@attune.localhost\r\nSubject: {spec['tag']} {i}: invoice missing\r\n"
            f"Message-ID: <{message_id}>\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Hello, the November invoice never arrived. Could you send it again?\r\n"
        ).encode()
        start = threading.Barrier(spec["copies"])

        def post(_: int, raw: bytes = raw, start: threading.Barrier = start) -> None:
            start.wait(timeout=30)
            c.call("POST", "/inbound/email/", raw, headers)

        with ThreadPoolExecutor(spec["copies"]) as pool:
            list(pool.map(post, range(spec["copies"])))
    summary = c.summary()
    return {**summary, "posts": summary["requests"]}


def client_traffic(spec: dict[str, Any]) -> dict[str, Any]:
    """Create / read / reply for `seconds`, as fast as possible or paced at `rate` per second."""
    c = Client(spec)
    kinds = [k for k, weight in spec["mix"].items() for _ in range(weight)]
    created: list[int] = []
    ops: Counter[str] = Counter()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + spec["seconds"]
    counter = iter(range(10**9))

    def worker() -> None:
        rng = random.Random()
        while True:
            with lock:
                i = next(counter)
            if spec["rate"]:  # paced: request i is due at i / rate
                delay = started + i / spec["rate"] - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            if time.monotonic() >= deadline:
                return
            kind = rng.choice(kinds) if created else "create"
            with lock:
                ops[kind] += 1
                target = rng.choice(created[-200:]) if created else 0
            if kind == "create":
                ticket = c.create_ticket(spec["tag"], i)
                if ticket is not None:
                    with lock:
                        created.append(ticket)
            elif kind == "read":
                c.call("GET", f"/api/v1/tickets/{target}/" if i % 3 else "/api/v1/tickets/")
            else:
                c.reply(target, i)

    threads = [threading.Thread(target=worker) for _ in range(spec["threads"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        **c.summary(),
        "seconds": round(time.monotonic() - started, 1),
        "created_ids": created,
        "ops": dict(ops),
    }


CLIENTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "replies": client_replies,
    "submit": client_submit,
    "resolved": client_resolved,
    "inbound": client_inbound,
    "traffic": client_traffic,
}


def main() -> None:
    kind, spec_path = sys.argv[1], Path(sys.argv[2])
    spec = json.loads(spec_path.read_text())
    spec_path.unlink()
    print(json.dumps(CLIENTS[kind](spec)))


if __name__ == "__main__":
    main()
