"""Places in the workspace that other apps fill, without tickets importing them.

The empathy app registers its live-coaching panel for the reply editor here in its
AppConfig.ready(), and the surveys app the customer's past CSAT for the ticket page's
sidebar; the ticket view renders whatever is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Expression, Subquery

_REPLY_PANELS: list[str] = []


def register_reply_panel(template_name: str) -> None:
    if template_name not in _REPLY_PANELS:
        _REPLY_PANELS.append(template_name)


def reply_panels() -> tuple[str, ...]:
    return tuple(_REPLY_PANELS)


Annotations = Mapping[str, Expression | Subquery]


@dataclass(frozen=True, slots=True)
class CustomerPanel:
    """A card of the ticket page's customer sidebar.

    The template reads `ticket`; what it shows beyond the ticket's fields comes as
    annotations on the ticket's own query, so a panel never adds a query to the page
    (its query count is pinned in tests).
    """

    template_name: str
    annotations: Callable[[], Annotations]


_CUSTOMER_PANELS: dict[str, CustomerPanel] = {}


def register_customer_panel(template_name: str, annotations: Callable[[], Annotations]) -> None:
    _CUSTOMER_PANELS[template_name] = CustomerPanel(template_name, annotations)


def customer_panels() -> tuple[str, ...]:
    return tuple(_CUSTOMER_PANELS)


def customer_panel_annotations() -> dict[str, Expression | Subquery]:
    merged: dict[str, Expression | Subquery] = {}
    for panel in _CUSTOMER_PANELS.values():
        merged.update(panel.annotations())
    return merged
