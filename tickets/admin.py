from django.contrib import admin

from tickets.models import (
    Attachment,
    Customer,
    InboundEmail,
    Message,
    Organisation,
    Queue,
    SlaPolicy,
    Tag,
    Ticket,
    TicketEvent,
)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    list_display = ("id", "subject", "status", "priority", "priority_score", "queue", "assignee")
    list_filter = ("status", "priority", "queue", "channel", "challenging")
    search_fields = ("subject",)
    raw_id_fields = ("requester", "assignee", "merged_into")
    # Changes go through the services (events, SLA, outbox), so the admin only reads.
    readonly_fields = [f.name for f in Ticket._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ("id", "ticket", "kind", "author", "channel", "created_at")
    list_filter = ("kind", "channel")
    raw_id_fields = ("ticket", "author")


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin[InboundEmail]):
    list_display = ("message_id", "state", "received_at", "processed_at", "ticket")
    list_filter = ("state",)
    exclude = ("raw",)
    readonly_fields = ("message_id", "state", "detail", "ticket", "received_at", "processed_at")


admin.site.register(Queue)
admin.site.register(Organisation)
admin.site.register(Customer, raw_id_fields=("user",))
admin.site.register(SlaPolicy)
admin.site.register(Tag)
admin.site.register(Attachment, raw_id_fields=("message",))
admin.site.register(TicketEvent, raw_id_fields=("ticket", "actor", "message"))
