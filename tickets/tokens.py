"""Signed tokens: portal magic links and reply addresses that thread mail safely."""

from __future__ import annotations

import enum
import hmac

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from tickets.models import Customer

_PORTAL_SALT = "attune.portal.login"
_REPLY_SALT = "attune.mail.reply"


class PortalLink(enum.Enum):
    """What a magic-link token turned out to be; the invalid page says which."""

    VALID = "valid"
    USED = "used"  # authentic, but the customer has signed in since it was mailed
    EXPIRED = "expired"
    INVALID = "invalid"


def _sign_in_state(customer: Customer) -> str:
    # Like Django's PasswordResetTokenGenerator: signing in updates last_login, which
    # changes this value and so retires every link mailed before. A deactivated account
    # retires its links too.
    user = customer.user
    # Microseconds kept (PostgreSQL and SQLite store them): two sign-ins within one
    # second must still tell a spent link from a fresh one.
    last_login = "" if user.last_login is None else user.last_login.isoformat()
    value = f"{customer.pk}:{user.pk}:{last_login}:{user.is_active}"
    return salted_hmac(_PORTAL_SALT, value, algorithm="sha256").hexdigest()[:20]


def portal_token(customer: Customer) -> str:
    """A single-use sign-in link token, valid ATTUNE_MAGIC_LINK_MAX_AGE seconds."""
    return signing.dumps(
        {"c": customer.pk, "s": _sign_in_state(customer)}, salt=_PORTAL_SALT, compress=False
    )


def portal_token_check(token: str) -> tuple[PortalLink, Customer | None]:
    """(VALID, customer) for a usable token; otherwise why not, and no customer."""
    try:
        data = signing.loads(token, salt=_PORTAL_SALT, max_age=settings.ATTUNE_MAGIC_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return PortalLink.EXPIRED, None
    except signing.BadSignature:
        return PortalLink.INVALID, None
    customer_id = data.get("c") if isinstance(data, dict) else None
    state = data.get("s") if isinstance(data, dict) else None
    if not isinstance(customer_id, int) or not isinstance(state, str):
        return PortalLink.INVALID, None
    customer = Customer.objects.select_related("user").filter(pk=customer_id).first()
    # Only customer accounts sign in by link: staff need their password.
    if customer is None or not customer.user.is_customer or not customer.user.is_active:
        return PortalLink.INVALID, None
    if not hmac.compare_digest(state, _sign_in_state(customer)):
        return PortalLink.USED, None
    return PortalLink.VALID, customer


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
