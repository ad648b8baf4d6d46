"""The access-control matrix: every named route x every role -> the expected outcome.

One row per (route, method, example object). The seven columns are the roles of
`conftest.ROLES`; a cell is the status the role must get, or LOGIN for a redirect to
the login page. Anything the role may not see answers 404 (never 403: a 403 would
reveal that the object exists) unless the whole area is closed to the role.

`test_route_inventory` fails when a named route has no row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.security.conftest import A_SUBJECT, World

LOGIN = "login"  # 302 to /login/?next=...
Expect = tuple[int | str, int | str, int | str, int | str, int | str, int | str, int | str]
Data = Callable[[World], Any] | None


@dataclass(frozen=True)
class Op:
    route: str
    method: str
    expect: Expect
    args: tuple[str, ...] = ()
    query: str = ""  # formatted with w=World
    data: Data = None
    json: bool = False  # send data as JSON (API)
    headers: dict[str, str] = field(default_factory=dict)
    raw: Callable[[World], bytes] | None = None  # raw body (inbound mail)
    note: str = ""
    reveals: tuple[str, ...] = ()  # markers shown to whoever holds the signed link

    @property
    def id(self) -> str:
        suffix = f"-{'-'.join(self.args)}" if self.args else ""
        return f"{self.method} {self.route}{suffix}{'-' + self.note if self.note else ''}"

    @property
    def writes(self) -> bool:
        return self.method not in ("GET", "HEAD")


def _v(ticket: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"version": getattr(w, ticket).version}


def _reply(w: World) -> dict[str, Any]:
    return {"kind": "reply", "body": "Matrix reply.", "version": w.ticket_b.version}


def _mail(w: World) -> bytes:
    return (
        f"From: {w.customer_b.user.email}\r\nTo: support@attune.localhost\r\n"
        "Subject: Matrix mail\r\nMessage-ID: <matrix-1@example.com>\r\n"
        "Content-Type: text/plain\r\n\r\nHello from mail.\r\n"
    ).encode()


_REVIEW = {"listening": 2, "validation": 2, "reflection": 2, "tone": 2, "feedback": "ok"}
SECRET = {"HTTP_X_ATTUNE_SECRET": "inbound-test-secret"}

#                                          anon   cust_a cust_b agt_x  agt_y  mgr_x  admin
OPS: list[Op] = [
    # --- site, auth, public form --------------------------------------------------------------
    Op("home", "GET",                     (302,   302,   302,   302,   302,   302,   302)),
    Op("healthz", "GET",                  (200,   200,   200,   200,   200,   200,   200)),
    Op("login", "GET",                    (200,   302,   302,   302,   302,   302,   302)),
    Op("login", "POST",                   (200,   302,   302,   302,   302,   302,   302),
       data=lambda w: {"username": "nobody", "password": "wrong"}),
    Op("login", "PUT",                    (200,   302,   302,   302,   302,   302,   302),
       note="Django's LoginView treats PUT as POST"),
    Op("logout", "GET",                   (405,   405,   405,   405,   405,   405,   405)),
    Op("logout", "POST",                  (302,   302,   302,   302,   302,   302,   302)),
    Op("public:new", "GET",               (200,   200,   200,   200,   200,   200,   200)),
    Op("public:new", "POST",              (302,   302,   302,   302,   302,   302,   302),
       data=lambda w: {"name": "New Person", "email": "new.person@example.org",
                       "subject": "Matrix", "description": "Matrix body", "urgency": "normal"}),
    Op("public:thanks", "GET",            (200,   200,   200,   200,   200,   200,   200)),
    # --- customer portal ------------------------------------------------------------------------
    Op("portal:list", "GET",              (LOGIN, 200,   200,   403,   403,   403,   403)),
    Op("portal:login", "GET",             (200,   200,   200,   200,   200,   200,   200),
       args=("portal_token_a",)),
    Op("portal:login", "POST",            (302,   302,   302,   302,   302,   302,   302),
       args=("portal_token_a",)),
    Op("portal:login", "GET",             (400,   400,   400,   400,   400,   400,   400),
       args=("forged_portal_token",), note="forged"),
    Op("portal:login", "POST",            (400,   400,   400,   400,   400,   400,   400),
       args=("forged_portal_token",), note="forged"),
    Op("portal:login", "GET",             (400,   400,   400,   400,   400,   400,   400),
       args=("used_portal_token_a",), note="used"),
    Op("portal:login", "POST",            (400,   400,   400,   400,   400,   400,   400),
       args=("used_portal_token_a",), note="used"),
    Op("portal:detail", "GET",            (LOGIN, 200,   404,   403,   403,   403,   403),
       args=("ticket_a",)),
    Op("portal:detail", "GET",            (LOGIN, 404,   200,   403,   403,   403,   403),
       args=("ticket_b",)),
    Op("portal:reply", "GET",             (405,   405,   405,   405,   405,   405,   405),
       args=("ticket_a",)),
    Op("portal:reply", "POST",            (LOGIN, 404,   302,   403,   403,   403,   403),
       args=("ticket_b",), data=lambda w: {"body": "Customer matrix reply."}),
    # --- workspace ------------------------------------------------------------------------------
    Op("workspace:queue", "GET",          (LOGIN, 403,   403,   200,   200,   200,   200),
       query="view=all"),
    Op("workspace:search", "GET",         (LOGIN, 403,   403,   200,   200,   200,   200),
       query="q=zephyr"),
    Op("workspace:bulk", "GET",           (405,   405,   405,   405,   405,   405,   405)),
    Op("workspace:bulk", "POST",          (LOGIN, 403,   403,   302,   302,   302,   302),
       data=lambda w: {"tickets": [w.ticket_a.pk, w.ticket_b.pk], "action": "tag", "tag": "bulk"}),
    Op("workspace:new", "GET",            (LOGIN, 403,   403,   200,   200,   200,   200)),
    Op("workspace:new", "POST",           (LOGIN, 403,   403,   400,   302,   400,   302),
       data=lambda w: {"customer_email": "walk.in@example.org", "customer_name": "Walk In",
                       "queue": w.queue_y.slug, "subject": "Phoned in", "description": "Call",
                       "urgency": "normal"}),
    Op("workspace:macros", "GET",         (LOGIN, 403,   403,   200,   200,   200,   200)),
    Op("workspace:macros", "POST",        (LOGIN, 403,   403,   302,   302,   302,   302),
       data=lambda w: {"name": "New macro", "body": "Hi", "queue": ""}),
    Op("workspace:macro-edit", "GET",     (LOGIN, 403,   403,   404,   200,   404,   200),
       args=("macro_y",)),
    Op("workspace:macro-edit", "POST",    (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("macro_y",), data=lambda w: {"name": "Renamed", "body": "Changed", "queue": ""}),
    Op("workspace:macro-delete", "GET",   (405,   405,   405,   405,   405,   405,   405),
       args=("macro_y",)),
    Op("workspace:macro-delete", "POST",  (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("macro_y",)),
    Op("workspace:detail", "GET",         (LOGIN, 403,   403,   200,   404,   200,   200),
       args=("ticket_a",)),
    Op("workspace:detail", "GET",         (LOGIN, 403,   403,   404,   200,   404,   200),
       args=("ticket_b",)),
    Op("workspace:detail", "GET",         (LOGIN, 403,   403,   200,   404,   200,   200),
       args=("ticket_a",), query="macro={w.macro_y.pk}", note="foreign-macro"),
    Op("workspace:reply", "POST",         (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("ticket_b",), data=_reply),
    Op("workspace:status", "POST",        (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("ticket_b",), data=lambda w: {"status": "pending", **_v("ticket_b")(w)}),
    Op("workspace:priority", "POST",      (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("ticket_b",), data=lambda w: {"priority": "high", **_v("ticket_b")(w)}),
    Op("workspace:take", "POST",          (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("ticket_b",)),
    Op("workspace:presence", "POST",      (LOGIN, 403,   403,   404,   200,   404,   200),
       args=("ticket_b",), data=lambda w: {"mode": "viewing", "last_message": "0"}),
    Op("workspace:assign", "POST",        (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("ticket_b",), data=lambda w: {"assignee": w.user("agent_y").pk, **_v("ticket_b")(w)}),
    Op("workspace:tags", "POST",          (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("ticket_b",), data=lambda w: {"tags": "matrix"}),
    Op("workspace:merge", "POST",         (LOGIN, 403,   403,   404,   302,   404,   302),
       args=("ticket_b",), data=lambda w: {"into": w.ticket_b2.pk}),
    Op("workspace:merge", "POST",         (LOGIN, 403,   403,   302,   404,   302,   302),
       args=("ticket_a",), data=lambda w: {"into": w.ticket_b.pk}, note="into-foreign"),
    # --- attachments ----------------------------------------------------------------------------
    Op("files:attachment", "GET",         (LOGIN, 200,   404,   200,   404,   200,   200),
       args=("att_a",)),
    Op("files:attachment", "GET",         (LOGIN, 200,   404,   200,   404,   200,   200),
       args=("reply_att_a",)),
    Op("files:attachment", "GET",         (LOGIN, 404,   404,   200,   404,   200,   200),
       args=("note_att_a",)),
    Op("files:attachment", "GET",         (LOGIN, 404,   200,   404,   200,   404,   200),
       args=("att_b",)),
    Op("files:attachment", "GET",         (LOGIN, 404,   404,   404,   200,   404,   200),
       args=("note_att_b",)),
    Op("files:attachment", "POST",        (405,   405,   405,   405,   405,   405,   405),
       args=("att_a",)),
    # --- empathy --------------------------------------------------------------------------------
    Op("empathy:coach", "GET",            (405,   405,   405,   405,   405,   405,   405)),
    Op("empathy:coach", "POST",           (LOGIN, 403,   403,   404,   200,   404,   200),
       data=lambda w: {"ticket": w.ticket_b.pk, "draft": "Sorry about that."}),
    Op("empathy:dashboard", "GET",        (LOGIN, 403,   403,   403,   403,   200,   200)),
    Op("empathy:export", "GET",           (LOGIN, 403,   403,   403,   403,   200,   200)),
    Op("empathy:calibrate", "GET",        (405,   405,   405,   405,   405,   405,   405),
       args=("team_x",)),
    Op("empathy:calibrate", "POST",       (LOGIN, 403,   403,   403,   403,   302,   302),
       args=("team_x",), data=lambda w: {"action": "calibrate"}),
    # Another team's calibration: its manager only (and admins).
    Op("empathy:calibrate", "POST",       (LOGIN, 403,   403,   403,   403,   404,   302),
       args=("team_y",), data=lambda w: {"action": "reset"}),
    Op("empathy:reflect", "GET",          (405,   405,   405,   405,   405,   405,   405),
       args=("ticket_a",)),
    Op("empathy:reflect", "POST",         (LOGIN, 403,   403,   302,   404,   404,   404),
       args=("ticket_a",), data=lambda w: {"went_well": "Listening", "differently": "Faster"}),
    Op("empathy:review", "GET",           (LOGIN, 403,   403,   403,   403,   200,   200),
       args=("score_x",)),
    Op("empathy:review", "GET",           (LOGIN, 403,   403,   403,   403,   404,   200),
       args=("score_y",)),
    Op("empathy:review", "POST",          (LOGIN, 403,   403,   403,   403,   404,   302),
       args=("score_y",), data=lambda w: _REVIEW),
    Op("empathy:mine", "GET",             (LOGIN, 403,   403,   200,   200,   200,   200)),
    Op("empathy:acknowledge", "GET",      (405,   405,   405,   405,   405,   405,   405),
       args=("review_x",)),
    Op("empathy:acknowledge", "POST",     (LOGIN, 403,   403,   302,   404,   404,   404),
       args=("review_x",), data=lambda w: {"reply": "Thanks"}),
    # --- surveys: the signed link is the credential, whoever holds it ------------------------
    Op("surveys:answer", "GET",           (200,   200,   200,   200,   200,   200,   200),
       args=("survey_token_a",), reveals=(A_SUBJECT,)),
    Op("surveys:answer", "POST",          (200,   200,   200,   200,   200,   200,   200),
       args=("survey_token_a",), data=lambda w: {"rating": 4, "understood": 4, "comment": "ok"},
       reveals=(A_SUBJECT,)),
    Op("surveys:answer", "GET",           (400,   400,   400,   400,   400,   400,   400),
       args=("forged_survey_token",), note="forged"),
    Op("surveys:report", "GET",           (LOGIN, 403,   403,   403,   403,   200,   200)),
    # --- inbound mail: the shared secret, never a session -----------------------------------
    Op("inbound:email", "GET",            (405,   405,   405,   405,   405,   405,   405)),
    Op("inbound:email", "POST",           (403,   403,   403,   403,   403,   403,   403),
       raw=_mail, note="no-secret"),
    Op("inbound:email", "POST",           (202,   202,   202,   202,   202,   202,   202),
       raw=_mail, headers=SECRET),
    # --- API v1 ---------------------------------------------------------------------------------
    Op("api-v1:tickets", "GET",           (401,   200,   200,   200,   200,   200,   200)),
    Op("api-v1:tickets", "GET",           (401,   200,   200,   200,   200,   200,   200),
       query="q=zephyr", note="search"),
    Op("api-v1:tickets", "POST",          (401,   201,   201,   400,   400,   400,   400),
       json=True, data=lambda w: {"subject": "API matrix", "body": "Body"}),
    Op("api-v1:tickets", "POST",          (401,   403,   403,   400,   201,   400,   201),
       json=True, data=lambda w: {"subject": "API matrix", "body": "Body", "queue": w.queue_y.slug,
                                  "requester_email": w.customer_b.user.email}, note="into-y"),
    Op("api-v1:ticket", "GET",            (401,   404,   200,   404,   200,   404,   200),
       args=("ticket_b",)),
    Op("api-v1:ticket", "PATCH",          (401,   404,   403,   404,   200,   404,   200),
       args=("ticket_b",), json=True, data=lambda w: {"priority": "high"}),
    Op("api-v1:ticket-merge", "POST",     (401,   404,   403,   404,   200,   404,   200),
       args=("ticket_b",), json=True, data=lambda w: {"into": w.ticket_b2.pk}),
    # Staff only (the customer may see the source: 403); admin: different requesters (400).
    Op("api-v1:ticket-merge", "POST",     (401,   403,   404,   404,   404,   404,   400),
       args=("ticket_a",), json=True, data=lambda w: {"into": w.ticket_b.pk}, note="into-foreign"),
    Op("api-v1:messages", "GET",          (401,   404,   200,   404,   200,   404,   200),
       args=("ticket_b",)),
    Op("api-v1:ticket-events", "GET",     (401,   404,   200,   404,   200,   404,   200),
       args=("ticket_b",)),
    Op("api-v1:messages", "POST",         (401,   404,   403,   404,   201,   404,   201),
       args=("ticket_b",), json=True, data=lambda w: {"kind": "note", "body": "API note"}),
    Op("api-v1:messages", "POST",         (401,   404,   201,   404,   400,   404,   400),
       args=("ticket_b",), json=True, data=lambda w: {"kind": "customer", "body": "Me again"},
       note="customer"),
    Op("api-v1:queues", "GET",            (401,   200,   200,   200,   200,   200,   200)),
    Op("api-v1:customers", "GET",         (401,   403,   403,   200,   200,   200,   200)),
    Op("api-v1:customers", "GET",         (401,   403,   403,   200,   200,   200,   200),
       query="email={w.customer_b.user.email}", note="by-email"),
    Op("api-v1:customer", "GET",          (401,   403,   403,   404,   200,   404,   200),
       args=("customer_b",)),
    Op("api-v1:macros", "GET",            (401,   403,   403,   200,   200,   200,   200)),
    Op("api-v1:macros", "POST",           (401,   403,   403,   400,   201,   400,   201),
       json=True, data=lambda w: {"name": "API macro", "body": "Hi", "queue": w.queue_y.slug}),
    Op("api-v1:macro", "DELETE",          (401,   403,   403,   404,   204,   404,   204),
       args=("macro_y",)),
    Op("api-v1:tokens", "GET",            (401,   200,   200,   200,   200,   200,   200)),
    Op("api-v1:tokens", "POST",           (401,   201,   201,   201,   201,   201,   201),
       json=True, data=lambda w: {"name": "mine"}),
    Op("api-v1:token", "DELETE",          (401,   404,   204,   404,   404,   404,   404),
       args=("token_b",)),
    Op("api-v1:empathy-coach", "POST",    (401,   403,   403,   200,   200,   200,   200),
       json=True, data=lambda w: {"draft": "Sorry to hear that."}),
    Op("api-v1:empathy-coach", "POST",    (401,   403,   403,   404,   200,   404,   200),
       json=True, data=lambda w: {"draft": "Sorry.", "ticket": w.ticket_b.pk}, note="ticket"),
    Op("api-v1:empathy-scores", "GET",    (401,   403,   403,   200,   200,   200,   200)),
    Op("api-v1:empathy-feedback", "GET",  (401,   403,   403,   200,   200,   200,   200)),
    # Only the agent whose reply was reviewed acts on the feedback, as in the browser.
    Op("api-v1:empathy-feedback-acknowledge", "POST",
                                          (401,   403,   403,   200,   404,   404,   404),
       args=("review_x",), json=True, data=lambda w: {"reply": "Thanks"}),
    Op("api-v1:empathy-dashboard", "GET", (401,   403,   403,   403,   403,   200,   200)),
    Op("api-v1:empathy-review", "PUT",    (401,   403,   403,   403,   403,   404,   200),
       args=("score_y",), json=True, data=lambda w: {"feedback": "API review"}),
    # One's own review only: the admin has not reviewed score_x, the manager not score_y.
    Op("api-v1:empathy-review", "GET",    (401,   403,   403,   403,   403,   200,   404),
       args=("score_x",)),
    Op("api-v1:empathy-review", "GET",    (401,   403,   403,   403,   403,   404,   200),
       args=("score_y",)),
    Op("api-v1:empathy-exemplary", "GET", (401,   403,   403,   200,   200,   200,   200)),
    Op("api-v1:empathy-reflections", "GET", (401, 403,   403,   200,   200,   200,   200)),
    # Only the ticket the page prompts agent X for (challenging, resolved, answered by X).
    Op("api-v1:empathy-reflections", "POST", (401, 403,   403,   201,   404,   404,   404),
       json=True, data=lambda w: {"ticket": w.ticket_a.pk, "went_well": "Listening"}),
    Op("api-v1:survey-summary", "GET",    (401,   403,   403,   403,   403,   200,   200)),
    Op("api-v1:surveys", "GET",           (401,   403,   403,   403,   403,   200,   200)),
    Op("api-v1:webhooks", "GET",          (401,   403,   403,   403,   403,   403,   200)),
    Op("api-v1:webhooks", "POST",         (401,   403,   403,   403,   403,   403,   201),
       json=True, data=lambda w: {"url": "http://127.0.0.1:9/hook", "events": ["ticket.created"],
                                  "allow_private_network": True}),
    Op("api-v1:webhook", "GET",           (401,   403,   403,   403,   403,   403,   200),
       args=("webhook",)),
    Op("api-v1:webhook", "DELETE",        (401,   403,   403,   403,   403,   403,   204),
       args=("webhook",)),
    # --- API docs: public by design (no data, only the schema) -------------------------------
    Op("api:schema", "GET",               (200,   200,   200,   200,   200,   200,   200)),
    Op("api:docs", "GET",                 (200,   200,   200,   200,   200,   200,   200)),
    Op("api:redoc", "GET",                (200,   200,   200,   200,   200,   200,   200)),
]  # fmt: skip

MATRIX_ROUTES = frozenset(op.route for op in OPS)
POST_OPS = [op for op in OPS if op.writes]
