from django.apps import AppConfig


class EmpathyConfig(AppConfig):
    name = "empathy"
    verbose_name = "Empathy coaching"

    def ready(self) -> None:
        from empathy import handlers  # noqa: F401 - registers the outbox subscription
        from tickets.extensions import register_reply_panel

        register_reply_panel("empathy/_coach_panel.html")
