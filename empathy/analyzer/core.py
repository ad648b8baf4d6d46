"""The analyze() entry point: glue between detectors, scoring and suggestions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from empathy.analyzer import detectors, scoring, suggestions
from empathy.analyzer.result import AnalysisResult, Span
from empathy.analyzer.text import (
    MAX_CHARS,
    content_stems,
    lower_same_length,
    prepare,
    sentences,
)

VERSION = "2026.11.3"

_CLAUSE_END = re.compile(r"[^.!?;\n]{0,160}")


def _span(e: detectors.Evidence, original: str, low: str) -> Span:
    """Turn evidence into a Span; acknowledgement cues cover the rest of their clause.

    "I'm so sorry" becomes "I'm so sorry to hear the parcel went missing": the
    evidence a reader (and an annotator) points at is the whole acknowledgement.
    """
    end = e.end
    if e.polarity == "+" and e.component in ("validation", "reflection"):
        m = _CLAUSE_END.match(low, end)
        if m is not None:
            end = m.end()
            while end > e.end and low[end - 1].isspace():
                end -= 1
    return Span(e.start, end, e.component, e.label, e.polarity, original[e.start : end])  # type: ignore[arg-type]


def _cancel_with_validation(
    reflection: list[detectors.Evidence], validation: list[detectors.Evidence]
) -> list[detectors.Evidence]:
    """ "I understand your frustration, however ..." is no reflection either once taken back."""
    cancelled = {e.start for e in validation if e.polarity == "-"}
    if not cancelled:
        return reflection
    return [
        detectors.Evidence(e.start, e.end, e.component, "cancelled_by_turn", "-", 0)
        if e.start in cancelled and e.label in ("understanding", "feeling_inference")
        else e
        for e in reflection
    ]


def _dedupe(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sort spans and drop one that lies inside another of the same component and label."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    reach: dict[tuple[str, str], int] = {}  # furthest end seen per (component, label)
    out: list[Span] = []
    for span in ordered:
        key = (span.component, span.label)
        if reach.get(key, -1) >= span.end:
            continue  # an earlier span of the same kind starts no later and ends no sooner
        reach[key] = span.end
        out.append(span)
    out.sort(key=lambda s: (s.start, s.end, s.component, s.label))
    return tuple(out)


def analyze(reply: str, customer_message: str | None = None) -> AnalysisResult:
    """Score an agent ``reply`` (optionally against the ``customer_message`` it answers).

    Raises TypeError if ``reply`` is not a str or ``customer_message`` is neither
    a str nor None. Only the first MAX_CHARS characters of each text are used;
    ``result.truncated`` says whether the reply was cut.
    """
    prepared = prepare(reply, name="reply")
    if customer_message is not None:
        customer_message = prepare(customer_message, name="customer_message").text
    text = prepared.text
    low = lower_same_length(text)  # all phrase patterns run on this; offsets are unchanged
    sents = sentences(low)
    customer = content_stems(customer_message) if customer_message else None

    hits, cues = detectors.family_hits(low)
    validation_ev, tone_from_validation = detectors.detect_validation(low, hits["validation"])
    listening_ev, reflection_from_listening = detectors.detect_listening(low, sents, customer, cues)
    reflection_ev = detectors.detect_reflection(low, sents, customer, hits["reflection"], cues)
    reflection_ev += reflection_from_listening
    reflection_ev = _cancel_with_validation(reflection_ev, validation_ev)
    tone_ev = detectors.detect_tone(text, low, hits["tone"]) + tone_from_validation

    listening = scoring.component_score(listening_ev)
    validation = scoring.component_score(validation_ev)
    reflection = scoring.component_score(reflection_ev)
    credits, penalties = scoring.tone_points(tone_ev)
    tone = scoring.tone_score(credits, penalties)
    opportunity, distress = scoring.opportunity_for(customer_message)
    overall = scoring.overall_score(
        listening.level,
        validation.level,
        reflection.level,
        scoring.tone_quality(credits, penalties),
        opportunity,
    )
    levels = {
        "listening": listening.level,
        "validation": validation.level,
        "reflection": reflection.level,
        "tone": tone.level,
    }
    original = prepared.original
    spans = _dedupe(
        _span(e, original, low) for e in (*listening_ev, *validation_ev, *reflection_ev, *tone_ev)
    )
    return AnalysisResult(
        version=VERSION,
        overall=overall,
        listening=listening,
        validation=validation,
        reflection=reflection,
        tone=tone,
        spans=spans,
        suggestions=suggestions.build(levels, opportunity, customer_message, tone_ev, original),
        opportunity=opportunity,
        distress=distress,
        truncated=prepared.truncated,
        analyzed_chars=min(len(reply), MAX_CHARS),
    )
