from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Satisfaction surveys"

    def ready(self) -> None:
        from surveys import handlers  # noqa: F401 - registers the outbox subscriptions
        from surveys.sidebar import past_csat_annotations
        from tickets.extensions import register_customer_panel

        register_customer_panel("surveys/_past_csat.html", past_csat_annotations)
