from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        # Registers the outbox handlers for customer mail.
        from tickets import notifications  # noqa: F401

        # Connects the SLA policy cache's invalidation in every process that saves policies.
        from tickets.services import sla  # noqa: F401
