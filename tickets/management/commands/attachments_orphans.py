"""List (or delete) attachment files that no Attachment row references."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from tickets.services.attachments import attachment_orphans, attachment_orphans_delete


class Command(BaseCommand):
    help = (
        "Find stored attachment files with no Attachment row (left by a crash between the "
        "write and a rollback). Dry run unless --delete."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="Delete the orphans instead of listing them."
        )
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24.0,
            help="Only files older than this (default 24): newer ones may belong to a "
            "transaction still running.",
        )
        parser.add_argument(
            "--list", dest="show", action="store_true", help="Print each orphan's name."
        )

    def handle(
        self, *args: Any, delete: bool, grace_hours: float, show: bool, **options: Any
    ) -> None:
        orphans = [*attachment_orphans(older_than=timedelta(hours=grace_hours))]
        if show:
            for name in orphans:
                self.stdout.write(name)
        if delete:
            count = attachment_orphans_delete(orphans)
            self.stdout.write(f"Deleted {count} orphaned attachment file(s).")
        else:
            self.stdout.write(
                f"{len(orphans)} orphaned attachment file(s) older than {grace_hours:g} h. "
                "Run with --delete to remove them."
            )
