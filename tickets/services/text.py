"""Cleaning of free text from any channel before it is stored.

Bodies are stored as plain text and always rendered escaped, so markup is harmless;
this removes what would still cause trouble: NUL and control characters, bidi
overrides that disguise text, CR/LF in single-line fields (header injection), and
sizes no one should have to store.
"""

from __future__ import annotations

import re
import unicodedata

MAX_BODY_CHARS = 100_000
MAX_SUBJECT_CHARS = 255

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Explicit directional overrides/isolates: used to make "exe.pdf" look like "fdp.exe".
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_body(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BIDI.sub("", _CONTROL.sub("", text))
    return text.strip()[:MAX_BODY_CHARS]


def clean_line(text: str, max_chars: int = MAX_SUBJECT_CHARS) -> str:
    """A single-line field: any line break becomes a space."""
    text = re.sub(r"[\r\n\t]+", " ", text)
    text = unicodedata.normalize("NFC", _BIDI.sub("", _CONTROL.sub("", text)))
    return re.sub(r" {2,}", " ", text).strip()[:max_chars]
