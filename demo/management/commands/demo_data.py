from typing import Any

from django.core.management.base import BaseCommand

from demo.loader import DEMO_PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo help desk (idempotent: does nothing if tickets already exist)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--per-scenario", type=int, default=5)

    def handle(self, *args: Any, per_scenario: int, **options: Any) -> None:
        if demo_loaded():
            self.stdout.write("Demo data already present; nothing to do.")
            logins = None
        else:
            logins = load_demo(per_scenario=per_scenario)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if logins:
            self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for role, username in logins.items():
                self.stdout.write(f"  {role:<9} {username}")
