"""Attune empathy analyzer: pure Python, no Django, no model files.

Usage::

    from empathy.analyzer import analyze, AnalysisResult, VERSION
    result = analyze(reply, customer_message=None)

``analyze(reply: str, customer_message: str | None = None) -> AnalysisResult``
raises ``TypeError`` for non-string input and never raises for odd strings
(empty, HTML, emoji, control characters, NUL, other languages). Only the first
20,000 characters of the reply and of the customer message are analysed;
``truncated`` tells whether the reply was cut.

Result shape (all frozen dataclasses; sequences are tuples)::

    AnalysisResult(
        version: str,                 # VERSION, store it with every score
        overall: int,                 # 0-100, formula in empathy.analyzer.scoring
        listening: ComponentScore,    # open, clarifying questions
        validation: ComponentScore,   # acknowledging feelings / sympathy / reassurance
        reflection: ComponentScore,   # restating / interpreting the customer's concern
        tone: ComponentScore,         # word choice: 0 poor, 1 neutral, 2 warm and clear
        spans: tuple[Span, ...],      # every piece of evidence, sorted by start
        suggestions: tuple[Suggestion, ...],
        opportunity: "low" | "normal" | "high",  # how much empathy the situation calls for
        distress: float,              # 0-1 lexicon distress of the customer message
        truncated: bool,
        analyzed_chars: int,
    )
    ComponentScore(level: int 0|1|2, confidence: float 0-1)
    Span(start: int, end: int, component: str, label: str, polarity: "+" | "-", text: str)
        # reply[start:end] == text; offsets index the caller's original reply string
    Suggestion(component: str, message: str, example: str)

``result.to_dict()`` gives the same data as plain JSON-ready dicts and lists.
The CLI (``python -m empathy.analyzer < in.jsonl > out.jsonl``) is in __main__.
"""

from empathy.analyzer.core import VERSION, analyze
from empathy.analyzer.result import (
    COMPONENTS,
    AnalysisResult,
    ComponentScore,
    Span,
    Suggestion,
)
from empathy.analyzer.text import MAX_CHARS

__all__ = [
    "COMPONENTS",
    "MAX_CHARS",
    "VERSION",
    "AnalysisResult",
    "ComponentScore",
    "Span",
    "Suggestion",
    "analyze",
]
