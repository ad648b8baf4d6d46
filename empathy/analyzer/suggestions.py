"""Suggestions for missing components, tailored to the customer's own words."""

from __future__ import annotations

import re

from empathy.analyzer.detectors import Evidence
from empathy.analyzer.result import Suggestion
from empathy.analyzer.text import STOPWORDS, TOKEN

# "my order", "my account password" -> the customer's key noun phrase (up to 3 words).
_MY_PHRASE = re.compile(
    r"\b(?:my|our)\s+([a-z][a-z0-9'-]*(?:\s+[a-z][a-z0-9'-]*){0,2})", re.IGNORECASE
)
_THE_PHRASE = re.compile(
    r"\b(?:the|this|your)\s+([a-z][a-z0-9'-]*(?:\s+[a-z][a-z0-9'-]*){0,2})", re.IGNORECASE
)
_FEELING = re.compile(
    r"\b(frustrat\w*|annoy\w*|angry|furious|upset|disappoint\w*|worried|anxious|stress\w*|"
    r"confus\w*|fed up|sick of|scared|livid|desperate)\b",
    re.IGNORECASE,
)
_FEELING_ADJ = {
    "frustrating": "frustrated",
    "frustration": "frustrated",
    "annoying": "annoyed",
    "annoyance": "annoyed",
    "disappointing": "disappointed",
    "disappointment": "disappointed",
    "stress": "stressed",
    "stressful": "stressed",
    "confusing": "confused",
    "confusion": "confused",
    "sick of": "fed up",
}
# Words that end a noun phrase: verbs and function words customers use after the noun.
_PHRASE_STOP = STOPWORDS | frozenset(
    [
        "keeps",
        "kept",
        "says",
        "said",
        "arrived",
        "broke",
        "broken",
        "crashed",
        "crashes",
        "failed",
        "fails",
        "stopped",
        "won't",
        "isn't",
        "wasn't",
        "hasn't",
        "doesn't",
        "didn't",
        "never",
        "came",
        "shows",
        "showed",
        "got",
        "gone",
        "went",
        "was",
        "were",
        "since",
        "from",
        "yesterday",
        "today",
        "again",
        "please",
    ]
)
# Nouns customers use in idioms ("losing my mind", "my patience") rather than for the issue.
_NOT_ISSUE = frozenset(
    [
        "mind",
        "life",
        "god",
        "gosh",
        "goodness",
        "time",
        "head",
        "patience",
        "word",
        "words",
        "own",
        "fault",
        "self",
        "wits",
        "nerves",
        "way",
        "opinion",
        "side",
        "end",
        "days",
        "hours",
        "weeks",
        "months",
        "years",
        "question",
        "questions",
        "money",
        "business",
        "ridiculous",
        "unacceptable",
        "frustrated",
        "furious",
        "angry",
        "upset",
        "annoyed",
        "worried",
        "disappointed",
    ]
)
_SWAP = {
    "i": "you",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "my": "your",
    "me": "you",
    "mine": "yours",
    "myself": "yourself",
    "am": "are",
    "we": "you",
    "our": "your",
    "us": "you",
    "was": "was",
}


def key_phrase(customer_message: str | None) -> str:
    """The customer's issue as a short noun phrase ("your order"), or "this issue"."""
    if not customer_message:
        return "this issue"
    text = customer_message[:2000]
    for regex, prefix in ((_MY_PHRASE, "your"), (_THE_PHRASE, "the")):
        for m in regex.finditer(text):
            words = []
            for w in m.group(1).split():
                if w.lower() in _PHRASE_STOP:
                    break
                words.append(w.lower())
            if words and words[0] not in _NOT_ISSUE:
                return f"{prefix} {' '.join(words)}"
    counts: dict[str, int] = {}
    for tok in TOKEN.findall(text.lower()):
        if len(tok) > 3 and tok not in _PHRASE_STOP and tok not in _NOT_ISSUE:
            counts[tok] = counts.get(tok, 0) + 1
    # Only a repeated word is a safe guess at the topic when no "my ..." phrase exists.
    best = max(counts, key=lambda k: counts[k]) if counts else None
    if best is not None and counts[best] >= 2:
        return "the " + best
    return "this issue"


def customer_feeling(customer_message: str | None) -> str:
    if not customer_message:
        return "frustrated"
    m = _FEELING.search(customer_message[:2000])
    if m is None:
        return "frustrated"
    word = m.group(1).lower()
    return _FEELING_ADJ.get(word, word)


def restate(customer_message: str | None, max_words: int = 14) -> str:
    """The customer's first substantive sentence, turned into second person."""
    if not customer_message:
        return "the problem is still happening"
    issue_word = key_phrase(customer_message).split()[-1]
    for sent in re.split(r"(?<=[.!?])\s+|\n", customer_message[:2000]):
        words = sent.split()
        if len(words) < 3 or sent.rstrip().endswith("?"):
            continue  # a question of theirs does not restate their problem
        if not re.search(r"\b(?:my|i|i'm|i've|our|we|it|the)\b", sent, re.I):
            continue
        # "I'm losing my mind, the dashboard won't load": restate the clause with the issue.
        clauses = [c for c in re.split(r"[,;:]\s+|\s+-+\s+", sent) if len(c.split()) >= 3]
        for clause in clauses:
            if issue_word in clause.lower():
                words = clause.split()
                break
        out = []
        for w in words[:max_words]:
            core = w.strip(".,!?;:\"'()").lower()
            swapped = _SWAP.get(core)
            out.append(swapped if swapped else w.strip("!?.;:").lower() if core else w)
        return " ".join(out).rstrip(",")
    return f"you're still having trouble with {key_phrase(customer_message)}"


_TONE_ADVICE = {
    "blame": "Describe the fix instead of what the customer did wrong",
    "dismissive": "Acknowledge the concern instead of minimising or closing it down",
    "dismissive_turn": "Don't take an acknowledgement back with 'however'; explain what you can do",
    "minimising_word": "Drop minimising words such as 'just', 'simply', 'obviously'",
    "robotic_boilerplate": "Replace stock phrases with a sentence in your own words",
    "non_apology": "Apologise for the specific problem, not for how the customer feels",
    "shouting": "Use normal capitalisation; capitals read as shouting",
    "jargon": "Replace internal or technical terms with plain words",
    "excess_punctuation": "Use a single '!' or none",
    "sarcasm": "Avoid phrases that can read as sarcastic",
}


def build(
    levels: dict[str, int],
    opportunity: str,
    customer_message: str | None,
    tone_evidence: list[Evidence],
    original: str,
) -> tuple[Suggestion, ...]:
    """One suggestion per missing component (weak ones too when the customer is upset)."""
    threshold = 2 if opportunity == "high" else 1
    needs_empathy = opportunity != "low" and (
        levels["validation"] < threshold
        or levels["reflection"] < threshold
        or levels["listening"] < 1
    )
    if not needs_empathy and levels["tone"] != 0:
        return ()  # the common case: nothing to suggest, skip the phrase extraction
    issue = key_phrase(customer_message)
    feeling = customer_feeling(customer_message)
    out: list[Suggestion] = []
    if needs_empathy:
        if levels["validation"] < threshold:
            out.append(
                Suggestion(
                    "validation",
                    f"Acknowledge how the customer feels about {issue} before solving it.",
                    f"I'm really sorry about the trouble with {issue}. "
                    f"I can see why you're {feeling}.",
                )
            )
        if levels["reflection"] < threshold:
            out.append(
                Suggestion(
                    "reflection",
                    "Restate the customer's problem in your own words so they know you read it.",
                    f"Just to make sure I've understood: {restate(customer_message)}. "
                    "Is that right?",
                )
            )
        if levels["listening"] < 1:
            out.append(
                Suggestion(
                    "listening",
                    "Ask an open question about the customer's situation, not only yes/no checks.",
                    f"Could you tell me a bit more about what happens with {issue}?",
                )
            )
    penalties = [e for e in tone_evidence if e.polarity == "-"]
    if levels["tone"] == 0 and penalties:
        worst = max(penalties, key=lambda e: e.strength)
        phrase = original[worst.start : worst.end].strip()
        out.append(
            Suggestion(
                "tone",
                f'{_TONE_ADVICE.get(worst.label, "Soften the wording")} ("{phrase[:60]}").',
                f"I'll make sure {issue} is sorted, and I'll update you as soon as it is.",
            )
        )
    return tuple(out)
