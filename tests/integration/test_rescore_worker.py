"""Re-scoring after an analyzer upgrade with the real worker: history scored by an older
version gets one current-version score per reply, and the rollups follow."""

from __future__ import annotations

import time

import pytest

from empathy.analyzer import VERSION
from empathy.models import DailyRollup, ReplyScore
from empathy.tasks import rescore_stale
from tests.integration.fixtures import wait_until
from tickets.services import ticket_reply

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

OLD_VERSION = "2000.1.1"
BODY = "I understand how frustrating this must be. We are looking into the export now."


def test_the_worker_rescores_history_left_by_an_older_analyzer_once(celery_worker, ticket, agent):
    replies = [ticket_reply(ticket=ticket, author=agent, body=f"{BODY} ({i})") for i in range(8)]
    wait_until(lambda: ReplyScore.objects.filter(message__in=replies).count() == 8)
    # What a deployment that bumps VERSION finds: every score and rollup is an old version's.
    ReplyScore.objects.filter(message__in=replies).update(version=OLD_VERSION)
    DailyRollup.objects.filter(agent=agent).update(version=OLD_VERSION)

    # Two at once, as a beat tick and a continuation could be: still one score per reply.
    rescore_stale.delay(batch_size=3)
    rescore_stale.delay(batch_size=3)
    current = ReplyScore.objects.filter(message__in=replies, version=VERSION)
    wait_until(lambda: current.count() == 8)
    time.sleep(1.0)  # let a duplicate show up, if there were one

    assert current.count() == 8
    assert current.values("message").distinct().count() == 8
    assert DailyRollup.objects.get(agent=agent, version=VERSION).replies == 8
    assert DailyRollup.objects.get(agent=agent, version=OLD_VERSION).replies == 8
