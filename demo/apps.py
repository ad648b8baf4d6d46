from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo help desk loader: it spans every app, so it belongs to none of them."""

    name = "demo"
    verbose_name = "Demo data"
