"""Attachment checks and storage, shared by every channel."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile

from tickets.errors import TicketError
from tickets.models import Attachment, Message
from tickets.services.text import clean_line

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
    attachment.save()
    return attachment
