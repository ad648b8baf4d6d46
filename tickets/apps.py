from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        # Registers the outbox handlers for customer mail.
        from tickets import notifications  # noqa: F401
