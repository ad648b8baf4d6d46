"""SVG chart geometry: every dot inside the viewBox, labels that say what they show."""

from __future__ import annotations

import pytest

from empathy.charts import line_chart, scatter


def inside(chart, x: float, y: float) -> bool:
    return 0 <= x <= chart.width and 0 <= y <= chart.height


def test_it_draws_nothing_for_no_line_values():
    chart = line_chart([])

    assert chart.dots == ()
    assert chart.points == ""


def test_it_puts_every_line_point_inside_the_viewbox():
    values = [("2026-01-05", 0), ("2026-01-12", 100), ("2026-01-19", 55.5), ("2026-01-26", 12)]

    chart = line_chart(values)

    assert len(chart.dots) == 4
    assert all(inside(chart, x, y) for x, y, _ in chart.dots)
    xs = [x for x, _, _ in chart.dots]
    assert xs == sorted(xs)
    assert xs[0] == 40  # after the axis labels' margin
    assert xs[-1] == chart.width - 10


def test_it_plots_higher_values_higher_on_the_line_chart():
    chart = line_chart([("a", 0), ("b", 50), ("c", 100)])

    (_, y0, _), (_, y50, _), (_, y100, _) = chart.dots
    assert y100 < y50 < y0
    assert y0 == chart.height - 10
    assert y100 == 10
    assert y50 == pytest.approx((y0 + y100) / 2)


def test_it_keeps_out_of_scale_values_inside_the_line_chart():
    chart = line_chart([("low", -20), ("high", 250)], width=300, height=100)

    assert all(inside(chart, x, y) for x, y, _ in chart.dots)


def test_it_centres_a_single_line_point():
    chart = line_chart([("2026-01-05", 40)])

    ((x, _, _),) = chart.dots
    assert x == pytest.approx(40 + (600 - 50) / 2)


def test_it_labels_each_line_point_with_its_label_and_value():
    chart = line_chart([("2026-01-05", 61.25), ("2026-01-12", 70)])

    assert [label for _, _, label in chart.dots] == ["2026-01-05: 61.25", "2026-01-12: 70"]
    assert chart.points == " ".join(f"{x},{y}" for x, y, _ in chart.dots)


def test_it_draws_nothing_for_no_scatter_points():
    assert scatter([]).dots == ()


def test_it_puts_every_scatter_dot_inside_the_viewbox():
    points = [(x, y) for x in (0, 33.3, 100) for y in (1, 2, 3, 4, 5)] * 3

    chart = scatter(points)

    assert len(chart.dots) == len(points)
    assert all(inside(chart, x, y) for x, y, _ in chart.dots)


def test_it_keeps_out_of_scale_scatter_points_inside_the_viewbox():
    chart = scatter([(-5, 0), (150, 9), (50, -3)])

    assert all(inside(chart, x, y) for x, y, _ in chart.dots)


def test_it_places_scatter_dots_by_empathy_and_rating():
    chart = scatter([(0, 1), (100, 5)])

    (x_low, y_low, _), (x_high, y_high, _) = chart.dots
    assert x_low < x_high
    assert y_high < y_low  # a better rating sits higher


def test_it_labels_each_scatter_dot():
    chart = scatter([(72.5, 4), (10, 2)])

    assert [label for _, _, label in chart.dots] == [
        "empathy 72.5, rating 4",
        "empathy 10, rating 2",
    ]


def test_the_sparkline_stays_inside_its_box_and_keeps_labels() -> None:
    from empathy.charts import sparkline

    line = sparkline([("w1", 0.0), ("w2", 100.0), ("w3", 250.0)])
    assert all(0 <= x <= line.width and 0 <= y <= line.height for x, y, _ in line.dots)
    assert [label for _, _, label in line.dots] == ["w1: 0", "w2: 100", "w3: 250"]
    assert sparkline([]).points == ""
