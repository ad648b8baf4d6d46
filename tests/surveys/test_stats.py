"""Report statistics on known data: Pearson's r, CSAT, and the words a manager reads."""

from __future__ import annotations

import pytest

from surveys.stats import Correlation, csat_percent, pearson


def test_it_finds_a_perfect_positive_correlation() -> None:
    assert pearson([1, 2, 3, 4], [10, 20, 30, 40]) == Correlation(1.0, 4)


def test_it_finds_a_perfect_negative_correlation() -> None:
    assert pearson([1, 2, 3, 4], [8, 6, 4, 2]) == Correlation(-1.0, 4)


def test_it_matches_a_hand_computed_example() -> None:
    # x = 1..5, y = 2,4,5,4,5: mean x 3, mean y 4; Sxy = 6, Sxx = 10, Syy = 6
    # r = 6 / sqrt(10 * 6) = 0.7746
    result = pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])

    assert result.r == pytest.approx(0.775, abs=0.0005)
    assert result.n == 5


@pytest.mark.parametrize("n", [0, 1, 2])
def test_it_refuses_fewer_than_three_points(n: int) -> None:
    assert pearson(list(range(n)), list(range(n))) == Correlation(None, n)


@pytest.mark.parametrize(
    ("xs", "ys"),
    [
        ([3, 3, 3], [1, 2, 5]),
        ([1, 2, 5], [4, 4, 4]),
        # Floats whose mean is not exactly representable: still no variance.
        ([0.1, 0.1, 0.1], [1, 2, 4]),
        ([72.3, 72.3, 72.3, 72.3], [1, 5, 2, 4]),
        ([1, 2, 4], [0.7, 0.7, 0.7]),
    ],
)
def test_it_refuses_data_without_variance(xs: list[float], ys: list[float]) -> None:
    assert pearson(xs, ys).r is None


def test_it_rejects_series_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        pearson([1, 2, 3], [1, 2])


@pytest.mark.parametrize(
    ("satisfied", "ratings", "expected"),
    [(0, 0, None), (0, 4, 0.0), (3, 4, 75.0), (2, 3, 66.7), (5, 5, 100.0)],
)
def test_it_computes_csat_as_share_of_4_and_5_ratings(
    satisfied: int, ratings: int, expected: float | None
) -> None:
    assert csat_percent(satisfied, ratings) == expected


def test_it_says_not_enough_data_without_a_coefficient() -> None:
    assert Correlation(None, 2).strength == "not enough data"


@pytest.mark.parametrize("n", [3, 10, 29])
def test_it_refuses_to_conclude_on_small_samples(n: int) -> None:
    # Even a perfect r on a handful of surveys must not read as a finding.
    assert Correlation(0.95, n).strength == f"too few surveys to conclude (n={n})"


@pytest.mark.parametrize(
    ("r", "words"),
    [
        (0.1, "weak positive association (not proof of cause)"),
        (-0.45, "moderate negative association (not proof of cause)"),
        (0.8, "strong positive association (not proof of cause)"),
        (-0.6, "strong negative association (not proof of cause)"),
        (0.0, "no linear association"),
    ],
)
def test_it_describes_the_association_cautiously_from_30_surveys(r: float, words: str) -> None:
    assert Correlation(r, 30).strength == words
