"""Signed tokens: portal magic links and reply addresses that thread mail safely."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core import signing

_PORTAL_SALT = "attune.portal.login"
_REPLY_SALT = "attune.mail.reply"


def portal_token(customer_id: int) -> str:
    return signing.dumps({"c": customer_id}, salt=_PORTAL_SALT, compress=False)


def portal_token_customer_id(token: str) -> int | None:
    """The customer id in a valid, unexpired magic-link token, else None."""
    try:
        data = signing.loads(token, salt=_PORTAL_SALT, max_age=settings.ATTUNE_MAGIC_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    customer_id = data.get("c") if isinstance(data, dict) else None
    return customer_id if isinstance(customer_id, int) else None


def _reply_signature(ticket_id: int) -> str:
    return signing.Signer(salt=_REPLY_SALT).signature(str(ticket_id))[:16].lower()


def reply_token(ticket_id: int) -> str:
    """`t<id>.<sig>`, put in the Reply-To plus-address so a reply finds its ticket."""
    return f"t{ticket_id}.{_reply_signature(ticket_id)}"


def reply_token_ticket_id(token: str) -> int | None:
    prefix, _, signature = token.lower().partition(".")
    if not prefix.startswith("t") or not prefix[1:].isdigit():
        return None
    ticket_id = int(prefix[1:])
    if not hmac.compare_digest(signature, _reply_signature(ticket_id)):
        return None
    return ticket_id
