"""Immutable result types returned by :func:`empathy.analyzer.analyze`.

Everything here is a frozen dataclass holding only ints, floats, strings and
tuples, so a result can be cached, shared between threads and hashed safely.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Component = Literal["listening", "validation", "reflection", "tone"]
Polarity = Literal["+", "-"]
Opportunity = Literal["low", "normal", "high"]

COMPONENTS: tuple[Component, ...] = ("listening", "validation", "reflection", "tone")


@dataclass(frozen=True, slots=True)
class ComponentScore:
    """Level 0 (absent / poor), 1 (weak / neutral) or 2 (strong / good) with a 0-1 confidence."""

    level: int
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "confidence": self.confidence}


@dataclass(frozen=True, slots=True)
class Span:
    """One piece of evidence: ``reply[start:end] == text``."""

    start: int
    end: int
    component: Component
    label: str
    polarity: Polarity
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "component": self.component,
            "label": self.label,
            "polarity": self.polarity,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What to add or change for one component, with an example tailored to the customer."""

    component: Component
    message: str
    example: str

    def to_dict(self) -> dict[str, Any]:
        return {"component": self.component, "message": self.message, "example": self.example}


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """The full analysis of one agent reply. See the package docstring for the exact shape."""

    version: str
    overall: int
    listening: ComponentScore
    validation: ComponentScore
    reflection: ComponentScore
    tone: ComponentScore
    spans: tuple[Span, ...]
    suggestions: tuple[Suggestion, ...]
    opportunity: Opportunity
    distress: float
    truncated: bool
    analyzed_chars: int

    def component(self, name: Component) -> ComponentScore:
        """Return the score of the component called ``name``."""
        if name not in COMPONENTS:
            raise KeyError(name)
        score: ComponentScore = getattr(self, name)
        return score

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (only str/int/float/bool/list/dict values)."""
        out: dict[str, Any] = {"version": self.version, "overall": self.overall}
        for name in COMPONENTS:
            out[name] = self.component(name).to_dict()
        out["opportunity"] = self.opportunity
        out["distress"] = self.distress
        out["truncated"] = self.truncated
        out["analyzed_chars"] = self.analyzed_chars
        out["spans"] = [s.to_dict() for s in self.spans]
        out["suggestions"] = [s.to_dict() for s in self.suggestions]
        return out
