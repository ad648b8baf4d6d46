"""Every named route is in the access matrix: a new route cannot ship untested."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.matrix import MATRIX_ROUTES, OPS

EXCLUDED_NAMESPACES = {"admin"}  # Django's admin has its own permission model


def _named_patterns(
    patterns: list[object], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def site_routes() -> set[str]:
    return {
        name for name, _ in _named_patterns(get_resolver().url_patterns) if "static" not in name
    }


def _class_view_methods(pattern: URLPattern) -> set[str]:
    """The HTTP methods a class-based view (Django or DRF) implements; empty for a function
    view, whose methods cannot be read from outside."""
    view_class = getattr(pattern.callback, "view_class", None) or getattr(
        pattern.callback, "cls", None
    )
    if view_class is None:
        return set()
    return {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)}


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


def test_every_method_of_a_class_based_route_is_in_the_matrix() -> None:
    # An API operation is a route and a method: a PATCH added to an existing endpoint must
    # not ship without its row either.
    in_matrix: dict[str, set[str]] = {}
    for op in OPS:
        in_matrix.setdefault(op.route, set()).add(op.method)
    missing = sorted(
        f"{method} {name}"
        for name, pattern in _named_patterns(get_resolver().url_patterns)
        for method in _class_view_methods(pattern) - in_matrix.get(name, set())
    )
    assert not missing, f"Operations missing from tests/security/matrix.py: {missing}"
