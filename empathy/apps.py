from django.apps import AppConfig


class EmpathyConfig(AppConfig):
    name = "empathy"
    verbose_name = "Empathy coaching"
