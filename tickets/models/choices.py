from django.db import models


class Tier(models.TextChoices):
    STANDARD = "standard", "Standard"
    PREMIUM = "premium", "Premium"
    VIP = "vip", "VIP"


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending on customer"
    ON_HOLD = "on_hold", "On hold"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Channel(models.TextChoices):
    WEB = "web", "Web form"
    EMAIL = "email", "Email"
    API = "api", "API"
    AGENT = "agent", "Agent (phone, chat)"
    PORTAL = "portal", "Customer portal"


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", "Customer message"
    REPLY = "reply", "Public reply"
    NOTE = "note", "Internal note"


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    CUSTOMER_REPLIED = "customer_replied", "Customer replied"
    AGENT_REPLIED = "agent_replied", "Agent replied"
    NOTE_ADDED = "note_added", "Internal note added"
    ASSIGNED = "assigned", "Assigned"
    STATUS_CHANGED = "status_changed", "Status changed"
    PRIORITY_CHANGED = "priority_changed", "Priority changed"
    TAGS_CHANGED = "tags_changed", "Tags changed"
    QUEUE_CHANGED = "queue_changed", "Moved to another queue"
    MERGED = "merged", "Merged"
    SLA_WARNING = "sla_warning", "SLA warning"
    SLA_BREACHED = "sla_breached", "SLA breached"
    SURVEY_SENT = "survey_sent", "Survey sent"
    SURVEY_ANSWERED = "survey_answered", "Survey answered"
    FOLLOW_UP_OPENED = "follow_up_opened", "Follow-up opened"
    LOW_EMPATHY_SCORE = "low_empathy_score", "Reply scored low on empathy"
