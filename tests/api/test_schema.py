"""The OpenAPI document covers every v1 route, and the docs pages work offline under our CSP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern

from helpdesk.api_urls import v1

SCHEMA = "/api/schema/"
IGNORED_METHODS = {"options", "head"}


def openapi_path(pattern: URLPattern) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
    return f"/api/v1/{route}"


def view_methods(pattern: URLPattern) -> set[str]:
    view = pattern.callback.cls  # type: ignore[attr-defined]
    return {m for m in view.http_method_names if m not in IGNORED_METHODS and hasattr(view, m)}


@pytest.fixture
def document(client: Client, db: None) -> dict[str, Any]:
    response = client.get(SCHEMA, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return dict(response.json())


def test_it_publishes_an_openapi_3_document(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Attune API"
    assert "tokenAuth" in document["components"]["securitySchemes"]


def test_it_lists_every_v1_route_and_nothing_else(document: dict[str, Any]) -> None:
    expected = {openapi_path(p): view_methods(p) for p in v1 if isinstance(p, URLPattern)}

    assert len(expected) == len(v1)
    assert set(document["paths"]) == set(expected)
    for path, methods in expected.items():
        assert set(document["paths"][path]) == methods, path


def test_it_documents_the_error_body_of_every_operation(document: dict[str, Any]) -> None:
    error_ref = "#/components/schemas/Error"
    detail = document["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == {"code", "message", "fields"}
    assert set(detail["required"]) == {"code", "message"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status in ("401", "429"):
                body = operation["responses"][status]["content"]["application/json"]
                assert body["schema"] == {"$ref": error_ref}, (method, path, status)


def local_references(client: Client, url: str) -> tuple[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    return html, re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_it_serves_docs_from_local_static_files_only(url: str, client: Client, db: None) -> None:
    html, references = local_references(client, url)

    assert references
    assert not re.search(r"https?://", html), "the docs must work without the Internet"
    for reference in references:
        assert reference.startswith("/"), reference
        assert not reference.startswith("//"), reference
        fetched = client.get(reference)
        assert fetched.status_code == 200, reference
        body = b"".join(fetched.streaming_content) if fetched.streaming else fetched.content
        assert body


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_it_serves_docs_that_our_csp_allows(url: str, client: Client, db: None) -> None:
    """`script-src 'self'; style-src 'self'`: inline code would leave the page blank."""
    html, _ = local_references(client, url)
    csp = client.get(url)["Content-Security-Policy"]

    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        assert "src=" in attributes, "inline script"
        assert not body.strip()
    assert "<style" not in html
    assert not re.search(r"\son\w+=", html), "inline event handler"


def test_it_serves_the_swagger_start_script_as_javascript(client: Client, db: None) -> None:
    _, references = local_references(client, "/api/docs/")
    [script] = [r for r in references if "script" in r and "/static/" not in r]

    response = client.get(script.replace("&amp;", "&"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert SCHEMA in response.content.decode()
