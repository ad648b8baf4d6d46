"""Template filters about inbound mail, for the agent's view of a conversation."""

from __future__ import annotations

from django import template
from django.conf import settings

from tickets.models import Channel, Message, MessageKind

register = template.Library()


@register.filter
def sender_unverified(message: Message) -> bool:
    """A customer's mail whose From address nobody authenticated.

    Without a trusted receiving server (ATTUNE_INBOUND_AUTHSERV_ID) a From header is
    only a claim, so agents are told before acting on it. With one, mail that fails
    opens its own ticket tagged unverified-sender instead (tickets.services.email_intake).
    """
    return (
        message.kind == MessageKind.CUSTOMER
        and message.channel == Channel.EMAIL
        and not settings.ATTUNE_INBOUND_AUTHSERV_ID
    )
