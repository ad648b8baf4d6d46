"""IMAP polling: the mailbox is an external boundary, so a fake server stands in for it."""

from pathlib import Path

import pytest

from tickets.models import InboundEmail

pytestmark = pytest.mark.django_db

EML = Path(__file__).parent / "eml"


class FakeMailbox:
    instances: list["FakeMailbox"] = []

    def __init__(self, host: str, **options: object) -> None:
        self.host = host
        self.options = options
        self.flagged: list[int] = []
        self.logged_in: tuple[str, str] | None = None
        FakeMailbox.instances.append(self)

    def __enter__(self) -> "FakeMailbox":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def login(self, user: str, password: str) -> None:
        self.logged_in = (user, password)

    def select_folder(self, folder: str) -> None:
        self.folder = folder

    def search(self, criteria: list[str]) -> list[int]:
        return [11, 12, 13]

    def fetch(self, uids: list[int], parts: list[str]) -> dict[int, dict[bytes, bytes]]:
        return {
            11: {b"RFC822": (EML / "new_request_plain.eml").read_bytes()},
            12: {b"RFC822": (EML / "new_request_plain.eml").read_bytes()},  # same Message-ID
            13: {b"RFC822": b""},  # empty: refused, still marked seen
        }

    def add_flags(self, uids: list[int], flags: list[bytes]) -> None:
        self.flagged.extend(uids)


def test_it_stores_unseen_mail_once_and_marks_it_seen(monkeypatch, settings) -> None:
    import imapclient

    from tickets.services.email_intake import email_poll_imap

    monkeypatch.setattr(imapclient, "IMAPClient", FakeMailbox)
    settings.ATTUNE_IMAP_URL = "imaps://support%40example.com:p%40ss@imap.example.com/Support"
    assert email_poll_imap() == 2
    mailbox = FakeMailbox.instances[-1]
    assert mailbox.host == "imap.example.com"
    assert mailbox.options["port"] == 993
    assert mailbox.logged_in == ("support@example.com", "p@ss")
    assert mailbox.folder == "Support"
    assert mailbox.flagged == [11, 12, 13]
    assert InboundEmail.objects.count() == 1


def test_it_does_nothing_without_a_configured_mailbox(settings) -> None:
    from tickets.services.email_intake import email_poll_imap

    settings.ATTUNE_IMAP_URL = ""
    assert email_poll_imap() == 0
