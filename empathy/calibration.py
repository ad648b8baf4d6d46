"""Agreement between managers' component ratings and the analyzer (pure Python)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


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
