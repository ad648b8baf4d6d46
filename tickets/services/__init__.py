"""Every write to tickets goes through these functions, whatever the channel."""

from tickets.services.attachments import AttachmentInput
from tickets.services.conversation import ticket_customer_reply, ticket_note_add, ticket_reply
from tickets.services.customers import customer_get_or_create
from tickets.services.intake import ticket_create
from tickets.services.sla import sla_check, ticket_refresh
from tickets.services.workflow import (
    ticket_assign,
    ticket_change_status,
    ticket_merge,
    ticket_set_priority,
    ticket_set_tags,
    ticket_take,
)

__all__ = [
    "AttachmentInput",
    "customer_get_or_create",
    "sla_check",
    "ticket_assign",
    "ticket_change_status",
    "ticket_create",
    "ticket_customer_reply",
    "ticket_merge",
    "ticket_note_add",
    "ticket_refresh",
    "ticket_reply",
    "ticket_set_priority",
    "ticket_set_tags",
    "ticket_take",
]
