"""Evidence detectors, one per component. Pure functions over a prepared text."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

from empathy.analyzer import patterns as P
from empathy.analyzer import tone_patterns as T
from empathy.analyzer.lexicon import ACRONYMS
from empathy.analyzer.text import STOPWORDS, TOKEN, content_stems

# Words that make a question "about something" without being specific themselves.
_GENERIC_Q_WORDS = frozenset(
    [
        "tell",
        "share",
        "describe",
        "explain",
        "hear",
        "curious",
        "wondering",
        "happen",
        "happened",
        "happening",
        "help",
        "talk",
        "elaborate",
        "more",
        "bit",
        "little",
        "say",
        "anything",
        "something",
        "mind",
        "care",
        "understand",
        "clarify",
        "else",
        # Questions about feelings in general ("What's bothering you?", "What makes
        # you feel like this?") are open but generic: they name nothing specific.
        "feel",
        "feeling",
        "felt",
        "bother",
        "bothering",
        "wrong",
        "matter",
        "going",
        "make",
        "made",
        "think",
        "reason",
        "reasons",
        "down",
        "way",
        "need",
        "stuff",
        "thing",
        "things",
        "lately",
        "late",
        "today",
        "doing",
        "getting",
        "gett",
        "sort",
        "kind",
        "particular",
        "exactly",
    ]
)


class Evidence(NamedTuple):
    """One detected cue. ``strength`` is 2 (strong), 1 (weak) or 0 (cancelled).

    Internal only (the public result uses Span); a NamedTuple because a reply
    yields dozens of these and tuple construction is several times cheaper than
    a frozen dataclass.
    """

    start: int
    end: int
    component: str
    label: str
    polarity: str
    strength: float


class Cues:
    """Spans of the sentence-level cues in one reply, queried per character range."""

    __slots__ = ("_spans",)

    def __init__(self) -> None:
        self._spans: dict[str, list[tuple[int, int]]] = {}

    def add(self, name: str, span: tuple[int, int]) -> None:
        self._spans.setdefault(name, []).append(span)

    def has(self, name: str, start: int, end: int) -> bool:
        """Whether a ``name`` cue lies entirely inside ``[start, end)``."""
        spans = self._spans.get(name)
        if not spans:
            return False
        i = bisect_left(spans, (start, -1))
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] <= end:
                return True
            i += 1
        return False


def family_hits(low: str) -> tuple[dict[str, list[Evidence]], Cues]:
    """Every phrase-family match in ``low`` (the lower-cased reply) by component, and the cues."""
    out: dict[str, list[Evidence]] = {"validation": [], "reflection": [], "tone": []}
    cues = Cues()
    for key, (start, end) in T.ALL_FAMILIES.findall(low):
        if isinstance(key, str):
            cues.add(key, (start, end))
            continue
        out[key.component].append(
            Evidence(start, end, key.component, key.label, key.polarity, key.strength)
        )
    return out, cues


def _sentence_end(text: str, pos: int) -> int:
    """Index just after the sentence containing ``pos`` (bounded scan)."""
    limit = min(len(text), pos + 300)
    for i in range(pos, limit):
        if text[i] in ".!?\n":
            return i + 1
    return limit


def _turn_after(text: str, end: int) -> tuple[int, int, bool] | None:
    """Find a "but/however" turn right after an acknowledgement ending at ``end``.

    Looks at the rest of the acknowledgement's sentence and the start of the
    next one. Returns (turn_start, turn_end, dismissive) or None.
    """
    sent_end = _sentence_end(text, end)
    # A turn in the same clause ("..., but") or opening the next sentence.
    for pos in (end, sent_end):
        if pos - end > 120:
            break
        m = P.TURN.match(text, pos)
        if m is None and pos == end:
            # Allow a short tail like " to hear that" before the turn.
            comma = text.find(",", end, min(sent_end, end + 40))
            if comma != -1:
                m = P.TURN.match(text, comma)
        if m is not None:
            clause_end = _sentence_end(text, m.end())
            dismissive = P.DISMISSIVE_CONTENT.search(text, m.end(), clause_end) is not None
            return m.start("turn"), m.end("turn"), dismissive
    return None


def detect_validation(text: str, hits: list[Evidence]) -> tuple[list[Evidence], list[Evidence]]:
    """Return (validation evidence, tone evidence produced while classifying).

    ``text`` is the lower-cased reply, ``hits`` the validation family matches.
    """
    found = list(hits)
    tone: list[Evidence] = []
    apologies = P.APOLOGY.finditer(text) if "sorr" in text or "apolog" in text else ()
    for m in apologies:
        after = m.end()
        na = P.NON_APOLOGY_AFTER.match(text, after)
        if na is not None:
            tone.append(Evidence(m.start(), na.end(), "tone", "non_apology", "-", 1.0))
            continue
        bp = P.BOILERPLATE_AFTER.match(text, after)
        if bp is not None:
            found.append(Evidence(m.start(), bp.end(), "validation", "boilerplate_apology", "+", 1))
            continue
        if P.SELF_APOLOGY_AFTER.match(text, after) is not None:
            continue
        found.append(Evidence(m.start(), m.end(), "validation", "sympathy", "+", 2))
    out: list[Evidence] = []
    for ev in sorted(found, key=lambda e: (e.start, -e.end)):
        if out and ev.start < out[-1].end:  # overlapping cue: keep the first/longest
            continue
        turn = _turn_after(text, ev.end)
        if turn is not None and (turn[2] or ev.label in P.BARE_ACK_LABELS):
            # "I understand. However, that's policy." - the turn takes the acknowledgement back.
            out.append(Evidence(ev.start, ev.end, "validation", "cancelled_by_" + "turn", "-", 0))
            if turn[2]:
                tone.append(Evidence(turn[0], turn[1], "tone", "dismissive_turn", "-", 1.0))
            continue
        out.append(ev)
    return out, tone


def detect_reflection(
    text: str,
    sents: list[tuple[int, int]],
    customer: set[str] | None,
    hits: list[Evidence],
    cues: Cues,
) -> list[Evidence]:
    """Stock reflection phrases, feeling inferences, shared experience, paraphrase.

    ``text`` is the lower-cased reply, ``hits`` the reflection family matches.
    """
    # "if you're depressed, ..." states a condition, not the customer's feeling.
    out = [
        e
        for e in hits
        if e.label != "feeling_inference"
        or P.SUBORDINATE_BEFORE.search(text, max(0, e.start - 40), e.start) is None
    ]
    for start, end in sents:
        sent = text[start:end]
        if "?" in sent or not (" i" in sent or sent[:1] == "i" or "me" in sent):
            continue
        if P.SELF_DISCLOSURE.search(sent) is None:
            continue
        if not cues.has("service_action", start, end) and (
            cues.has("similarity", start, end) or (customer and content_stems(sent) & customer)
        ):
            # Own experience tied to the customer's (shared words or "too"/"same").
            out.append(Evidence(start, end, "reflection", "shared_experience", "+", 2))
    if not customer:
        return out
    for start, end in sents:
        if not cues.has("you", start, end):
            continue  # a paraphrase is addressed to the customer
        if cues.has("procedural", start, end) or cues.has("advice", start, end):
            continue  # advice reuses the customer's words without restating them
        sent = text[start:end]
        if P.WH_START.match(sent):
            continue  # so do questions
        stems = content_stems(sent)
        if len(stems) < 2:
            continue
        overlap = len(stems & customer)
        ratio = overlap / len(stems)
        # Reusing the customer's own content words, addressed to them: a paraphrase.
        if overlap >= 2 and ratio >= 0.4 and P.NOT_RESTATING.search(sent) is None:
            out.append(
                Evidence(start, end, "reflection", "paraphrase", "+", 2 if overlap >= 3 else 1)
            )
    return out


def _specific(sent: str, customer: set[str] | None, about_you: bool = False) -> bool:
    """A question about the customer ("How long have you been on it?") or with real content."""
    stems = {s for s in content_stems(sent) if s not in _GENERIC_Q_WORDS}
    if about_you and stems:
        return True
    return len(stems) >= 2 or bool(customer and stems & customer)


_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+-+\s+|\.{2,}\s*")


def _last_clause(sent: str) -> str:
    """The clause carrying the question mark: "Sorry, what happened?" -> "what happened?"."""
    parts = _CLAUSE_BREAK.split(sent)
    return parts[-1] if len(parts) > 1 else sent


def _question_kind(
    text: str, qs: int, qe: int, customer: set[str] | None, cues: Cues
) -> str | None:
    """Classify the question ``text[qs:qe]``: open / closed / generic / restating / None."""
    q = text[qs:qe]
    if P.SELF_QUESTION.match(q) or cues.has("rhetorical", qs, qe):
        return None
    if cues.has("check_understanding", qs, qe):
        return None  # "Is that right?" checks a restatement (reflection)
    if cues.has("procedural", qs, qe):
        return None  # troubleshooting steps phrased as questions are not exploration
    if cues.has("suggestion_question", qs, qe):
        return None  # "Have you considered ...?": advice phrased as a question
    if cues.has("offer_to_talk", qs, qe):
        return None
    if P.GREETING_QUESTION.match(q):
        return "generic"  # "How are you?", "Want to talk about it?": an opening, weak
    if cues.has("generic_help", qs, qe):
        return "generic"
    wh = P.WH_START.match(q)
    wh_start = wh is not None
    if not wh_start and P.TAG_QUESTION.search(q, max(0, len(q) - 40)):
        return None
    has_you = cues.has("you", qs, qe)
    n_words = len(TOKEN.findall(q))
    if wh_start:
        if has_you or n_words <= 5 or (customer and content_stems(q) & customer):
            return "open"
        # "How long has this been happening?": about the situation, not the writer.
        if (
            wh is not None
            and P.SITUATION_QUESTION.match(q)
            and not P.FIRST_PERSON.search(q, wh.end())
        ):
            return "open"
        return None
    if P.AUX_START.match(q):
        if has_you or not cues.has("first_person", qs, qe):
            return "closed"
        return None
    if P.DECLARATIVE_YOU_START.match(q):
        # "Your manager isn't answering you?" restates if it reuses their words.
        overlap = len(content_stems(q) & customer) if customer else 0
        if overlap >= 2 or cues.has("reflective_verb", qs, qe):
            return "restating"
        return "closed"
    if (
        cues.has("wh_any", qs, qe)
        and (has_you or n_words <= 5)
        and not cues.has("first_person", qs, qe)
    ):
        return "open"
    return None


def detect_listening(
    text: str, sents: list[tuple[int, int]], customer: set[str] | None, cues: Cues
) -> tuple[list[Evidence], list[Evidence]]:
    """Return (listening evidence, reflection evidence from restating questions)."""
    out: list[Evidence] = []
    refl: list[Evidence] = []
    for start, end in sents:
        sent = text[start:end]
        if cues.has("open_invite", start, end) and not cues.has("offer_to_talk", start, end):
            level = 2 if _specific(sent, customer) else 1
            out.append(Evidence(start, end, "listening", "open_invitation", "+", level))
            continue
        if "?" not in sent and not (P.WH_INVERTED.match(sent) or P.NO_MARK_QUESTION.match(sent)):
            continue  # not a question ("How long have you had it" without "?" still is)
        kind = _question_kind(text, start, end, customer, cues)
        if kind is None and _CLAUSE_BREAK.search(sent):
            clause_start = end - len(_last_clause(sent))
            kind = _question_kind(text, clause_start, end, customer, cues)
        if kind is None:
            continue
        if kind == "restating":
            refl.append(Evidence(start, end, "reflection", "restating_question", "+", 1))
            continue
        level = 2 if _specific(sent, customer, cues.has("you", start, end)) else 1
        if kind == "generic" or (kind == "open" and len(TOKEN.findall(sent)) <= 2):
            level = 1
        out.append(Evidence(start, end, "listening", f"{kind}_question", "+", level))
    return out, refl


def _shouting(text: str) -> list[Evidence]:
    out = []
    for m in T.SHOUT.finditer(text):
        words = [w for w in TOKEN.findall(m.group().lower()) if w.upper() not in ACRONYMS]
        if any(len(w) >= 3 for w in words) and (len(words) >= 2 or len(m.group()) >= 6):
            out.append(Evidence(m.start(), m.end(), "tone", "shouting", "-", 1.0))
    return out


TWO_CAPS = re.compile(r"[A-Z]{2}")  # every SHOUT match contains one
_GREETING_WORDS = ("hi", "hello", "hey", "dear", "good ", "thank")


def detect_tone(text: str, low: str, hits: list[Evidence]) -> list[Evidence]:
    """Penalties (polarity '-') and credits ('+'); strength is the weight in tone points.

    ``text`` keeps its case (names, shouting), ``low`` is its lower-cased copy;
    ``hits`` are the tone family matches. Cheap substring checks skip scans that
    cannot match.
    """
    out = list(hits)
    if any(w in low for w in _GREETING_WORDS):
        for m in T.PERSONAL_ADDRESS.finditer(text):
            if m.group("name").lower() not in STOPWORDS:
                out.append(Evidence(m.start(), m.end(), "tone", "personal_address", "+", 0.5))
    if TWO_CAPS.search(text) is not None:
        out += _shouting(text)
    if "!" in text:
        for m in T.EXCLAIM.finditer(text):
            out.append(Evidence(m.start(), m.end(), "tone", "excess_punctuation", "-", 0.5))
    return out
