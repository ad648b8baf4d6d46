"""Text-level helpers for inbound email, split out of ``tickets.email_parsing``.

* HTML: :func:`sanitize_html` (``nh3``, i.e. the Rust ``ammonia`` sanitiser,
  with a strict allowlist) and :func:`html_to_text` (a small
  :class:`html.parser.HTMLParser` subclass fed only nh3's well-formed output);
* string hygiene for headers, filenames and bodies, and lenient decoding of
  charsets and base64;
* :func:`strip_quoted_reply`, and the lenient ``email`` policy the parser uses.

Everything here takes untrusted text straight out of a customer's email and
never executes, fetches or evaluates anything. No Django imports.
"""

from __future__ import annotations

import base64
import codecs
import re
import unicodedata
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry, UnstructuredHeader
from html.parser import HTMLParser

import nh3

__all__ = [
    "LENIENT_POLICY", "MAX_HEADER_CHARS", "MAX_HTML_DEPTH", "MAX_HTML_INPUT_CHARS",
    "clean_body", "clean_line", "decode_text", "html_to_text", "lenient_b64decode",
    "safe_filename", "sanitize_html", "sanitized_html_to_text", "strip_quoted_reply",
    "unsurrogate", "valid_address",
]  # fmt: skip

# html.parser is pure Python and some CPython releases have super-linear corner
# cases on hostile markup; nobody writes a support request longer than this.
MAX_HTML_INPUT_CHARS = 1_000_000
MAX_FILENAME_CHARS = 150

# Deliberately small: enough to keep the structure of a normal email legible in
# the agent UI. No <img> with remote sources (tracking pixels), no <style>,
# no forms, no iframes, no SVG/MathML (both have had sanitiser bypasses).
_ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol",
        "p", "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Removed together with everything inside them, not just unwrapped.
_DROP_WITH_CONTENT: frozenset[str] = frozenset({"script", "style", "title", "head", "template"})
_LINK_SCHEMES: tuple[str, ...] = ("http://", "https://", "mailto:")


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Keep only absolute http(s)/mailto links and ``cid:`` image sources.

    Relative URLs are meaningless in an email and would resolve against the
    help desk's own origin when rendered there; remote image sources are
    tracking pixels. ``cid:`` references are kept so the caller can rewrite
    them to the stored inline attachment.
    """
    if attribute == "href":
        return value if value.strip().lower().startswith(_LINK_SCHEMES) else None
    if attribute == "src":
        return value if element == "img" and value.strip().lower().startswith("cid:") else None
    return value


# What real mail means by these labels (WHATWG Encoding Standard): senders
# label Windows-1252 as Latin-1, Shift_JIS means Microsoft's cp932, and
# undeclared or "us-ascii" 8-bit text is usually UTF-8 (cp1252 as fallback).
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
    "us-ascii": "utf-8", "ascii": "utf-8",
    "shift_jis": "cp932", "x-sjis": "cp932", "sjis": "cp932",
    "gb2312": "gb18030", "gbk": "gb18030", "ks_c_5601-1987": "cp949", "euc-kr": "cp949",
    "windows-874": "cp874", "tis-620": "cp874", "iso-8859-8-i": "iso-8859-8",
}  # fmt: skip
_CHARSET_LABEL_RE = re.compile(r"^[a-z0-9][a-z0-9._:\-]{0,39}$")
_UNSAFE_CODECS = frozenset(
    {"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined"}
)


def decode_text(payload: bytes, charset: str | None, warnings: list[str]) -> str:
    """Decode a body part, never failing: unknown or hostile labels fall back to UTF-8.

    Appends a human-readable note to ``warnings`` whenever text was replaced.
    """
    label = (charset or "").strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(label, label or "utf-8")
    try:
        if not _CHARSET_LABEL_RE.match(name):
            raise LookupError(name)
        info = codecs.lookup(name)
        if not info._is_text_encoding or info.name in _UNSAFE_CODECS:
            raise LookupError(name)
        name = info.name
    except LookupError:
        warnings.append(f"charset {ascii(label)[:42]} replaced")
        name = "utf-8"
    if name == "utf-8":
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            if label in ("", "us-ascii", "ascii"):
                # Undeclared 8-bit text that is not UTF-8 is nearly always cp1252.
                return payload.decode("cp1252", "replace")
            warnings.append("invalid utf-8 bytes replaced")
            return payload.decode("utf-8", "replace")
    try:
        return payload.decode(name, "replace")
    except Exception:  # a few codecs raise on odd input despite "replace"
        warnings.append(f"charset {ascii(label)[:42]} replaced")
        return payload.decode("utf-8", "replace")


# Linear tokenizer: comments (unclosed ones run to the end, as in browsers)
# and tags; "[^<>]*" stops at the next bracket so no token is rescanned.
_TOKEN_RE = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*)>?", re.DOTALL)
# Elements that never nest in practice (their end tag is optional and a new
# one closes the previous) or are void, so they do not deepen the tree.
_FLAT_TAGS = frozenset(
    {
        "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input",
        "li", "link", "meta", "option", "optgroup", "p", "param", "rp", "rt", "source",
        "tbody", "td", "tfoot", "th", "thead", "tr", "track", "wbr",
    }
)  # fmt: skip
MAX_HTML_DEPTH = 100


def _limit_nesting(html: str) -> str:
    """Drop tags nested deeper than :data:`MAX_HTML_DEPTH`, keeping their text.

    ``nh3``/html5ever take time quadratic in nesting depth (50,000 nested
    ``<div>`` take ~20 s) and deeper trees overflow the Rust stack and abort
    the process, so hostile depth must never reach them.
    """
    depth = 0
    dropped = 0

    def visit(match: re.Match[str]) -> str:
        nonlocal depth, dropped
        name = (match.group(2) or "").lower()
        if not name or name in _FLAT_TAGS or match.group(3).rstrip().endswith("/"):
            return match.group(0)
        if match.group(1):  # end tag
            if dropped:
                dropped -= 1
                return ""
            depth = max(depth - 1, 0)
            return match.group(0)
        if depth >= MAX_HTML_DEPTH:
            dropped += 1
            return ""
        depth += 1
        return match.group(0)

    return _TOKEN_RE.sub(visit, html)


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to a strict, inert allowlist of tags and attributes."""
    return nh3.clean(
        _limit_nesting(html[:MAX_HTML_INPUT_CHARS].replace("\x00", "")),
        tags=set(_ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in _ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --------------------------------------------------------------------------
# Email policy
# --------------------------------------------------------------------------

MAX_HEADER_CHARS = 8192
_FallbackHeader = type("_FallbackHeader", (UnstructuredHeader, BaseHeader), {})


class _LenientHeaderRegistry(HeaderRegistry):
    """``policy.default``'s header factory, degrading to unstructured text.

    A few malformed structured values (e.g. an RFC 2231 parameter whose charset
    contains NUL) make the stdlib raise while *parsing*, losing the message.
    Oversized values are cut to :data:`MAX_HEADER_CHARS` first.
    """

    def __call__(self, name: str, value: str) -> BaseHeader:
        if len(value) > MAX_HEADER_CHARS:
            # The stdlib header parser is super-linear (64 KB of To: takes
            # seconds); cut between list items so no address is half-kept.
            cut = value.rfind(",", 0, MAX_HEADER_CHARS)
            value = value[: cut if cut > MAX_HEADER_CHARS // 2 else MAX_HEADER_CHARS]
        try:
            header: BaseHeader = super().__call__(name, value)
            return header
        except Exception:
            fallback: BaseHeader = _FallbackHeader(name, value.replace("\x00", ""))
            return fallback


LENIENT_POLICY = policy.default.clone(header_factory=_LenientHeaderRegistry())


# --------------------------------------------------------------------------
# String hygiene
# --------------------------------------------------------------------------

# Format characters (Unicode category Cf) include every bidi embedding,
# override and isolate (Trojan-Source style "invoice\u202efdp.exe"), LRM/RLM and
# zero-width spaces; only ZWNJ/ZWJ are kept, which Persian, Indic scripts and
# emoji sequences need.
_KEEP_FORMAT_CHARS = frozenset("\u200c\u200d")
# In bodies LRM/RLM are legitimate in right-to-left text; overrides are not.
_BODY_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BODY_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_WHITESPACE_RE = re.compile(r"\s+")


def unsurrogate(value: str) -> str:
    """Repair strings holding raw 8-bit header bytes (surrogate-escaped by ``email``)."""
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def clean_line(value: str, limit: int) -> str:
    """One-line, printable, bidi-free, NFC text: safe for headers, logs and titles.

    CR/LF and tabs become spaces (a decoded ``=?utf-8?q?a=0D=0ABcc:?=`` must
    not turn into a second header line anywhere downstream); all other
    control, surrogate and format characters (categories Cc, Cs, Cf) are
    dropped, except ZWNJ/ZWJ.
    """
    # Bounded work for hostile multi-megabyte values; whitespace runs are the
    # only thing that can shrink, so a generous multiple of the limit is plenty.
    value = unicodedata.normalize("NFC", unsurrogate(value[: limit * 8 + 1024]))
    value = "".join(
        " " if ch in "\r\n\t" else ch
        for ch in value
        if ch in "\r\n\t"
        or ch in _KEEP_FORMAT_CHARS
        or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    return _WHITESPACE_RE.sub(" ", value).strip()[:limit].strip()


def clean_body(value: str) -> str:
    """Body text with normalized newlines, without NUL/controls and bidi overrides."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _BODY_BIDI_RE.sub("", _BODY_CONTROL_RE.sub("", value))


_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_FILENAME_BAD_CHARS = re.compile(r'[<>:"|?*\x00-\x1f\u200c\u200d]')
_DEFAULT_EXT = {
    "application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
    "text/plain": ".txt", "text/html": ".html", "text/calendar": ".ics",
    "message/rfc822": ".eml", "message/delivery-status": ".txt", "text/rfc822-headers": ".txt",
}  # fmt: skip


def safe_filename(name: str | None, index: int, content_type: str = "") -> str:
    """A filename that is safe on any filesystem and in a Content-Disposition header.

    Basename only (both ``/`` and ``\\`` separate paths: the name came from
    a Windows or a Unix client), no ``..``, no hidden dot-files, no control
    or bidi characters, no Windows-reserved device names, at most
    :data:`MAX_FILENAME_CHARS` characters keeping the extension.
    """
    cleaned = clean_line(name or "", 1000)
    cleaned = re.split(r"[/\\]", cleaned)[-1]
    cleaned = _FILENAME_BAD_CHARS.sub("_", cleaned)
    cleaned = re.sub(r"\.{2,}", ".", cleaned).strip(" .")
    if _WINDOWS_RESERVED.match(cleaned):
        cleaned = f"_{cleaned}"
    if not cleaned:
        return f"attachment-{index}{_DEFAULT_EXT.get(content_type, '.bin')}"
    if len(cleaned) > MAX_FILENAME_CHARS:
        stem, dot, ext = cleaned.rpartition(".")
        if dot and stem and 0 < len(ext) <= 16:
            cleaned = f"{stem[: MAX_FILENAME_CHARS - len(ext) - 1].rstrip(' .')}.{ext}"
        else:
            cleaned = cleaned[:MAX_FILENAME_CHARS].rstrip(" .")
    return cleaned


_B64_JUNK_RE = re.compile(rb"[^A-Za-z0-9+/]")


def lenient_b64decode(payload: str, warnings: list[str]) -> bytes:
    """Decode base64 that may be truncated, unpadded or sprinkled with junk.

    The stdlib gives up on a truncated final quantum and returns the still
    encoded text; decoding every complete quantum salvages what arrived.
    """
    data = _B64_JUNK_RE.sub(b"", payload.encode("ascii", "ignore"))
    remainder = len(data) % 4
    if remainder == 1:
        warnings.append("truncated base64 decoded partially")
        data = data[:-1]
    elif remainder:
        data += b"=" * (4 - remainder)
    return base64.b64decode(data)


# Shape check only (no DNS). Local part: RFC 5322 atext plus dots, or any
# non-ASCII (RFC 6531). Domain: LDH labels, or Unicode labels (IDN).
_LOCAL_RE = re.compile(
    r"^(?!\.)(?!.*\.\.)[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\u0080-\U0010ffff]{1,64}(?<!\.)$"
)
_LABEL_RE = re.compile(r"^(?!-)[A-Za-z0-9\-\u0080-\U0010ffff]{1,63}(?<!-)$")


def valid_address(address: str) -> bool:
    if len(address) > 254 or address.count("@") != 1:
        return False
    local, domain = address.rsplit("@", 1)
    labels = domain.rstrip(".").split(".")
    return bool(_LOCAL_RE.match(local)) and all(_LABEL_RE.match(label) for label in labels)


_BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "address", "article", "aside", "center", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "main",
        "nav", "section", "summary", "table", "tbody", "tfoot", "thead", "tr",
    }
)  # fmt: skip
_PARAGRAPH_TAGS: frozenset[str] = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})
_SKIP_TAGS: frozenset[str] = frozenset(
    {"head", "script", "style", "template", "title", "noscript", "object", "iframe", "svg"}
)
_VOID_TAGS: frozenset[str] = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_WS_RUN = re.compile(r"[ \t\r\n\f\v]+")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


class _TextConverter(HTMLParser):
    """Collects visible text, turning block structure into line breaks.

    Quoted content (``<blockquote>``) is prefixed with ``> `` per level so
    that :func:`tickets.email_parsing.strip_quoted_reply` also works on
    HTML-only replies (Gmail and Apple Mail quote with blockquotes).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._pending = 0
        self._pending_depth = 0
        self._skip_depth = 0
        self._pre_depth = 0
        self._quote_depth = 0
        self._lists: list[list[int | None]] = []  # per open list: [next number] or [None]
        self._links: list[str | None] = []
        self._link_text_start: list[int] = []

    # -- output helpers -------------------------------------------------
    def _newline(self, count: int = 1) -> None:
        # Line breaks are requested, not written: nested blocks (</li></ul>)
        # would otherwise stack up blank lines. They are emitted before the
        # next text, with the quote prefix in force at that point.
        if not self._pending:
            self._pending_depth = self._quote_depth
        self._pending = max(self._pending, count)
        self._pending_depth = min(self._pending_depth, self._quote_depth)

    def _emit(self, text: str) -> None:
        if self._pending and self._out:
            # Blank lines take the shallower quote level, so the gap between
            # a paragraph and a following quote is not itself quoted.
            depth = min(self._quote_depth, 10)  # deeper quoting adds only bytes
            blank = "\n" + "> " * min(self._pending_depth, depth)
            self._out.append(blank * (self._pending - 1) + "\n" + "> " * depth)
        self._pending = 0
        self._out.append(text)

    def _write(self, text: str) -> None:
        if self._skip_depth:
            return
        if self._pre_depth:
            for i, line in enumerate(text.split("\n")):
                if i:
                    self._newline()
                if line:
                    self._emit(line)
            return
        text = _WS_RUN.sub(" ", text)
        if self._pending or not self._out or self._out[-1].endswith((" ", "\n")):
            text = text.lstrip(" ")  # no indent at line starts, no double spaces
        if text:
            self._emit(text)

    # -- parser callbacks -----------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self._skip_depth += 1
            return
        if self._skip_depth:
            return
        if tag == "br":
            self._newline()
        elif tag in _PARAGRAPH_TAGS:
            self._newline(2)
            if tag == "pre":
                self._pre_depth += 1
        elif tag == "blockquote":
            self._newline()
            self._quote_depth += 1
            self._newline()
        elif tag in ("ul", "ol"):
            self._lists.append([1 if tag == "ol" else None])
            self._newline()
        elif tag == "li":
            self._newline()
            counter = self._lists[-1] if self._lists else [None]
            indent = "  " * min(max(len(self._lists) - 1, 0), 10)
            if counter[0] is None:
                self._emit(f"{indent}- ")
            else:
                self._emit(f"{indent}{counter[0]}. ")
                counter[0] += 1
        elif tag in ("td", "th"):
            self._write(" ")
        elif tag in _BLOCK_TAGS:
            self._newline()
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            href = href.strip()
            # Only show URLs a reader could follow safely; a javascript: or
            # data: URL is dropped and the link text kept.
            self._links.append(href if href.lower().startswith(_LINK_SCHEMES) else None)
            self._link_text_start.append(len(self._out))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS and self._skip_depth:
                self._skip_depth -= 1
            return
        if self._skip_depth:
            return
        if tag in _PARAGRAPH_TAGS:
            if tag == "pre" and self._pre_depth:
                self._pre_depth -= 1
            self._newline(2)
        elif tag == "blockquote":
            if self._quote_depth:
                self._quote_depth -= 1
            self._newline()
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self._newline()
        elif tag in _BLOCK_TAGS or tag == "li":
            self._newline()
        elif tag == "a" and self._links:
            href = self._links.pop()
            start = self._link_text_start.pop()
            label = "".join(self._out[start:]).strip()
            if href:
                shown = href[7:] if href.lower().startswith("mailto:") else href
                if not label:
                    self._emit(shown)
                elif label not in (href, shown):
                    self._emit(f" ({shown})")

    def handle_data(self, data: str) -> None:
        self._write(data)

    def text(self) -> str:
        raw = "".join(self._out).replace("\xa0", " ")
        lines = [line.rstrip() for line in raw.split("\n")]
        # A line holding only quote markers is a blank line inside a quote.
        lines = [">" * line.count(">") if not line.strip("> ") else line for line in lines]
        return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """Convert untrusted HTML to readable plain text.

    Paragraphs and headings become blank-line separated, ``<br>`` a line
    break, list items ``- item`` / ``1. item``, links ``text (url)`` (only for
    http(s)/mailto URLs) and blockquotes ``> `` quoted lines. Scripts, styles
    and the document head are dropped. Input beyond
    :data:`MAX_HTML_INPUT_CHARS` is ignored, and so are tags nested deeper
    than :data:`MAX_HTML_DEPTH` (their text is kept).
    """
    return sanitized_html_to_text(sanitize_html(html))


def sanitized_html_to_text(sanitized: str) -> str:
    """:func:`html_to_text` for output of :func:`sanitize_html` (skips re-sanitising).

    html.parser only ever sees nh3's well-formed output, never raw markup: it
    is quadratic on hostile input such as 200,000 unclosed ``<b`` (minutes).
    nh3's expansion of misnested markup is capped again for the same reason.
    """
    converter = _TextConverter()
    converter.feed(sanitized[:MAX_HTML_INPUT_CHARS])
    converter.close()
    return converter.text()


# --------------------------------------------------------------------------
# Quoted-reply stripping
# --------------------------------------------------------------------------

# "On <date>, <name> wrote:" and its German, French, Spanish and Dutch forms.
_ATTRIBUTION_RE = re.compile(
    r"^\s*(?:"
    r"on\b.{0,300}\bwrote\s*:"
    r"|am\b.{0,300}\bschrieb\b.{0,300}:"
    r"|le\b.{0,300}\ba\s+[ée]crit\s*:"
    r"|el\b.{0,300}\bescribi[óo]\s*:"
    r"|op\b.{0,300}\bschreef\b.{0,300}:"
    r")\s*$",
    re.IGNORECASE,
)
_SEPARATOR_RE = re.compile(
    r"^\s*-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine"
    r"|forwarded message|mensaje original)\s*-{2,}\s*$",
    re.IGNORECASE,
)
# Outlook's reply header block: "From: ..." followed within three lines by
# "Sent:"/"Date:" (or the German/French equivalents). "To:" alone is not
# enough: "From: Berlin / To: Paris" is an itinerary, not a quote.
_OUTLOOK_FROM_RE = re.compile(r"^\s*\*?(?:from|von|de)\s*\*?\s*:", re.IGNORECASE)
_OUTLOOK_SENT_RE = re.compile(
    r"^\s*\*?(?:sent|date|gesendet|datum|envoy[ée])\s*\*?\s*:", re.IGNORECASE
)
_UNDERSCORE_RULE_RE = re.compile(r"^\s*_{10,}\s*$")


_MOBILE_FOOTER_RE = re.compile(
    r"^\s*(?:sent from my \w[\w ]{0,30}|get outlook for \w[\w ]{0,20}|von meinem \w+ gesendet)"
    r"\s*$",
    re.IGNORECASE,
)


def _quote_start(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        # RFC 3676 §4.3 "-- " (many clients trim the space), separators, and
        # the mobile footers that sit right above the quoted conversation.
        if line in ("-- ", "--") or _SEPARATOR_RE.match(line) or _MOBILE_FOOTER_RE.match(line):
            return i
        # Gmail wraps long attributions over two lines.
        if _ATTRIBUTION_RE.match(line):
            return i
        if i + 1 < len(lines) and _ATTRIBUTION_RE.match(f"{line} {lines[i + 1]}"):
            return i
        if _OUTLOOK_FROM_RE.match(line) and any(
            _OUTLOOK_SENT_RE.match(nxt) for nxt in lines[i + 1 : i + 4]
        ):
            return i - 1 if i and _UNDERSCORE_RULE_RE.match(lines[i - 1]) else i
    return None


def strip_quoted_reply(text: str) -> str:
    """Return only the new part of a reply.

    Cuts at the first attribution line ("On ... wrote:", "Am ... schrieb ...:",
    "Le ... a écrit :", ...), Outlook "-----Original Message-----" or
    "From:/Sent:" header block, RFC 3676 signature delimiter ("-- ") or
    "Sent from my iPhone"-style footer, and drops remaining ">"-quoted lines
    (interleaved replies keep their answers).
    Returns the original text if nothing would be left.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_start(lines)
    kept = [line for line in lines[:cut] if not line.lstrip().startswith(">")]
    result = "\n".join(line.rstrip() for line in kept).strip()
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result or text
