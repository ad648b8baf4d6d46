"""Build the benchmark database: a year of help-desk history of a chosen size, fast.

Run: ``python bench/generate.py --tickets 100000 [--db attune_bench] [--seed 1]``.

The database is dropped, created and migrated with ``manage.py migrate``; then every row is
streamed in with PostgreSQL COPY (psycopg2 ``copy_expert``), secondary indexes are dropped
during the load and rebuilt after it, foreign-key triggers are skipped for the loading
session only (the generator writes consistent keys), and the database is vacuumed and
analysed. Re-running with the same arguments gives the same data (seeded), dated
relative to the moment it runs.

What is in it, per ticket: a customer message, one agent reply (scored by the real empathy
analyzer, so ReplyScore rows are what the worker would have written) and usually a third
message (a customer follow-up or an internal note); the created / agent_replied /
status_changed events; for resolved and closed tickets a survey (sent, some answered) with
its credit. DailyRollup rows are computed from the ReplyScore rows by SQL, so they agree.
Open statuses concentrate on recent tickets, as in a real desk. Besides the history there
is one ticket with 50 messages (the ticket-view benchmark) and, when the history has fewer
than 10,000 resolutions, enough recently resolved tickets to make 10,000 surveys (the
survey-dispatch benchmark). Names and figures are kept in the table ``bench_meta``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway account on a loopback database
GENERATOR_VERSION = "1"
DISPATCH_SURVEYS = 10_000
BIG_TICKET_MESSAGES = 50
CHUNK = 20_000
N_AGENTS = 40
N_CUSTOMERS = 20_000
N_ORGS = 500
HISTORY_DAYS = 365
PROTECTED = ("attune", "postgres", "template0", "template1")

QUEUES = [  # slug, name, weight of the ticket flow
    ("general", "General", 40),
    ("billing", "Billing", 30),
    ("technical", "Technical", 20),
    ("accounts", "Accounts", 10),
]
FIRST = [
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Emma",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kim",
    "Lena",
    "Marco",
    "Nora",
    "Omar",
    "Paula",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Yara",
    "Zoe",
]
LAST = [
    "Smith",
    "Jones",
    "Garcia",
    "Müller",
    "Rossi",
    "Dubois",
    "Nowak",
    "Kim",
    "Silva",
    "Ivanova",
    "Brown",
    "Novak",
    "Costa",
    "Larsen",
    "Weber",
    "Sato",
    "Haddad",
]
TIMEZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Asia/Kolkata",
]
ISSUES = [
    "Cannot log in to",
    "Refund not received for",
    "Error when exporting",
    "Question about",
    "Double charge on",
    "Slow loading of",
    "Password reset for",
    "Missing items in",
    "How do I cancel",
    "Upgrade options for",
    "Wrong address on",
    "Crash in",
    "Cannot download",
    "Sync problem with",
    "Discount not applied to",
    "Invoice copy for",
]
OBJECTS = [
    "my account",
    "the mobile app",
    "my invoice",
    "order",
    "my subscription",
    "the dashboard",
    "the API",
    "the shipment",
    "the desktop client",
    "the annual plan",
    "the team workspace",
    "the report",
    "my card payment",
    "the integration",
]
PROBLEMS = [
    "I tried twice this morning and it still fails with an error.",
    "The page just spins and nothing happens.",
    "I was charged twice for the same month.",
    "The parcel was due on Monday and the tracking has not moved since.",
    "My colleagues can log in but I cannot.",
    "The export stops at about half of the rows.",
    "I followed the help article but the button is not there.",
    "I need the invoice for our accountant by Friday.",
    "The app closes as soon as I open the settings.",
    "I changed my password yesterday and now the reset link does not work.",
]
FEELINGS = [
    "This is really frustrating.",
    "This is the third time I am asking!!!",
    "I need this fixed today, our launch depends on it.",
    "Thanks in advance for your help.",
    "Could you please look into it?",
    "I am very disappointed with the service.",
    "",
]
OPENERS = ["Hi,", "Hello team,", "Hi there,", "Good morning,", ""]
REPLY_OPEN = ["Hi,", "Hello,", "Hi there,", "Thanks for getting in touch.", "Dear customer,", ""]
REPLY_ACK = [
    "I'm really sorry this still isn't working, that must be frustrating.",
    "I understand. However, that's our policy.",
    "We apologize for any inconvenience this may have caused.",
    "That sounds really stressful, especially with your deadline this week.",
    "Sorry you feel that way.",
    "So if I understand correctly, the charge appears twice on the same invoice.",
    "",
]
REPLY_BODY = [
    "I've checked your account and the issue is fixed now; please try again.",
    "You should have read the instructions before installing the update.",
    "Just clear the cache and restart the app, it's simple.",
    "Your refund was processed on Monday and will appear within 3-5 business days.",
    "Could you tell me what happened when you tried from your phone?",
    "I've escalated this to our engineers and they are working on it.",
    "The tracking shows the parcel at the local depot, so it should arrive tomorrow.",
    "Did you restart the router?",
    "I've sent a new reset link to your email address.",
]
REPLY_CLOSE = [
    "I'll update you by email as soon as I hear back.",
    "Your call is important to us.",
    "Let me know if there is anything else.",
    "PLEASE DO NOT REPLY TO THIS EMAIL.",
    "",
]
FOLLOW_UPS = [
    "Thanks, that worked.",
    "It still does not work, see the screenshot.",
    "OK, I will wait for your update.",
    "Thank you for the quick answer!",
    "Why does this keep happening?",
]
NOTES = [
    "Escalated to the billing team.",
    "Known issue, linked to the incident report.",
    "Customer is on the annual plan; offered a credit.",
    "Checked the logs: timeout on the export worker.",
]
SAMPLE_WORDS = ["refund", "invoice", "password", "export", "crash"]


def esc(value: str) -> str:
    """Escape text for COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def jdump(value: object) -> str:
    return esc(json.dumps(value, separators=(",", ":")))


class Loader:
    """Buffers rows per table and COPYs them in; keeps the id counters."""

    def __init__(self, cursor: psycopg2.extensions.cursor) -> None:
        self.cur = cursor
        self.buffers: dict[str, tuple[str, io.StringIO]] = {}
        self.ids: dict[str, int] = {}
        self.rows: dict[str, int] = {}

    def next_id(self, table: str) -> int:
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def add(self, table: str, columns: str, values: list[str]) -> None:
        if table not in self.buffers:
            self.buffers[table] = (columns, io.StringIO())
        self.buffers[table][1].write("\t".join(values))
        self.buffers[table][1].write("\n")
        self.rows[table] = self.rows.get(table, 0) + 1

    def flush(self) -> None:
        for table, (columns, buf) in self.buffers.items():
            buf.seek(0)
            self.cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buf)
        self.buffers.clear()


N = "\\N"  # NULL in COPY text format

TICKET_COLS = (
    "id,subject,status,priority,urgency,channel,created_at,updated_at,version,first_response_due,"
    "next_response_due,resolution_due,first_responded_at,awaiting_reply_since,resolved_at,"
    "sla_pauses,sla_warned,sla_breached,priority_score,priority_reasons,frustration,challenging,"
    "assignee_id,merged_into_id,queue_id,requester_id"
)
MESSAGE_COLS = "id,kind,body,channel,created_at,email_message_id,author_id,ticket_id"
EVENT_COLS = "id,kind,data,created_at,dispatched_at,actor_id,message_id,ticket_id"
SCORE_COLS = (
    "id,version,replied_at,overall,listening,validation,reflection,tone,confidence,opportunity,"
    "challenging,spans,suggestions,created_at,agent_id,message_id,ticket_id"
)
SURVEY_COLS = (
    "id,state,resolved_at,send_after,sent_at,reminded_at,answered_at,rating,understood,reason,"
    "comment,follow_up_opened,customer_id,queue_id,resolution_event_id,ticket_id"
)


class Generator:
    def __init__(self, loader: Loader, seed: int, now: float) -> None:
        self.out = loader
        self.rng = random.Random(seed)
        self.now = now
        self.customers: list[tuple[int, int]] = []  # (customer id, user id)
        self.team_agents: dict[int, list[int]] = {}  # queue id -> agent user ids
        self.queue_weights: list[int] = [w for _, _, w in QUEUES]
        self.queue_ids: list[int] = []
        self.done = 0

    # --- reference data --------------------------------------------------------------------
    def people(self, password_hash: str) -> dict[str, int]:
        out, rng = self.out, self.rng
        joined = ts(self.now - 400 * 86400)
        user_cols = (
            "id,password,last_login,is_superuser,username,first_name,last_name,email,is_staff,"
            "is_active,date_joined,role"
        )

        def user(username: str, first: str, last: str, role: str, pw: str, admin: bool) -> int:
            uid = out.next_id("accounts_user")
            flag = "t" if admin else "f"
            out.add(
                "accounts_user",
                user_cols,
                [
                    str(uid),
                    pw,
                    N,
                    flag,
                    username,
                    first,
                    last,
                    f"{username}@example.com",
                    flag,
                    "t",
                    joined,
                    role,
                ],
            )
            return uid

        named = {"admin": user("bench-admin", "Ada", "Admin", "admin", password_hash, True)}
        managers = [
            user(
                f"manager{t + 1}",
                rng.choice(FIRST),
                rng.choice(LAST),
                "manager",
                password_hash,
                False,
            )
            for t in range(len(QUEUES))
        ]
        agents = [
            user(
                f"agent{a + 1:02d}",
                rng.choice(FIRST),
                rng.choice(LAST),
                "agent",
                password_hash,
                False,
            )
            for a in range(N_AGENTS)
        ]
        named["manager"] = managers[0]
        named["agent"] = agents[0]
        for index, (slug, name, _) in enumerate(QUEUES):
            team_id = out.next_id("accounts_team")
            out.add("accounts_team", "id,name,slug", [str(team_id), f"{name} team", slug])
            out.add(
                "accounts_team_managers", "team_id,user_id", [str(team_id), str(managers[index])]
            )
            queue_id = out.next_id("tickets_queue")
            hours = json.dumps({str(d): [["09:00", "17:00"]] for d in range(5)})
            out.add(
                "tickets_queue",
                "id,slug,name,description,auto_assign,timezone,business_hours,holidays,team_id",
                [
                    str(queue_id),
                    slug,
                    name,
                    f"{name} questions",
                    "f",
                    "UTC",
                    esc(hours),
                    "[]",
                    str(team_id),
                ],
            )
            members = agents[
                index * N_AGENTS // len(QUEUES) : (index + 1) * N_AGENTS // len(QUEUES)
            ]
            for agent in members:
                out.add("accounts_team_members", "team_id,user_id", [str(team_id), str(agent)])
                out.add("tickets_queue_agents", "queue_id,user_id", [str(queue_id), str(agent)])
            self.team_agents[queue_id] = members
            self.queue_ids.append(queue_id)
        for agent in agents:
            profile = str(out.next_id("tickets_agentprofile"))
            out.add(
                "tickets_agentprofile",
                "id,capacity,available,last_assigned_at,user_id",
                [profile, "25", "t", N, str(agent)],
            )
        for priority, minutes in (("urgent", 60), ("high", 240), ("normal", 480), ("low", 1440)):
            for tier, factor in (("standard", 1.0), ("premium", 0.5), ("vip", 0.25)):
                first = int(minutes * factor)
                out.add(
                    "tickets_slapolicy",
                    "id,priority,tier,first_response_minutes,next_response_minutes,"
                    "resolution_minutes",
                    [
                        str(out.next_id("tickets_slapolicy")),
                        priority,
                        tier,
                        str(first),
                        str(first * 2),
                        str(first * 8),
                    ],
                )
        tiers = ["standard"] * 7 + ["premium"] * 2 + ["vip"]
        for o in range(N_ORGS):
            out.add(
                "tickets_organisation",
                "id,name,domain,tier",
                [
                    str(out.next_id("tickets_organisation")),
                    f"Company {o + 1}",
                    f"company{o + 1}.example",
                    rng.choice(tiers),
                ],
            )
        no_password = "!bench-no-password"  # noqa: S105 - an unusable password
        for c in range(N_CUSTOMERS):
            uid = user(
                f"customer{c + 1:05d}",
                rng.choice(FIRST),
                rng.choice(LAST),
                "customer",
                no_password,
                False,
            )
            cid = out.next_id("tickets_customer")
            org = str(rng.randint(1, N_ORGS)) if rng.random() < 0.7 else N
            tier = "vip" if rng.random() < 0.01 else ""
            out.add(
                "tickets_customer",
                "id,tier,timezone,created_at,user_id,organisation_id",
                [str(cid), tier, rng.choice(TIMEZONES), joined, str(uid), org],
            )
            self.customers.append((cid, uid))
        return named

    # --- text pools -------------------------------------------------------------------------
    def pools(self) -> None:
        from empathy.analyzer import analyze

        rng = self.rng
        self.subjects = [
            esc(
                f"{rng.choice(ISSUES)} {rng.choice(OBJECTS)}"
                + (f" #{rng.randint(1000, 99999)}" if rng.random() < 0.3 else "")
            )
            for _ in range(5000)
        ]
        self.pairs = []  # (customer body, reply body, score fields)
        for _ in range(3000):
            name = rng.choice(FIRST)
            customer = " ".join(
                p
                for p in (
                    rng.choice(OPENERS),
                    rng.choice(PROBLEMS),
                    rng.choice(FEELINGS),
                    f"Regards, {name}",
                )
                if p
            )
            reply = " ".join(
                p
                for p in (
                    rng.choice(REPLY_OPEN),
                    rng.choice(REPLY_ACK),
                    rng.choice(REPLY_BODY),
                    rng.choice(REPLY_BODY),
                    rng.choice(REPLY_CLOSE),
                )
                if p
            )
            result = analyze(reply, customer)
            data = result.to_dict()
            confidence = {
                c: getattr(result, c).confidence
                for c in ("listening", "validation", "reflection", "tone")
            }
            fields = [
                result.version,
                str(result.overall),
                str(result.listening.level),
                str(result.validation.level),
                str(result.reflection.level),
                str(result.tone.level),
                jdump(confidence),
                result.opportunity,
            ]
            self.pairs.append(
                (
                    esc(customer),
                    esc(reply),
                    fields,
                    jdump(data["spans"]),
                    jdump(data["suggestions"]),
                )
            )
        self.version = self.pairs[0][2][0]
        self.follow_ups = [esc(t) for t in FOLLOW_UPS]
        self.notes = [esc(t) for t in NOTES]
        self.reasons = [
            jdump([{"code": "urgency", "label": "Urgency", "points": p, "detail": "Stated."}])
            for p in range(101)
        ]

    # --- tickets ----------------------------------------------------------------------------
    def status_for(self, age_days: float) -> str:
        r = self.rng.random()
        if age_days < 2:
            table = (("new", 0.35), ("open", 0.75), ("pending", 0.90), ("on_hold", 0.95))
        elif age_days < 14:
            table = (
                ("new", 0.05),
                ("open", 0.25),
                ("pending", 0.40),
                ("on_hold", 0.45),
                ("resolved", 0.70),
            )
        else:
            table = (("open", 0.006), ("pending", 0.01), ("resolved", 0.03))
        for status, bound in table:
            if r < bound:
                return status
        return "closed"

    def ticket(self, created: float, status: str | None = None, messages: int = 0) -> int:
        out, rng = self.out, self.rng
        status = status or self.status_for((self.now - created) / 86400)
        queue_id = rng.choices(self.queue_ids, self.queue_weights)[0]
        customer_id, customer_user = rng.choice(self.customers)
        agents = self.team_agents[queue_id]
        agent = rng.choice(agents)
        assignee = N if status == "new" and rng.random() < 0.6 else str(agent)
        if assignee == N:
            agent = 0
        pair = rng.choice(self.pairs)
        customer_body, reply_body, score_fields, spans, suggestions = pair
        tid = out.next_id("tickets_ticket")
        urgency = rng.choices(("low", "normal", "high", "urgent"), (20, 60, 15, 5))[0]
        score = min(100, int(rng.betavariate(2, 5) * 100))
        challenging = rng.random() < 0.05
        channel = rng.choices(("email", "web", "portal", "api", "agent"), (50, 25, 15, 5, 5))[0]
        created_s = ts(created)
        first_due = ts(created + 4 * 3600)
        # Messages: the customer's, then (unless new) the reply, then usually one more.
        t = created
        first_message = self._message(tid, "customer", customer_body, channel, t, customer_user)
        self._event(
            tid,
            "created",
            {"channel": channel, "on_behalf": False},
            t,
            customer_user,
            out.ids["tickets_message"],
        )
        replied_at = N
        resolved_at = N
        last = t
        if status != "new" and agent:
            t += rng.uniform(600, 8 * 3600)
            t = min(t, self.now - 60)
            reply_id = self._message(tid, "reply", reply_body, "email", t, agent)
            self._event(tid, "agent_replied", {}, t, agent, reply_id)
            replied_at = ts(t)
            sid = out.next_id("empathy_replyscore")
            out.add(
                "empathy_replyscore",
                SCORE_COLS,
                [
                    str(sid),
                    score_fields[0],
                    replied_at,
                    *score_fields[1:8],
                    "t" if challenging else "f",
                    spans,
                    suggestions,
                    ts(t + 2),
                    str(agent),
                    str(reply_id),
                    str(tid),
                ],
            )
            # The score fields are [version, overall, l, v, r, tone, confidence, opportunity].
            last = t
            r = rng.random()
            if r < 0.65:
                t = min(t + rng.uniform(600, 86400), self.now - 30)
                self._message(
                    tid, "customer", rng.choice(self.follow_ups), channel, t, customer_user
                )
                self._event(
                    tid, "customer_replied", {}, t, customer_user, out.ids["tickets_message"]
                )
                last = t
            elif r < 0.85:
                t = min(t + rng.uniform(60, 3600), self.now - 30)
                self._message(tid, "note", rng.choice(self.notes), "agent", t, agent)
                self._event(tid, "note_added", {}, t, agent, out.ids["tickets_message"])
                last = t
        count = out.ids["tickets_message"] - first_message + 1
        for k in range(count, messages):  # the big ticket: alternate customer and agent messages
            t = min(t + 900, self.now - 10)
            if k % 2 == 0:
                self._message(tid, "customer", customer_body, channel, t, customer_user)
            else:
                mid = self._message(tid, "reply", reply_body, "email", t, agent)
                sid = out.next_id("empathy_replyscore")
                out.add(
                    "empathy_replyscore",
                    SCORE_COLS,
                    [
                        str(sid),
                        score_fields[0],
                        ts(t),
                        *score_fields[1:8],
                        "f",
                        spans,
                        suggestions,
                        ts(t + 2),
                        str(agent),
                        str(mid),
                        str(tid),
                    ],
                )
            last = t
        if status in ("resolved", "closed") and agent:
            t = min(last + rng.uniform(600, 2 * 86400), self.now - 7200)
            t = max(t, last)
            resolved_at = ts(t)
            eid = self._event(tid, "status_changed", {"from": "open", "to": status}, t, agent, 0)
            self._survey(tid, eid, customer_id, queue_id, agent, t)
            last = t
            self.done += 1
        awaiting = created_s if status in ("new", "open") else N
        out.add(
            "tickets_ticket",
            TICKET_COLS,
            [
                str(tid),
                self.subjects[tid % len(self.subjects)],
                status,
                urgency,
                urgency,
                channel,
                created_s,
                ts(last),
                "1",
                first_due,
                N,
                ts(created + 48 * 3600),
                replied_at,
                awaiting,
                resolved_at,
                "[]",
                "[]",
                "[]",
                str(score),
                self.reasons[score],
                f"{rng.random() * 0.6:.3f}",
                "t" if challenging else "f",
                assignee,
                N,
                str(queue_id),
                str(customer_id),
            ],
        )
        return tid

    def _message(self, tid: int, kind: str, body: str, channel: str, at: float, author: int) -> int:
        mid = self.out.next_id("tickets_message")
        self.out.add(
            "tickets_message",
            MESSAGE_COLS,
            [str(mid), kind, body, channel, ts(at), N, str(author), str(tid)],
        )
        return mid

    def _event(
        self, tid: int, kind: str, data: dict[str, object], at: float, actor: int, message: int
    ) -> int:
        eid = self.out.next_id("tickets_ticketevent")
        self.out.add(
            "tickets_ticketevent",
            EVENT_COLS,
            [
                str(eid),
                kind,
                jdump(data),
                ts(at),
                ts(at + 1),
                str(actor) if actor else N,
                str(message) if message else N,
                str(tid),
            ],
        )
        return eid

    def _survey(
        self, tid: int, event: int, customer: int, queue: int, agent: int, resolved: float
    ) -> None:
        out, rng = self.out, self.rng
        sid = out.next_id("surveys_survey")
        send_after = resolved + 3600
        sent = min(send_after, self.now - 3600)
        answered = rng.random() < 0.3
        rating = rng.choices((1, 2, 3, 4, 5), (5, 7, 13, 35, 40))[0] if answered else None
        out.add(
            "surveys_survey",
            SURVEY_COLS,
            [
                str(sid),
                "sent",
                ts(resolved),
                ts(send_after),
                ts(sent),
                N,
                ts(sent + rng.uniform(60, 86400)) if answered else N,
                str(rating) if rating else N,
                str(rng.randint(1, 5)) if answered else N,
                "time" if rating and rating <= 2 else "",
                "",
                "f",
                str(customer),
                str(queue),
                str(event),
                str(tid),
            ],
        )
        out.add(
            "surveys_surveycredit",
            "id,agent_id,survey_id",
            [str(out.next_id("surveys_surveycredit")), str(agent), str(sid)],
        )
        self._event(tid, "survey_sent", {"survey": sid}, sent, 0, 0)


BIG_TABLES = (
    "tickets_ticket",
    "tickets_message",
    "tickets_ticketevent",
    "empathy_replyscore",
    "surveys_survey",
    "surveys_surveycredit",
    "accounts_user",
    "tickets_customer",
)


def _secondary_indexes(cur: psycopg2.extensions.cursor) -> list[tuple[str, str]]:
    """Indexes that back no constraint: dropped for the load, rebuilt after."""
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid::regclass::text = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        (list(BIG_TABLES),),
    )
    return list(cur.fetchall())


def _step(label: str, fn: Callable[[], object], timings: dict[str, float]) -> None:
    started = time.perf_counter()
    fn()
    timings[label] = round(time.perf_counter() - started, 1)
    print(f"  {label}: {timings[label]} s", flush=True)


def generate(tickets: int, db: str, seed: int) -> dict[str, object]:
    if db in PROTECTED or db.startswith("test_"):
        raise SystemExit(f"refusing to touch database {db!r}")
    url = f"{PG}/{db}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (db,)
        )
        cur.execute(f'DROP DATABASE IF EXISTS "{db}"')
        cur.execute(f'CREATE DATABASE "{db}"')
    admin.close()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=url)
    _step(
        "migrate",
        lambda: subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=600,
        ),
        timings,
    )

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    conn = psycopg2.connect(url)
    cur = conn.cursor()
    cur.execute("SET session_replication_role = replica")  # no FK triggers while loading
    cur.execute("SET synchronous_commit = off")
    cur.execute("SET maintenance_work_mem = '1GB'")
    indexes = _secondary_indexes(cur)
    for name, _ in indexes:
        cur.execute(f"DROP INDEX {name}")
    loader = Loader(cur)
    now = time.time()
    gen = Generator(loader, seed, now)
    named: dict[str, int] = {}

    def reference() -> None:
        named.update(gen.people(make_password(PASSWORD)))
        gen.pools()
        loader.flush()

    _step("users, teams, queues, customers, text pools", reference, timings)

    def history() -> None:
        start = now - HISTORY_DAYS * 86400
        step = HISTORY_DAYS * 86400 / tickets
        with tqdm(total=tickets, unit="ticket", mininterval=1.0) as bar:
            for i in range(tickets):
                gen.ticket(start + i * step + gen.rng.uniform(0, step))
                if (i + 1) % CHUNK == 0:
                    loader.flush()
                    conn.commit()
                    bar.update(CHUNK)
            loader.flush()
            bar.update(tickets % CHUNK)
            # Enough recent resolutions for the survey-dispatch benchmark.
            while gen.done < DISPATCH_SURVEYS:
                gen.ticket(now - gen.rng.uniform(3, 10) * 86400, status="resolved")
            big = gen.ticket(now - 3 * 86400, status="open", messages=BIG_TICKET_MESSAGES)
            named["big_ticket"] = big
            loader.flush()
            conn.commit()

    _step(f"tickets and their rows ({tickets:,})", history, timings)

    def finish() -> None:
        from empathy.rollups import LEVELS_FROM_SCORES_SQL

        cur.execute(
            """
            INSERT INTO empathy_dailyrollup (day, version, replies, overall_sum, listening_sum,
                validation_sum, reflection_sum, tone_sum, listening_present, validation_present,
                reflection_present, challenging, agent_id, levels)
            SELECT (replied_at AT TIME ZONE 'UTC')::date, version, count(*), sum(overall),
                sum(listening), sum(validation), sum(reflection), sum(tone),
                count(*) FILTER (WHERE listening > 0), count(*) FILTER (WHERE validation > 0),
                count(*) FILTER (WHERE reflection > 0), count(*) FILTER (WHERE challenging),
                agent_id, '{}'::jsonb
            FROM empathy_replyscore GROUP BY 1, 2, agent_id
            """
        )
        # The level histograms, by the same SQL as the migration that introduced them.
        cur.execute(LEVELS_FROM_SCORES_SQL, {"tz": "UTC"})
        for table in loader.ids:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.commit()

    _step("rollups and sequences", finish, timings)

    # COPY ran without triggers (replica role), so the search documents the triggers keep
    # (tickets migration 0006) are built once the message index is back, and their GIN
    # index after them.
    search_indexes = [(name, sql) for name, sql in indexes if name == "searchdocument_fts"]
    indexes = [(name, sql) for name, sql in indexes if name != "searchdocument_fts"]

    def rebuild() -> None:
        for _, definition in tqdm(indexes, unit="index"):
            cur.execute(definition)
        conn.commit()

    _step(f"rebuild {len(indexes)} secondary indexes", rebuild, timings)

    def search_documents() -> None:
        cur.execute(
            "INSERT INTO tickets_searchdocument (ticket_id, document) "
            "SELECT id, tickets_search_build(id) FROM tickets_ticket"
        )
        for _, definition in search_indexes:
            cur.execute(definition)
        conn.commit()

    _step("search documents and their index", search_documents, timings)

    # The survey-dispatch set: the latest 10,000 resolutions.
    cur.execute(
        "SELECT min(id) FROM (SELECT id FROM surveys_survey ORDER BY id DESC LIMIT %s) s",
        (DISPATCH_SURVEYS,),
    )
    dispatch_min = cur.fetchone()[0]
    counts = {table: loader.rows.get(table, 0) for table in sorted(loader.rows)}
    cur.execute("SELECT count(*) FROM empathy_dailyrollup")
    counts["empathy_dailyrollup"] = cur.fetchone()[0]
    meta = {
        "generator_version": GENERATOR_VERSION,
        "tickets": tickets,
        "seed": seed,
        "generated_at": datetime.fromtimestamp(now, UTC).isoformat(),
        "password": PASSWORD,
        "admin_id": named["admin"],
        "manager_id": named["manager"],
        "agent_id": named["agent"],
        "big_ticket_id": named["big_ticket"],
        "dispatch_min_survey_id": dispatch_min,
        "dispatch_surveys": DISPATCH_SURVEYS,
        "analyzer_version": gen.version,
        "rows": counts,
    }
    cur.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
    for key, value in meta.items():
        cur.execute("INSERT INTO bench_meta VALUES (%s, %s)", (key, json.dumps(value)))
    conn.commit()
    conn.autocommit = True
    _step("VACUUM ANALYZE", lambda: cur.execute("VACUUM ANALYZE"), timings)
    cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    size = cur.fetchone()[0]
    total = round(time.perf_counter() - started, 1)
    timings["total"] = total
    cur.execute(
        "INSERT INTO bench_meta VALUES ('timings', %s), ('size', %s)",
        (json.dumps(timings), json.dumps(size)),
    )
    conn.close()
    print(f"done: {tickets:,} tickets in {total} s; database {db} is {size}")
    for table, n in counts.items():
        print(f"  {table:<28} {n:>12,}")
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--db", default="attune_bench")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not 1_000 <= args.tickets <= 5_000_000:
        raise SystemExit("--tickets must be between 1,000 and 5,000,000")
    generate(args.tickets, args.db, args.seed)


if __name__ == "__main__":
    main()
