from django.contrib import admin

from webhooks.models import Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    list_display = ("url", "active", "allow_private_network", "created_at")
    readonly_fields = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ("name", "webhook", "state", "attempts", "response_status", "created_at")
    list_filter = ("state", "name")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
