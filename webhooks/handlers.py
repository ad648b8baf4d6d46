from tickets.models import TicketEvent
from tickets.outbox import register
from webhooks.services import EVENT_NAMES, webhooks_fan_out


@register("webhooks.fan_out", kinds=frozenset(EVENT_NAMES), queue="default")
def fan_out(event: TicketEvent) -> None:
    webhooks_fan_out(event)
