"""A rolled-back message leaves no file behind; the orphans command sweeps the rest."""

from __future__ import annotations

import os
import time
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction

from tickets.models import Attachment, Channel
from tickets.services import AttachmentInput, ticket_create, ticket_customer_reply

LOG = AttachmentInput("router.log", "text/plain", b"line 1\nline 2\n")


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_a_ticket_that_fails_after_its_file_is_written_leaves_no_file(
    customer, queue, media
) -> None:
    with (
        mock.patch("tickets.services.intake.event_record", side_effect=RuntimeError("db gone")),
        pytest.raises(RuntimeError),
    ):
        ticket_create(
            requester=customer, queue=queue, subject="Logs", body="", channel=Channel.WEB,
            attachments=[LOG],
        )  # fmt: skip

    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_reply_rolled_back_by_its_caller_leaves_no_file(ticket, customer, media) -> None:
    written: list[Path] = []

    @transaction.atomic
    def reply_then_fail() -> None:
        ticket_customer_reply(
            ticket=ticket, customer=customer, body="Logs attached", channel=Channel.PORTAL,
            attachments=[LOG],
        )  # fmt: skip
        written.extend(stored_files(media))
        raise RuntimeError("the caller fails later in the same transaction")

    with pytest.raises(RuntimeError):
        reply_then_fail()

    assert len(written) == 1
    assert stored_files(media) == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_attachment_keeps_its_file(customer, queue, media) -> None:
    ticket = ticket_create(
        requester=customer, queue=queue, subject="Logs", body="", channel=Channel.WEB,
        attachments=[LOG],
    )  # fmt: skip

    [attachment] = Attachment.objects.filter(message__ticket=ticket)
    assert stored_files(media) == [media / attachment.file.name]
    assert attachment.file.read() == LOG.data


def make_orphan(media: Path, name: str, age_hours: float) -> Path:
    path = media / "attachments" / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left by a crash")
    then = time.time() - age_hours * 3600
    os.utime(path, (then, then))
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("attachments_orphans", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_orphans_command_lists_by_default_and_deletes_only_when_asked(
    ticket, customer, media
) -> None:
    ticket_customer_reply(
        ticket=ticket, customer=customer, body="", channel=Channel.PORTAL, attachments=[LOG]
    )
    [kept] = stored_files(media)
    os.utime(kept, (time.time() - 48 * 3600,) * 2)  # old, but referenced
    old = make_orphan(media, "ab" + "0" * 62, age_hours=30)
    recent = make_orphan(media, "cd" + "1" * 62, age_hours=1)  # maybe a running transaction

    assert run().startswith("1 orphaned attachment file(s) older than 24 h.")
    assert old.exists()
    assert run("--list").splitlines()[0] == f"attachments/ab/{old.name}"

    assert run("--delete") == "Deleted 1 orphaned attachment file(s).\n"
    assert not old.exists()
    assert kept.exists()
    assert recent.exists()
    assert run("--delete", "--grace-hours", "0.5") == "Deleted 1 orphaned attachment file(s).\n"
    assert stored_files(media) == [kept]


@pytest.mark.django_db
def test_the_orphans_command_finds_nothing_before_any_upload() -> None:
    assert run().startswith("0 orphaned")
