"""Score every public reply that has no score for the current analyzer version.

Resumable by construction: it selects replies without a score for this version, so an
interrupted run simply continues where it stopped. The `empathy.tasks.rescore_stale` beat
task does the same work unattended after a deployment; only one of them runs at a time.
"""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from empathy.analyzer import VERSION
from empathy.rescore import rescore_batch, rescore_lock, rescore_progress


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
        with rescore_lock() as acquired:
            if not acquired:
                raise CommandError(
                    "A re-score is already running (the beat task or another command); "
                    "try again when it has finished."
                )
            scored = self._rescore(batch=batch, no_progress=no_progress)
        self.stdout.write(f"Scored {scored} replies with analyzer {VERSION}.")

    def _rescore(self, *, batch: int, no_progress: bool) -> int:
        progress = rescore_progress()
        scored = 0
        last_pk = 0
        with tqdm(
            total=progress.total, initial=progress.done, disable=no_progress, unit="reply"
        ) as bar:
            while True:
                result = rescore_batch(after_pk=last_pk, size=batch)
                if not result.examined:
                    break
                scored += result.scored
                last_pk = result.last_pk
                bar.update(result.examined)
        return scored
