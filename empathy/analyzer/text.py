"""Text preparation: length cap, offset-preserving normalisation, sentences, tokens.

Every transformation here keeps the string length unchanged so that character
offsets found on the normalised copy point at the same characters of the
caller's original reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Only the first MAX_CHARS characters are analysed. Real replies are far shorter;
# the cap bounds the worst-case time of every regex (all of them are linear or
# bounded-repetition, so total work is O(MAX_CHARS)).
MAX_CHARS = 20_000

# Same-length replacements: curly quotes become ASCII, control characters and
# NUL become spaces, so the patterns only need to handle one apostrophe.
_TRANSLATE = {
    ord("\u2019"): "'",
    ord("\u2018"): "'",
    ord("\u02bc"): "'",
    ord("\u201c"): '"',
    ord("\u201d"): '"',
    ord("\u00a0"): " ",
}
for _cp in [*range(0, 9), 11, 12, *range(14, 32), 127]:
    _TRANSLATE[_cp] = " "

# HTML tags are blanked (same length) so "<b>sorry</b>" still reads as "sorry".
_TAG = re.compile(r"<[^<>]{0,200}>")
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d{1,6});", re.IGNORECASE)

# A sentence: from a non-space character up to and including its terminal
# punctuation run, a newline or the end of the text. Bounded by the text size.
_SENTENCE = re.compile(r"[^\s.!?][^.!?\n]*(?:[.!?]+[\"')\]]*|\n|$)")
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "anything",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "else",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "got",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "just",
        "know",
        "let",
        "let's",
        "like",
        "lot",
        "make",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "need",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "ought",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "please",
        "really",
        "same",
        "she",
        "should",
        "shouldn't",
        "so",
        "some",
        "still",
        "such",
        "sure",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "there's",
        "these",
        "they",
        "they'd",
        "they'll",
        "they're",
        "they've",
        "thing",
        "things",
        "think",
        "this",
        "those",
        "though",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "us",
        "very",
        "was",
        "wasn't",
        "way",
        "we",
        "we'd",
        "we'll",
        "we're",
        "we've",
        "well",
        "were",
        "weren't",
        "what",
        "what's",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "won't",
        "would",
        "wouldn't",
        "yeah",
        "yes",
        "yet",
        "you",
        "you'd",
        "you'll",
        "you're",
        "you've",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "ok",
        "okay",
        "oh",
        "want",
        "go",
        "going",
        "back",
        "time",
        "day",
        "sorry",
        "feel",
    ]
)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A reply ready for pattern matching; ``text`` has the same length as ``original``."""

    original: str
    text: str
    truncated: bool


def prepare(value: object, *, name: str = "reply") -> Prepared:
    """Validate and normalise ``value``; raise TypeError for non-strings."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    truncated = len(value) > MAX_CHARS
    original = value[:MAX_CHARS] if truncated else value
    text = original.translate(_TRANSLATE)
    if "<" in text:
        text = _TAG.sub(lambda m: " " * len(m.group()), text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: " " * len(m.group()), text)
    return Prepared(original=original, text=text, truncated=truncated)


def sentences(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of ``text`` (trailing whitespace excluded)."""
    out: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


_STEM_CACHE: dict[str, str] = {}


def stem(word: str) -> str:
    """A crude suffix stripper: enough to match 'refunds'/'refunded'/'refund'."""
    cached = _STEM_CACHE.get(word)
    if cached is not None:
        return cached
    out = word
    for suffix in ("ing", "ed", "es", "ly", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            out = word[: -len(suffix)]
            break
    if len(_STEM_CACHE) > 50_000:  # bounded memory on adversarial vocabularies
        _STEM_CACHE.clear()
    _STEM_CACHE[word] = out
    return out


def content_stems(text: str) -> set[str]:
    """Stems of the non-stopword tokens of ``text`` (lower-cased)."""
    return {stem(t) for t in TOKEN.findall(text.lower()) if len(t) > 2 and t not in STOPWORDS}


def lower_same_length(text: str) -> str:
    """``text.lower()`` but guaranteed to keep every offset (a few letters grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
