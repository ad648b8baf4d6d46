"""Places in the workspace that other apps fill, without tickets importing them.

The empathy app registers its live-coaching panel for the reply editor here in its
AppConfig.ready(); the ticket view renders whatever is registered.
"""

from __future__ import annotations

_REPLY_PANELS: list[str] = []


def register_reply_panel(template_name: str) -> None:
    if template_name not in _REPLY_PANELS:
        _REPLY_PANELS.append(template_name)


def reply_panels() -> tuple[str, ...]:
    return tuple(_REPLY_PANELS)
