"""Turn raw inbound RFC 5322 bytes into a safe, structured :class:`ParsedEmail`.

This is the pure parsing layer of inbound email (IMAP polling and the MTA pipe
endpoint both feed it). It has no Django imports and performs no I/O: it never
looks anything up, never trusts anything, and only reports. In particular:

* threading data (Message-ID, In-Reply-To, References, subject tags and
  plus-address reply tokens) are *candidates*; the caller verifies reply-token
  signatures and ticket ownership;
* the From address is reported as written; whether mail "from an agent" is
  really an agent reply is the caller's decision (it is trivially spoofable);
* every string that can reach a page, a log line or a header is stripped of
  CR/LF, NUL, other control characters and Unicode bidi overrides.

Only a message that is unusable (empty, not an email, no sender address)
raises :class:`EmailParseError`; everything else degrades gracefully and says
so in :attr:`ParsedEmail.warnings`. The caller keeps the raw bytes either way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from tickets.email_html import (
    LENIENT_POLICY,
    MAX_HEADER_CHARS,
    MAX_HTML_INPUT_CHARS,
    clean_body,
    clean_line,
    decode_text,
    html_to_text,
    lenient_b64decode,
    safe_filename,
    sanitize_html,
    sanitized_html_to_text,
    strip_quoted_reply,
    unsurrogate,
    valid_address,
)

__all__ = [
    "EmailParseError", "ParsedAttachment", "ParsedEmail", "RejectedAttachment",
    "html_to_text", "normalize_message_id", "parse_email", "strip_quoted_reply",
]  # fmt: skip

MAX_TEXT_CHARS = 200_000
MAX_SUBJECT_CHARS = 255
MAX_NAME_CHARS = 128
MAX_MESSAGE_ID_CHARS = 250
MAX_ATTACHMENTS = 100
MAX_RECIPIENTS = 100
MAX_REFERENCES = 50
MAX_MIME_DEPTH = 20
MAX_WARNINGS = 50
MAX_HEADER_FIELDS = 1000
MAX_MIME_PARTS = 1000
SYNTHETIC_ID_DOMAIN = "attune.invalid"  # RFC 2606: .invalid can never resolve


MAX_AUTH_RESULTS = 20


class EmailParseError(ValueError):
    """The bytes are not a usable email. The caller stores them raw with this message."""


@dataclass(frozen=True, slots=True)
class ParsedAttachment:
    filename: str  # safe basename, never empty
    content_type: str  # "type/subtype", lowercase
    data: bytes = field(repr=False)
    size: int
    inline: bool = False
    content_id: str | None = None  # without angle brackets; matches "cid:" in the html


@dataclass(frozen=True, slots=True)
class RejectedAttachment:
    filename: str
    size: int
    reason: str


@dataclass(frozen=True, slots=True)
class ParsedEmail:
    message_id: str  # without angle brackets; synthesized when missing
    in_reply_to: str | None
    references: tuple[str, ...]
    from_email: str  # lowercased; NOT authenticated
    from_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    date: datetime | None  # timezone-aware
    text: str = field(repr=False)  # bodies stay out of log lines and tracebacks
    html: str | None = field(repr=False)  # sanitised; None when there was no HTML part
    attachments: tuple[ParsedAttachment, ...] = ()
    rejected_attachments: tuple[RejectedAttachment, ...] = ()
    is_auto_generated: bool = False
    auto_reason: str | None = None
    ticket_refs: tuple[int, ...] = ()  # candidates only
    reply_tokens: tuple[str, ...] = ()  # unverified "t1042.<sig>" tokens
    message_id_synthesized: bool = False
    warnings: tuple[str, ...] = ()
    # Raw Authentication-Results headers, top first; tickets.email_auth reads them.
    authentication_results: tuple[str, ...] = ()


# --------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------


def _header(msg: Message, name: str) -> str | None:
    """Decoded header value, or None. Never raises.

    ``policy.default`` builds rich header objects lazily and some malformed
    values make that raise; then fall back to plain RFC 2047 decoding of the
    raw value, and finally to the raw value itself.
    """
    try:
        value = msg.get(name)
        if value is None:
            return None
        decoded = str(value)
        raw = next((str(v) for k, v in msg.raw_items() if k.lower() == name.lower()), "")
        if "\ufffd" in decoded and "=?" not in raw and re.search("[\udc80-\udcff]", raw):
            # Raw 8-bit header (no RFC 2047): the stdlib gives up with U+FFFD;
            # UTF-8, else Windows-1252, recovers what the sender meant.
            return unsurrogate(raw)
        return unsurrogate(decoded)
    except Exception:  # stdlib header classes raise many types; use the raw value
        value = None
    for key, raw in msg.raw_items():
        if key.lower() == name.lower():
            try:
                return unsurrogate(str(make_header(decode_header(raw))))
            except Exception:
                return unsurrogate(str(raw))
    return None


def _raw_header(msg: Message, name: str) -> str | None:
    """The undecoded value: tokens (ids, addresses) must not be RFC 2047-decoded."""
    for key, raw in msg.raw_items():
        if key.lower() == name.lower():
            return unsurrogate(str(raw))
    return None


_MSGID_RE = re.compile(r"<([^<>\s]+)>")
_SAFE_TOKEN_RE = re.compile(r"[^\x21-\x7e]")


def normalize_message_id(value: str) -> str | None:
    """The id inside the first ``<...>`` (else the first word), printable ASCII only.

    Public so a caller that deduplicates raw bytes before parsing can use the
    same key; ids over :data:`MAX_MESSAGE_ID_CHARS` become a stable sha256 id.
    """
    match = _MSGID_RE.search(value)
    candidate = match.group(1) if match else (value.split() or [""])[0]
    candidate = _SAFE_TOKEN_RE.sub("", candidate.strip("<> \t\r\n"))
    if not candidate:
        return None
    if len(candidate) > MAX_MESSAGE_ID_CHARS:
        # Keep it stable and unique-ish rather than truncating into collisions.
        digest = hashlib.sha256(candidate.encode()).hexdigest()
        return f"{digest}@{SYNTHETIC_ID_DOMAIN}"
    return candidate


def _msgid_list(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    tokens = _MSGID_RE.findall(value) or value.split()
    ids = _dedupe(filter(None, (normalize_message_id(f"<{t}>") for t in tokens)))
    return ids[-MAX_REFERENCES:]  # the most recent ancestors are the useful ones


def _addresses(msg: Message, name: str) -> list[tuple[str, str]]:
    """(display name, addr-spec) pairs, original case, invalid shapes dropped."""
    pairs: list[tuple[str, str]] = []
    try:
        header = msg.get(name)
        if header is not None:
            pairs = [(a.display_name, a.addr_spec) for a in getattr(header, "addresses", ())]
    except Exception:  # fall back to the lenient compat parser
        pairs = []
    if not pairs:
        raw = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
        try:
            pairs = getaddresses([unsurrogate(str(v)) for v in raw])
        except Exception:
            pairs = []
    result = []
    for display, addr in pairs:
        address = clean_line(str(addr), 320).strip("<>")
        if valid_address(address):
            result.append((str(display or ""), address))
    return result


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:  # typeshed says never; some CPython versions return None
        return None  # type: ignore[unreachable]
    # RFC 5322 "-0000" means "UTC, local zone unknown": parsedate returns naive.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# --------------------------------------------------------------------------
# Auto-generated mail (loop prevention)
# --------------------------------------------------------------------------

_AUTO_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_AUTO_SENDER_RE = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+.\-_].*)?$", re.IGNORECASE
)


def _auto_reason(msg: Message, from_email: str) -> str | None:
    """Why this message must never create a ticket or trigger an auto-response.

    Checked roughly from most to least authoritative; the first hit wins.
    """
    # RFC 3834 §5: any value other than "no" marks an automatic response or
    # an automatically generated message ("auto-replied", "auto-generated").
    auto_submitted = (_header(msg, "Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {clean_line(auto_submitted, 40)}"
    # RFC 6522: delivery status notifications (bounces) are multipart/report.
    if msg.get_content_type() == "multipart/report":
        return "multipart/report (delivery status notification)"
    # RFC 5321 §4.5.5: notifications are sent with a null reverse-path, which
    # the delivering MTA records as "Return-Path: <>".
    return_path = _raw_header(msg, "Return-Path")
    if return_path is not None and return_path.strip().replace(" ", "") == "<>":
        return "Return-Path: <> (null sender)"
    if _AUTO_SENDER_RE.match(from_email.split("@", 1)[0]):
        return f"automated sender address ({from_email.split('@', 1)[0]})"
    # Exim adds X-Failed-Recipients to its bounces; the X-Auto* headers are
    # de-facto standards of vacation programs that predate RFC 3834.
    for name in ("X-Failed-Recipients", "X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        value = (_header(msg, name) or "").strip().lower()
        if value and value not in ("no", "false", "0"):
            return f"{name} header"
    # Microsoft (MS-OXCMAIL 2.2.3.2.14): senders of out-of-office and other
    # automatic mail ask recipients to suppress their own auto-responses.
    suppress = (_header(msg, "X-Auto-Response-Suppress") or "").lower()
    if {"all", "oof", "autoreply"} & {t.strip() for t in suppress.split(",")}:
        return f"X-Auto-Response-Suppress: {clean_line(suppress, 60)}"
    # RFC 3834 §2 says responders should not answer Precedence bulk/junk/list
    # mail; vacation programs also set "auto_reply".
    precedence = (_header(msg, "Precedence") or "").strip().lower()
    if precedence in _AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    # RFC 2369 / RFC 2919: mailing-list traffic is not a support request.
    for name in ("List-Id", "List-Unsubscribe"):
        if _raw_header(msg, name) is not None:
            return f"mailing list ({name})"
    return None


# --------------------------------------------------------------------------
# Ticket references
# --------------------------------------------------------------------------

_SUBJECT_TAG_RE = re.compile(r"\[(?:attune\s*)?#\s*(\d{1,9})\]", re.IGNORECASE)
# support+t1042.<signature>@example.com: the signature is verified by the
# caller (it knows the secret); case is preserved because it may be base64url.
_REPLY_TOKEN_RE = re.compile(r"^[^+@]+\+(t(\d{1,9})\.[A-Za-z0-9_\-]{4,128})@")
_TOKEN_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


def _ticket_refs(msg: Message, subject: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    refs = [int(n) for n in _SUBJECT_TAG_RE.findall(subject)]
    tokens: list[str] = []
    for name in _TOKEN_HEADERS:
        for _display, address in _addresses(msg, name):
            match = _REPLY_TOKEN_RE.match(address)
            if match:
                tokens.append(match.group(1))
                refs.append(int(match.group(2)))
    return tuple(dict.fromkeys(refs)), _dedupe(tokens)


# --------------------------------------------------------------------------
# Bodies and attachments
# --------------------------------------------------------------------------

_PLAIN_CTES = frozenset({"", "7bit", "8bit", "binary", "quoted-printable"})
_UU_CTES = frozenset({"x-uuencode", "uuencode", "uue", "x-uue"})


def _payload_bytes(part: Message, warnings: list[str]) -> bytes:
    try:
        payload = part.get_payload()
    except (ValueError, LookupError, UnicodeError):
        # get_payload() re-decodes 8-bit text with the declared charset and
        # fails on hostile labels; the stored body is what we want anyway.
        payload = part._payload  # type: ignore[attr-defined]
    if isinstance(payload, list):  # message/* bodies are parsed into messages
        chunks = []
        for sub in payload:
            try:
                if isinstance(sub, Message):
                    chunks.append(sub.as_bytes(policy=policy.compat32))
            except Exception:  # re-serialising hostile headers can fail
                warnings.append("embedded message could not be re-serialised")
        return b"\n".join(chunks)
    cte = (_header(part, "Content-Transfer-Encoding") or "").strip().lower()
    if cte == "base64":
        return lenient_b64decode(str(payload), warnings)
    if cte not in _PLAIN_CTES and cte not in _UU_CTES:
        # Unknown or garbage encodings are taken as "no encoding" (RFC 2045 §6.4
        # says to treat such an entity as application/octet-stream data).
        warnings.append(f"unknown Content-Transfer-Encoding {clean_line(cte, 40)!r} ignored")
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data
    return str(payload).encode("utf-8", "surrogateescape")


_CONTENT_TYPE_RE = re.compile(
    r"^[a-z0-9][a-z0-9!#$&^_.+\-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+\-]{0,126}$"
)


@dataclass(slots=True)
class _Collector:
    max_attachment_bytes: int
    warnings: list[str]
    attachments: list[ParsedAttachment] = field(default_factory=list)
    rejected: list[RejectedAttachment] = field(default_factory=list)

    def record_defects(self, part: Message) -> None:
        for defect in getattr(part, "defects", ()):
            self.warnings.append(f"MIME defect: {type(defect).__name__}")

    def add_attachment(self, part: Message, data: bytes, inline: bool, filename: str) -> None:
        content_type = part.get_content_type()
        if not _CONTENT_TYPE_RE.match(content_type):
            content_type = "application/octet-stream"
        index = len(self.attachments) + len(self.rejected) + 1
        name = safe_filename(filename, index, content_type)
        if len(self.attachments) >= MAX_ATTACHMENTS:
            self.rejected.append(RejectedAttachment(name, len(data), "too many attachments"))
        elif len(data) > self.max_attachment_bytes:
            reason = f"larger than the {self.max_attachment_bytes} byte limit"
            self.rejected.append(RejectedAttachment(name, len(data), reason))
        else:
            cid = normalize_message_id(_raw_header(part, "Content-ID") or "")
            self.attachments.append(
                ParsedAttachment(name, content_type, data, len(data), inline, cid)
            )


def _part_filename(part: Message) -> str | None:
    try:
        return part.get_filename()  # RFC 2231 and RFC 2047 encoded names
    except Exception:
        return None


def _walk(
    part: Message, col: _Collector, depth: int, in_related: bool = False
) -> tuple[list[str], list[str]]:
    """Return (plain texts, raw html bodies) of this subtree; collect attachments."""
    try:
        return _walk_part(part, col, depth, in_related)
    except RecursionError:
        raise
    except Exception as exc:  # one undecodable part must not cost the whole message
        col.warnings.append(f"MIME part skipped ({type(exc).__name__})")
        return [], []
    finally:
        # After decoding: get_payload(decode=True) adds its own defects.
        col.record_defects(part)


def _walk_part(
    part: Message, col: _Collector, depth: int, in_related: bool
) -> tuple[list[str], list[str]]:
    if depth > MAX_MIME_DEPTH:
        col.warnings.append("MIME nesting too deep; deeper parts ignored")
        return [], []
    ctype = part.get_content_type()
    if part.get_content_maintype() == "message":
        # A forwarded message (or a DSN's delivery-status block) stays whole,
        # as a file: its headers would otherwise be mistaken for this text.
        data = _payload_bytes(part, col.warnings)
        name = "forwarded.eml" if ctype in ("message/rfc822", "message/global") else ""
        col.add_attachment(part, data, False, _part_filename(part) or name)
        return [], []
    if part.is_multipart():
        children = [c for c in part.get_payload() if isinstance(c, Message)]
        related = in_related or ctype == "multipart/related"
        results = [_walk(child, col, depth + 1, related) for child in children]
        if ctype == "multipart/alternative":
            # Parts are in increasing order of preference (RFC 2046 §5.1.4):
            # take the first plain text and the last HTML alternative.
            texts = next((t for t, _ in results if t), [])
            htmls = next((h for _, h in reversed(results) if h), [])
            return texts, htmls
        return [t for r in results for t in r[0]], [h for r in results for h in r[1]]
    filename = _part_filename(part)
    disposition = part.get_content_disposition()
    data = _payload_bytes(part, col.warnings)
    is_body = ctype in ("text/plain", "text/html") or part.get_content_maintype() == "multipart"
    if is_body and disposition != "attachment" and not filename:
        text = decode_text(data, part.get_content_charset(), col.warnings)
        return ([], [text]) if ctype == "text/html" else ([text], [])
    inline = disposition == "inline" or (
        disposition is None and in_related and _raw_header(part, "Content-ID") is not None
    )
    col.add_attachment(part, data, inline, filename or "")
    return [], []


# --------------------------------------------------------------------------
# Bounding the work before the stdlib parser sees the bytes
# --------------------------------------------------------------------------

# Kept beyond the field cap: everything this module reads from the top level.
_NEEDED_FIELDS = frozenset(
    {
        b"from", b"sender", b"to", b"cc", b"subject", b"date", b"message-id", b"in-reply-to",
        b"references", b"mime-version", b"content-type", b"content-transfer-encoding",
        b"auto-submitted", b"precedence", b"return-path", b"list-id", b"list-unsubscribe",
        b"x-autoreply", b"x-autorespond", b"x-autoresponder", b"x-auto-response-suppress",
        b"x-failed-recipients", b"delivered-to", b"x-original-to", b"envelope-to",
    }
)  # fmt: skip
_HEADER_END_RE = re.compile(rb"\r?\n\r?\n")
_BOUNDARY_DECL_RE = re.compile(rb'boundary\s*=\s*"?([^"\s;]{1,200})', re.IGNORECASE)


def _bound_raw(raw: bytes, warnings: list[str]) -> bytes:
    """Trim what makes the stdlib parser slow: 200,000 header fields take
    seconds on every lookup, 20,000 MIME parts ~6 s to parse. Both are cut
    (with a warning), keeping the fields and parts a real message needs.
    """
    end = _HEADER_END_RE.search(raw)
    head, body = (raw[: end.start()], raw[end.start() :]) if end else (raw, b"")
    if head.count(b"\n") > MAX_HEADER_FIELDS:
        fields: list[list[bytes]] = []  # lines per field; folded lines join the last
        for line in head.splitlines(keepends=True):
            if fields and line[:1] in (b" ", b"\t"):
                fields[-1].append(line)
            else:
                fields.append([line])
        seen: set[bytes] = set()
        kept: list[list[bytes]] = []
        for index, lines in enumerate(fields):
            name = lines[0].split(b":", 1)[0].strip().lower()
            if index < MAX_HEADER_FIELDS or (name in _NEEDED_FIELDS and name not in seen):
                kept.append(lines)
                seen.add(name)
        if len(kept) < len(fields):
            warnings.append(f"{len(fields) - len(kept)} header fields dropped")
            raw = b"".join(line for lines in kept for line in lines) + body
    boundaries = list(dict.fromkeys(m.group(1) for m in _BOUNDARY_DECL_RE.finditer(raw)))[:50]
    delimiters: list[int] = []
    for boundary in boundaries:
        pattern = re.compile(rb"^--" + re.escape(boundary), re.MULTILINE)
        for count, match in enumerate(pattern.finditer(raw)):
            if count > MAX_MIME_PARTS:
                break
            delimiters.append(match.start())
    if len(delimiters) > MAX_MIME_PARTS:
        warnings.append(f"message cut after {MAX_MIME_PARTS} MIME parts")
        raw = raw[: sorted(delimiters)[MAX_MIME_PARTS]]
    return raw


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def parse_email(raw: bytes, *, max_attachment_bytes: int = 10 * 1024 * 1024) -> ParsedEmail:
    """Parse raw RFC 5322 bytes into a :class:`ParsedEmail`.

    Raises :class:`EmailParseError` only when the input is unusable: empty,
    not an email at all, or without any sender address. Anything else that
    is wrong is repaired or dropped and described in ``warnings``.
    """
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise EmailParseError(f"expected bytes, got {type(raw).__name__}")
    raw = bytes(raw)
    if not raw.strip():
        raise EmailParseError("empty message")
    warnings: list[str] = []
    try:
        msg = BytesParser(_class=EmailMessage, policy=LENIENT_POLICY).parsebytes(
            _bound_raw(raw, warnings)
        )
    except RecursionError as exc:
        raise EmailParseError("message structure is too deeply nested") from exc
    except Exception as exc:  # the stdlib parser is lenient; this is a last resort
        raise EmailParseError(f"unparseable message: {type(exc).__name__}") from exc
    if not list(msg.raw_items()):
        raise EmailParseError("not an email: no header fields found")
    try:
        return _build(msg, raw, max_attachment_bytes, warnings)
    except EmailParseError:
        raise
    except RecursionError as exc:
        raise EmailParseError("message structure is too deeply nested") from exc
    except Exception as exc:  # keep the caller's "store raw with the error" path
        detail = clean_line(str(exc), 200)  # may quote hostile input
        raise EmailParseError(f"unparseable message: {type(exc).__name__}: {detail}") from exc


def _build(
    msg: EmailMessage, raw: bytes, max_attachment_bytes: int, warnings: list[str]
) -> ParsedEmail:
    warnings.extend(
        f"header {clean_line(key, 40)} truncated to {MAX_HEADER_CHARS} characters"
        for key, value in msg.raw_items()
        if len(value) > MAX_HEADER_CHARS
    )
    senders = _addresses(msg, "From") or _addresses(msg, "Sender")
    if not senders:
        if _header(msg, "From") is None:
            raise EmailParseError("not an email or no From header")
        raise EmailParseError("From header holds no valid email address")
    if len(senders) > 1:
        warnings.append("multiple From addresses; using the first")
    from_display, from_addr = senders[0]

    message_id = normalize_message_id(_raw_header(msg, "Message-ID") or "")
    synthesized = message_id is None
    if message_id is None:
        # Stable across redeliveries of the very same bytes, so duplicates
        # of an id-less message are still detected.
        message_id = f"{hashlib.sha256(raw).hexdigest()}@{SYNTHETIC_ID_DOMAIN}"
        warnings.append("missing Message-ID synthesized")
    in_reply_to = (_msgid_list(_raw_header(msg, "In-Reply-To")) or (None,))[0]
    subject = clean_line(_header(msg, "Subject") or "", MAX_SUBJECT_CHARS)
    date_raw = _header(msg, "Date")
    date = _parse_date(date_raw)
    if date_raw and date is None:
        warnings.append("unparseable Date header ignored")

    col = _Collector(max_attachment_bytes, warnings)
    texts, htmls = _walk(msg, col, 0)
    html_source = "\n".join(htmls)
    if len(html_source) > MAX_HTML_INPUT_CHARS:
        warnings.append(f"html truncated to {MAX_HTML_INPUT_CHARS} characters")
    html = sanitize_html(clean_body(html_source)).strip() if html_source.strip() else None
    text = "\n\n".join(t.strip("\n") for t in texts if t.strip())
    if not text and html:
        text = sanitized_html_to_text(html)
        warnings.append("html-only message converted")
    text = clean_body(text).strip("\n")
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        warnings.append(f"text truncated to {MAX_TEXT_CHARS} characters")

    refs, tokens = _ticket_refs(msg, subject)
    reason = _auto_reason(msg, from_addr.lower())
    return ParsedEmail(
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=_msgid_list(_raw_header(msg, "References")),
        from_email=from_addr.lower(),
        from_name=clean_line(from_display, MAX_NAME_CHARS),
        to=_dedupe(a.lower() for _, a in _addresses(msg, "To"))[:MAX_RECIPIENTS],
        cc=_dedupe(a.lower() for _, a in _addresses(msg, "Cc"))[:MAX_RECIPIENTS],
        subject=subject,
        date=date,
        text=text,
        html=html,
        attachments=tuple(col.attachments),
        rejected_attachments=tuple(col.rejected),
        is_auto_generated=reason is not None,
        auto_reason=reason,
        ticket_refs=refs,
        reply_tokens=tokens,
        message_id_synthesized=synthesized,
        warnings=_dedupe(warnings)[:MAX_WARNINGS],
        authentication_results=tuple(
            str(v) for v in (msg.get_all("Authentication-Results") or [])[:MAX_AUTH_RESULTS]
        ),
    )
