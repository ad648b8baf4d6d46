"""Score every public reply that has no score for the current analyzer version.

Resumable by construction: it selects replies without a score for this version, so an
interrupted run simply continues where it stopped.
"""

import argparse
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from tqdm import tqdm

from empathy.analyzer import VERSION
from empathy.models import ReplyScore
from empathy.services import reply_score_or_record_failure
from tickets.models import Message, MessageKind


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        # A batch of 0 would end the run at once, reporting "Scored 0" as if all was done.
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


class Command(BaseCommand):
    help = "Re-score agent replies with the current analyzer version, in batches."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=_positive_int, default=500)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, batch: int, no_progress: bool, **options: Any) -> None:
        todo = Message.objects.filter(kind=MessageKind.REPLY, author__isnull=False).exclude(
            Exists(ReplyScore.objects.filter(message=OuterRef("pk"), version=VERSION))
        )
        total = todo.count()
        scored = 0
        last_pk = 0
        with tqdm(total=total, disable=no_progress, unit="reply") as bar:
            while True:
                chunk = list(
                    todo.filter(pk__gt=last_pk).select_related("ticket").order_by("pk")[:batch]
                )
                if not chunk:
                    break
                for message in chunk:
                    if reply_score_or_record_failure(message=message) is not None:
                        scored += 1
                    bar.update(1)
                last_pk = chunk[-1].pk
        self.stdout.write(f"Scored {scored} replies with analyzer {VERSION}.")
