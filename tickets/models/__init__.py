from tickets.models.choices import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Channel,
    EventKind,
    MessageKind,
    Priority,
    Status,
    Tier,
)
from tickets.models.event import EventDelivery, InboundEmail, TicketEvent
from tickets.models.macro import Macro
from tickets.models.message import Attachment, Message
from tickets.models.organisation import Customer, Organisation
from tickets.models.queue import AgentProfile, Queue, SlaPolicy, Tag
from tickets.models.search import SearchDocument
from tickets.models.ticket import Ticket, TicketQuerySet

__all__ = [
    "DONE_STATUSES",
    "OPEN_STATUSES",
    "AgentProfile",
    "Attachment",
    "Channel",
    "Customer",
    "EventDelivery",
    "EventKind",
    "InboundEmail",
    "Macro",
    "Message",
    "MessageKind",
    "Organisation",
    "Priority",
    "Queue",
    "SearchDocument",
    "SlaPolicy",
    "Status",
    "Tag",
    "Ticket",
    "TicketEvent",
    "TicketQuerySet",
    "Tier",
]
