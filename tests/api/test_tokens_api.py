"""Personal API tokens: created once over the session, used as Bearer, listed, revoked."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from accounts.models import ApiToken, Role, User
from accounts.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from tickets.models import Customer, Ticket

TOKENS = "/api/v1/tokens/"


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def create_token(client: Client, name: str = "CI export") -> Any:
    return client.post(TOKENS, {"name": name}, content_type="application/json")


def assert_unauthorized(response: Any, code: str) -> None:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Bearer"
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]


def database_contains(text: str) -> list[str]:
    """Every table whose rows mention `text` anywhere, read column by column as text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT 1 FROM {quoted} AS t WHERE strpos(t::text, %s) > 0 LIMIT 1",  # noqa: S608
                [text],
            )
            if cursor.fetchone():
                found.append(table)
    return found


def test_it_creates_a_token_shown_once_and_stores_only_its_hash(
    client_for: Callable[[User], Client], agent: User
) -> None:
    response = create_token(client_for(agent))

    assert response.status_code == 201, response.content
    body = response.json()
    key = body["key"]
    assert key.startswith("atn_")
    assert len(key) > 40
    assert body["name"] == "CI export"
    assert body["prefix"] == key[:12]
    assert body["revoked_at"] is None
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == agent
    assert token.key_hash != key
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert database_contains(key) == []
    assert database_contains(token.key_hash) == ["accounts_apitoken"]


def test_it_authenticates_with_the_bearer_key(
    client_for: Callable[[User], Client], customer: Customer, ticket: Ticket
) -> None:
    key = create_token(client_for(customer.user)).json()["key"]

    response = bearer(key).get("/api/v1/tickets/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [ticket.pk]
    token = ApiToken.objects.get(user=customer.user)
    assert token.last_used_at is not None


def test_it_reads_the_auth_scheme_case_insensitively(agent: User) -> None:
    """RFC 7235: the scheme is case-insensitive; some clients send "bearer"."""
    _, key = api_token_create(user=agent, name="laptop")

    for scheme in ("bearer", "BEARER"):
        client = Client(headers={"Authorization": f"{scheme} {key}"})
        assert client.get(TOKENS).status_code == 200, scheme


def test_it_never_lists_the_key(client_for: Callable[[User], Client], agent: User) -> None:
    client = client_for(agent)
    key = create_token(client).json()["key"]

    response = client.get(TOKENS)

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert set(row) == {"id", "name", "prefix", "created_at", "last_used_at", "revoked_at"}
    assert key not in response.content.decode()


def test_it_revokes_a_token_which_then_answers_401(
    client_for: Callable[[User], Client], agent: User
) -> None:
    client = client_for(agent)
    created = create_token(client).json()
    assert bearer(created["key"]).get(TOKENS).status_code == 200

    response = client.delete(f"{TOKENS}{created['id']}/")

    assert response.status_code == 204
    assert response.content == b""
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is not None
    refused = bearer(created["key"]).get("/api/v1/tickets/")
    assert_unauthorized(refused, "authentication_failed")
    assert refused.json() == {
        "error": {"code": "authentication_failed", "message": "Invalid or revoked API token."}
    }


def test_it_refuses_the_token_of_a_deactivated_user(agent: User) -> None:
    _, key = api_token_create(user=agent, name="laptop")
    agent.is_active = False
    agent.save(update_fields=["is_active"])

    assert_unauthorized(bearer(key).get("/api/v1/tickets/"), "authentication_failed")


def test_it_answers_404_for_another_users_token(
    client_for: Callable[[User], Client], agent: User, make_user: Callable[..., User]
) -> None:
    other = make_user(Role.AGENT)
    theirs, _ = api_token_create(user=other, name="theirs")

    response = client_for(agent).delete(f"{TOKENS}{theirs.pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_it_lists_only_the_callers_tokens(
    client_for: Callable[[User], Client], agent: User, make_user: Callable[..., User]
) -> None:
    mine, _ = api_token_create(user=agent, name="mine")
    api_token_create(user=make_user(Role.AGENT), name="theirs")

    response = client_for(agent).get(TOKENS)

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_it_pages_the_token_list_newest_first_by_cursor(
    client_for: Callable[[User], Client], agent: User
) -> None:
    made = [api_token_create(user=agent, name=f"t{n}")[0] for n in range(5)]
    api_token_revoke(token=made[0])  # revoked ones stay listed, with their revocation time
    client = client_for(agent)

    seen: list[int] = []
    page = client.get(TOKENS, {"page_size": 2}).json()
    while True:
        seen += [row["id"] for row in page["results"]]
        if page["next"] is None:
            break
        page = client.get(page["next"]).json()

    assert seen == [token.pk for token in reversed(made)]


def test_it_answers_404_for_a_forged_cursor(
    client_for: Callable[[User], Client], agent: User
) -> None:
    response = client_for(agent).get(TOKENS, {"cursor": "bm9wZQ"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_refuses_a_token_beyond_the_active_limit_with_a_clear_error(
    client_for: Callable[[User], Client], agent: User
) -> None:
    ApiToken.objects.bulk_create(
        ApiToken(user=agent, name=f"t{n}", prefix="atn_x", key_hash=f"{n:064x}")
        for n in range(MAX_ACTIVE_TOKENS)
    )
    client = client_for(agent)

    response = create_token(client)

    assert response.status_code == 400, response.content
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "You already have 100 active API tokens, the most allowed; "
            "revoke one you no longer use first.",
        }
    }
    assert ApiToken.objects.filter(user=agent).count() == MAX_ACTIVE_TOKENS


def test_a_revoked_token_frees_a_place_under_the_limit(
    client_for: Callable[[User], Client], agent: User, make_user: Callable[..., User]
) -> None:
    tokens = ApiToken.objects.bulk_create(
        ApiToken(user=agent, name=f"t{n}", prefix="atn_x", key_hash=f"{n:064x}")
        for n in range(MAX_ACTIVE_TOKENS)
    )
    # Another user's tokens do not count against this one's limit.
    api_token_create(user=make_user(Role.AGENT), name="theirs")
    api_token_revoke(token=tokens[0])

    response = create_token(client_for(agent))

    assert response.status_code == 201, response.content


def test_it_refuses_anonymous_callers(client: Client, agent: User) -> None:
    assert_unauthorized(client.get(TOKENS), "not_authenticated")
    assert_unauthorized(create_token(client), "not_authenticated")
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unknown_or_malformed_key(db: None) -> None:
    assert_unauthorized(bearer("atn_not-a-real-key").get(TOKENS), "authentication_failed")
    assert_unauthorized(bearer("garbage").get(TOKENS), "authentication_failed")


def test_it_requires_csrf_when_the_session_creates_a_token(agent: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)

    response = create_token(client)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not ApiToken.objects.exists()


def test_it_answers_400_for_a_missing_name(
    client_for: Callable[[User], Client], agent: User
) -> None:
    response = client_for(agent).post(TOKENS, {}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"name": ["This field is required."]}
    assert not ApiToken.objects.exists()
