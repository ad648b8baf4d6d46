"""Agreement between managers' component ratings and the analyzer, and calibrating the
analyzer's level thresholds to a team's reviews (pure Python: no Django, no database)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

from empathy.analyzer.result import AnalysisResult, Component, ComponentScore


@dataclass(frozen=True)
class Agreement:
    kappa: float | None  # None when undefined (no pairs, or chance agreement is total)
    n: int
    exact: float | None  # share of identical levels
    # (manager level, analyzer level) -> count, for the confusion table.
    matrix: dict[tuple[int, int], int]

    @property
    def reading(self) -> str:
        """Landis & Koch's conventional wording, with a sample-size caveat."""
        if self.kappa is None:
            return "not enough reviews"
        if self.n < 20:
            return f"too few reviews to judge (n={self.n})"
        k = self.kappa
        label = (
            "poor"
            if k < 0
            else "slight"
            if k < 0.2
            else "fair"
            if k < 0.4
            else "moderate"
            if k < 0.6
            else "substantial"
            if k < 0.8
            else "almost perfect"
        )
        return f"{label} agreement"


def cohen_kappa(pairs: Iterable[tuple[int, int]]) -> Agreement:
    """Cohen's kappa for two raters over the same items: (po - pe) / (1 - pe)."""
    pairs = list(pairs)
    n = len(pairs)
    matrix = Counter(pairs)
    if n == 0:
        return Agreement(None, 0, None, {})
    observed = sum(count for (a, b), count in matrix.items() if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in set(first) | set(second)) / (n * n)
    kappa = None if expected == 1 else round((observed - expected) / (1 - expected), 3)
    return Agreement(kappa, n, round(observed, 3), dict(matrix))


# Threshold calibration ------------------------------------------------------------------
#
# The analyzer gives each component a level (0, 1, 2) and a confidence (0-1). Calibration
# reads both as one ordered number, the "evidence", and picks per component the two cut
# points (weak, strong) on it that best reproduce the managers' own levels. The defaults
# (1.0, 2.0) give back the analyzer's level exactly, so an uncalibrated team sees no change.

MIN_REVIEWS = 30  # per component; below this a fitted threshold would follow the noise
FOLDS = 5
# Held-out kappa must gain at least this much before a component's thresholds are moved:
# a smaller gain on a few dozen reviews is as likely luck as skill.
MIN_GAIN = 0.02
EVIDENCE_CEILING = 3.0  # a "strong" cut here means "never strong"


@dataclass(frozen=True)
class Thresholds:
    weak: float = 1.0
    strong: float = 2.0

    def level(self, evidence: float) -> int:
        return 2 if evidence >= self.strong else 1 if evidence >= self.weak else 0

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_THRESHOLDS

    def to_dict(self) -> dict[str, float]:
        return {"weak": self.weak, "strong": self.strong}


DEFAULT_THRESHOLDS = Thresholds()


def evidence(level: int, confidence: float) -> float:
    """The analyzer's level and confidence as one number in (0, 3).

    Level 0 with high confidence means "surely absent", so it maps low (1 - confidence);
    level 1 or 2 maps to level + confidence, more corroborating cues ranking higher. The
    confidence is kept inside (0, 1) so the default cuts 1.0 and 2.0 return the level.
    """
    conf = min(0.999, max(0.001, confidence))
    return round(1 - conf if level <= 0 else min(level, 2) + conf, 3)


def calibrated_level(level: int, confidence: float, thresholds: Thresholds | None) -> int:
    """The level to present for a team with `thresholds` (None: the analyzer's own)."""
    if thresholds is None or thresholds.is_default:
        return level
    return thresholds.level(evidence(level, confidence))


def calibrated_levels(
    levels: Mapping[str, int], confidence: Mapping[str, float], thresholds: Mapping[str, Thresholds]
) -> dict[str, int]:
    """Every component's presented level; components without thresholds keep theirs.

    The stored score is never changed: calibrating again, or resetting, is only a new
    set of thresholds applied at display time.
    """
    return {
        name: calibrated_level(level, float(confidence.get(name, 0.8)), thresholds.get(name))
        for name, level in levels.items()
    }


def thresholds_from_json(data: Mapping[str, Any]) -> dict[str, Thresholds]:
    return {
        name: Thresholds(weak=float(cut["weak"]), strong=float(cut["strong"]))
        for name, cut in data.items()
    }


@dataclass(frozen=True)
class Sample:
    """One reviewed reply for one component: the manager's level and the analyzer's output."""

    manager: int
    level: int
    confidence: float


@dataclass(frozen=True)
class ComponentCalibration:
    n: int
    thresholds: Thresholds
    kappa_before: float | None  # the analyzer's levels against the managers'
    kappa_after: float | None  # calibrated levels on held-out reviews (k-fold)
    applied: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "thresholds": self.thresholds.to_dict(),
            "kappa_before": self.kappa_before,
            "kappa_after": self.kappa_after,
            "applied": self.applied,
            "reason": self.reason,
        }


def _kappa(matrix: Sequence[Sequence[int]]) -> float:
    """Cohen's kappa of a 3x3 confusion matrix (manager rows, predicted columns).

    The same formula as `cohen_kappa`, on counts, so the threshold search costs O(1)
    per candidate pair instead of a pass over the reviews. -1 when undefined, so an
    undefined candidate never wins.
    """
    n = sum(sum(row) for row in matrix)
    if n == 0:
        return -1.0
    observed = sum(matrix[i][i] for i in range(3)) / n
    rows = [sum(matrix[i]) for i in range(3)]
    cols = [sum(matrix[i][j] for i in range(3)) for j in range(3)]
    expected = sum(rows[i] * cols[i] for i in range(3)) / (n * n)
    return -1.0 if expected == 1 else (observed - expected) / (1 - expected)


def fit_thresholds(samples: Sequence[Sample]) -> Thresholds:
    """The (weak, strong) cuts with the highest kappa against the managers on `samples`.

    Candidates are the defaults, the ends of the scale and the midpoints between
    observed evidence values; ties go to the cuts nearest the defaults, so calibration
    moves a threshold only when that buys agreement.
    """
    values = sorted({evidence(s.level, s.confidence) for s in samples})
    candidates = sorted(
        {0.0, 1.0, 2.0, EVIDENCE_CEILING} | {round((a + b) / 2, 4) for a, b in pairwise(values)}
    )
    # below[i][m]: reviews with evidence under candidates[i] that the manager rated m.
    below = []
    for cut in candidates:
        counts = [0, 0, 0]
        for s in samples:
            if evidence(s.level, s.confidence) < cut:
                counts[min(max(s.manager, 0), 2)] += 1
        below.append(counts)
    totals = [sum(1 for s in samples if min(max(s.manager, 0), 2) == m) for m in range(3)]
    best, best_key = DEFAULT_THRESHOLDS, (-2.0, 0.0)
    for i, weak in enumerate(candidates):
        for j in range(i, len(candidates)):
            strong = candidates[j]
            matrix = [
                [below[i][m], below[j][m] - below[i][m], totals[m] - below[j][m]] for m in range(3)
            ]
            distance = abs(weak - 1.0) + abs(strong - 2.0)
            key = (round(_kappa(matrix), 9), -distance)
            if key > best_key:
                best, best_key = Thresholds(weak=weak, strong=strong), key
    return best


def _pairs(samples: Sequence[Sample], thresholds: Thresholds) -> list[tuple[int, int]]:
    return [(s.manager, thresholds.level(evidence(s.level, s.confidence))) for s in samples]


def calibrate_component(
    samples: Sequence[Sample], *, min_reviews: int = MIN_REVIEWS, folds: int = FOLDS
) -> ComponentCalibration:
    """Fit thresholds and say, from held-out reviews, whether they agree better.

    Before: the analyzer's levels against all reviews. After: each fold's levels from
    thresholds fitted on the other folds, pooled (k-fold), so the gain is not the
    fit admiring itself. The thresholds kept are fitted on all reviews, and only when
    held-out agreement improved by MIN_GAIN; otherwise the defaults stay.
    """
    n = len(samples)
    before = cohen_kappa((s.manager, s.level) for s in samples).kappa
    if n < min_reviews:
        return ComponentCalibration(
            n, DEFAULT_THRESHOLDS, before, None, False,
            f"Only {n} reviews (at least {min_reviews} needed): the analyzer's thresholds stay.",
        )  # fmt: skip
    held_out: list[tuple[int, int]] = []
    for fold in range(folds):
        train = [s for i, s in enumerate(samples) if i % folds != fold]
        test = [s for i, s in enumerate(samples) if i % folds == fold]
        held_out.extend(_pairs(test, fit_thresholds(train)))
    after = cohen_kappa(held_out).kappa
    if after is None or (before is not None and after < before + MIN_GAIN):
        return ComponentCalibration(
            n, DEFAULT_THRESHOLDS, before, after, False,
            "Calibrated thresholds did not agree better with your reviews on held-out "
            "replies: the analyzer's thresholds stay.",
        )  # fmt: skip
    fitted = fit_thresholds(samples)
    if fitted.is_default:
        return ComponentCalibration(
            n, DEFAULT_THRESHOLDS, before, after, False,
            "The analyzer's thresholds already fit your reviews best.",
        )  # fmt: skip
    return ComponentCalibration(
        n, fitted, before, after, True,
        f"Held-out agreement {before} -> {after} over {n} reviews: thresholds adjusted.",
    )  # fmt: skip


def calibrate_result(
    result: AnalysisResult, thresholds: Mapping[str, Thresholds]
) -> AnalysisResult:
    """An analyzer result with the team's component levels, for the live coaching panel.

    The analyzer itself is not changed; its overall score, spans and suggestions stay as
    computed (they follow its own rules), only the presented levels move.
    """

    def level(name: Component) -> ComponentScore:
        score = result.component(name)
        new = calibrated_level(score.level, score.confidence, thresholds.get(name))
        return replace(score, level=new)

    return replace(
        result,
        listening=level("listening"),
        validation=level("validation"),
        reflection=level("reflection"),
        tone=level("tone"),
    )
