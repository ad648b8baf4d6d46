"""Plain statistics for reports (pure Python, tested on known data)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Correlation:
    r: float | None  # None when it cannot be computed (n < 3 or no variance)
    n: int

    @property
    def strength(self) -> str:
        """Words a manager can read, deliberately cautious about small samples."""
        if self.r is None:
            return "not enough data"
        if self.n < 30:
            return f"too few surveys to conclude (n={self.n})"
        if self.r == 0:
            return "no linear association"
        size = abs(self.r)
        label = "weak" if size < 0.3 else "moderate" if size < 0.6 else "strong"
        direction = "positive" if self.r > 0 else "negative"
        return f"{label} {direction} association (not proof of cause)"


def pearson(xs: Sequence[float], ys: Sequence[float]) -> Correlation:
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    n = len(xs)
    if n < 3:
        return Correlation(None, n)
    # Constant series are tested exactly: with floats such as 0.1 the mean is inexact,
    # so the sums of squares come out tiny but non-zero and r would be meaningless.
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return Correlation(None, n)
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:  # differences too small to square (underflow)
        return Correlation(None, n)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return Correlation(round(sxy / math.sqrt(sxx * syy), 3), n)


def csat_percent(ratings_4_or_5: int, ratings: int) -> float | None:
    """CSAT = ratings of 4-5 / all ratings, in percent."""
    return round(100 * ratings_4_or_5 / ratings, 1) if ratings else None
