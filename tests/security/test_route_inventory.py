"""Every named route is in the access matrix: a new route cannot ship untested."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.matrix import MATRIX_ROUTES

EXCLUDED_NAMESPACES = {"admin"}  # Django's admin has its own permission model


def _named_routes(patterns: list[object], namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def site_routes() -> set[str]:
    return {name for name in _named_routes(get_resolver().url_patterns) if "static" not in name}


def test_it_finds_the_routes_it_walks() -> None:
    routes = site_routes()
    assert {"workspace:detail", "api-v1:tickets", "files:attachment", "surveys:answer"} <= routes
    assert not any(name.startswith("admin:") for name in routes)


def test_every_route_is_in_the_matrix() -> None:
    missing = sorted(site_routes() - MATRIX_ROUTES)
    assert not missing, f"Routes missing from tests/security/matrix.py: {missing}"


def test_the_matrix_names_no_route_that_is_gone() -> None:
    stale = sorted(MATRIX_ROUTES - site_routes())
    assert not stale, f"Matrix rows for routes that no longer exist: {stale}"
