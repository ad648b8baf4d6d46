"""From evidence to levels, confidences, opportunity and the overall score.

Overall formula (documented in docs/empathy.md)::

    E        = listening.level + validation.level + reflection.level   (0..6)
    required = {"low": 0, "normal": 2, "high": 4}[opportunity]
    f        = 1 if required == 0 else min(1, E / required)   (need met)
    b        = min(1, E / 4)                                  (empathy shown, any need)
    t        = clamp(0.6 + 0.2 * min(credits, 2) - 0.25 * penalties, 0, 1)
    overall  = round(100 * (0.6 * f + 0.15 * b + 0.25 * t))

So a calm one-line factual answer (low opportunity, neutral tone) scores 75,
a warm, listening reply to the same calm question up to 100 and a blaming one
69 or less, while the factual answer to an angry customer (high opportunity)
scores 15.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from empathy.analyzer.detectors import TWO_CAPS, Evidence
from empathy.analyzer.lexicon import ACRONYMS, DISTRESS_PHRASES, DISTRESS_WORDS
from empathy.analyzer.result import ComponentScore, Opportunity
from empathy.analyzer.text import TOKEN
from empathy.analyzer.tone_patterns import EXCLAIM, SHOUT

REQUIRED_POINTS: dict[str, int] = {"low": 0, "normal": 2, "high": 4}
NEED_WEIGHT = 0.6  # how far the empathy the situation calls for is met
SHOWN_WEIGHT = 0.15  # empathy shown whatever the need: separates replies to calm customers
SHOWN_FULL = 4  # empathy points for the full SHOWN_WEIGHT
TONE_WEIGHT = 0.25

_DISTRESS_WORDS = frozenset(DISTRESS_WORDS)
_DISTRESS_PHRASES = re.compile(
    r"\b(?:" + "|".join(re.escape(p).replace("\\ ", r"\s+") for p in DISTRESS_PHRASES) + r")"
)


def distress_points(message: str) -> float:
    """Lexicon score of how upset a customer message is (0 = calm)."""
    lowered = message.lower().replace("\u2019", "'")
    points = float(sum(1 for t in TOKEN.findall(lowered) if t in _DISTRESS_WORDS))
    points += 2 * len(_DISTRESS_PHRASES.findall(lowered))
    # Cheap prefilters: shouting needs two capitals in a row, EXCLAIM needs a "!".
    if TWO_CAPS.search(message) is not None:
        for m in SHOUT.finditer(message):
            words = [w for w in m.group().split() if w.strip(",") not in ACRONYMS]
            if len(words) >= 2 or len(m.group()) >= 6:
                points += 2
    if "!" in message:
        points += len(EXCLAIM.findall(message))
    return points


def opportunity_for(customer_message: str | None) -> tuple[Opportunity, float]:
    """'high' for distressed customers, 'low' for calm ones, 'normal' when unknown."""
    if customer_message is None or not customer_message.strip():
        return "normal", 0.0
    points = distress_points(customer_message)
    distress = round(min(1.0, points / 4.0), 3)
    if points >= 3:
        return "high", distress
    if points >= 1:
        return "normal", distress
    return "low", distress


def component_score(evidence: Iterable[Evidence]) -> ComponentScore:
    """Level = strongest surviving cue; confidence grows with corroborating cues."""
    live = [e for e in evidence if e.polarity == "+" and e.strength > 0]
    cancelled = any(e.polarity == "-" for e in evidence)
    if not live:
        return ComponentScore(0, 0.6 if cancelled else 0.8)
    best = max(e.strength for e in live)
    level = 2 if best >= 2 else 1
    weak_only = all(e.label in {"boilerplate_apology", "empathic_interjection"} for e in live)
    conf = 0.45 if weak_only else min(0.95, 0.6 + 0.1 * len(live))
    return ComponentScore(level, round(conf, 2))


def tone_points(evidence: Iterable[Evidence]) -> tuple[float, float]:
    """(credits, penalties) in tone points."""
    credits = penalties = 0.0
    for e in evidence:
        if e.polarity == "+":
            credits += e.strength
        else:
            penalties += e.strength
    return credits, penalties


def tone_quality(credits: float, penalties: float) -> float:
    return max(0.0, min(1.0, 0.6 + 0.2 * min(credits, 2.0) - 0.25 * penalties))


def tone_score(credits: float, penalties: float) -> ComponentScore:
    """0 = poor word choice, 1 = neutral, 2 = warm and clear with no real penalty."""
    if penalties >= 1.0 and penalties >= credits:
        level = 0
    elif credits >= 1.0 and penalties < 1.0:
        level = 2
    else:
        level = 1
    conf = min(0.95, 0.55 + 0.15 * abs(credits - penalties))
    return ComponentScore(level, round(conf, 2))


def overall_score(
    listening: int, validation: int, reflection: int, quality: float, opportunity: Opportunity
) -> int:
    required = REQUIRED_POINTS[opportunity]
    points = listening + validation + reflection
    fulfilment = 1.0 if required == 0 else min(1.0, points / required)
    shown = min(1.0, points / SHOWN_FULL)
    return round(100 * (NEED_WEIGHT * fulfilment + SHOWN_WEIGHT * shown + TONE_WEIGHT * quality))
