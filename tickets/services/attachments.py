"""Attachment checks and storage, shared by every channel."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from tickets.errors import TicketError
from tickets.models import Attachment, Message
from tickets.services.text import clean_line

logger = logging.getLogger(__name__)

# Executables and scripts are refused outright; everything else is stored and only
# ever served as a download (Content-Disposition: attachment, nosniff, sandbox CSP).
BLOCKED_EXTENSIONS = frozenset(
    {
        ".exe", ".msi", ".bat", ".cmd", ".com", ".scr", ".pif", ".vbs", ".vbe", ".js",
        ".jse", ".wsf", ".wsh", ".ps1", ".psm1", ".jar", ".dll", ".sh", ".apk", ".app",
        ".hta", ".cpl", ".lnk", ".reg",
    }
)  # fmt: skip
MAX_ATTACHMENTS = 10
ATTACHMENTS_DIR = "attachments"  # where tickets.models.attachment_path puts every file


@dataclass(frozen=True)
class AttachmentInput:
    filename: str
    content_type: str
    data: bytes
    inline: bool = False


def safe_filename(name: str, index: int = 1) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name
    # Leading dots hide files; trailing dots and spaces are dropped by Windows, so
    # "setup.exe." must be checked (and saved) as "setup.exe".
    base = clean_line(base, max_chars=150).lstrip(".").rstrip(". ")
    return base or f"attachment-{index}.bin"


def attachments_validate(files: list[AttachmentInput] | tuple[AttachmentInput, ...]) -> None:
    """Refuse the whole set before anything is written, with a message per problem."""
    if len(files) > MAX_ATTACHMENTS:
        raise TicketError(f"At most {MAX_ATTACHMENTS} attachments per message.")
    limit = settings.ATTACHMENT_MAX_BYTES
    errors: list[str] = []
    for index, item in enumerate(files, start=1):
        name = safe_filename(item.filename, index)
        if len(item.data) > limit:
            errors.append(
                f"{name} is {len(item.data) / 1_048_576:.1f} MB; "
                f"the limit is {limit / 1_048_576:.0f} MB per file."
            )
        if PurePosixPath(name.lower()).suffix in BLOCKED_EXTENSIONS:
            errors.append(f"{name}: executable files and scripts cannot be attached.")
    if errors:
        raise TicketError(errors)


def attachment_store(*, message: Message, item: AttachmentInput, index: int = 1) -> Attachment:
    name = safe_filename(item.filename, index)
    digest = hashlib.sha256(item.data).hexdigest()
    guessed = mimetypes.guess_type(name)[0]
    content_type = clean_line(item.content_type or guessed or "application/octet-stream", 100)
    attachment = Attachment(
        message=message,
        filename=name,
        content_type=content_type,
        size=len(item.data),
        sha256=digest,
        inline=item.inline,
    )
    attachment.file.save(digest, ContentFile(item.data), save=False)
    _delete_on_rollback(attachment.file.storage, attachment.file.name)
    attachment.save()
    return attachment


class _DeleteOnRollback:
    """Deletes a stored file unless the transaction that references it commits.

    Django has no on-rollback hook, but it keeps on-commit callbacks in a list that
    it empties on rollback (and trims on a savepoint rollback). This callback is
    referenced only by that list: called means committed, so the file stays; dropped
    uncalled means rolled back, so the finaliser deletes the file the row pointed to.
    A crash between the write and the rollback still leaves a file behind; the
    `attachments_orphans` command finds those. Caveat: Django drops the callbacks after
    one that raises without robust=True, which would delete a committed file; every
    on-commit callback in this project catches its own errors, keep it that way.
    """

    def __init__(self, storage: Storage, name: str) -> None:
        self._finalizer = weakref.finalize(self, _storage_delete, storage, name)

    def __call__(self) -> None:
        self._finalizer.detach()


def _storage_delete(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not delete %s after a rollback", name, exc_info=True)


def _delete_on_rollback(storage: Storage, name: str | None) -> None:
    if name and transaction.get_connection().in_atomic_block:
        transaction.on_commit(_DeleteOnRollback(storage, name), robust=True)


def attachment_orphans(*, older_than: timedelta) -> Iterator[str]:
    """Stored attachment files that no Attachment row references, modified before the grace.

    The grace spares files of transactions still running (written, row not committed).
    One prefix directory at a time, so memory stays bounded however many files exist.
    """
    storage = Attachment._meta.get_field("file").storage
    cutoff = timezone.now() - older_than
    if not storage.exists(ATTACHMENTS_DIR):
        return
    prefixes, _ = storage.listdir(ATTACHMENTS_DIR)
    for prefix in sorted(prefixes):
        directory = f"{ATTACHMENTS_DIR}/{prefix}"
        _, files = storage.listdir(directory)
        names = {f"{directory}/{name}" for name in files}
        referenced = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
        for name in sorted(names - referenced):
            if storage.get_modified_time(name) < cutoff:
                yield name


def attachment_orphans_delete(names: Iterable[str]) -> int:
    storage = Attachment._meta.get_field("file").storage
    deleted = 0
    for name in names:
        storage.delete(name)
        deleted += 1
    return deleted
