"""Server-rendered SVG chart geometry: no charting library, no CDN, works without JS."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    points: str
    dots: tuple[tuple[float, float, str], ...]


def line_chart(
    values: list[tuple[str, float]],
    *,
    width: int = 600,
    height: int = 180,
    top: float = 100,
    left: float = 40.0,
    right: float = 10.0,
    pad: float = 10.0,
) -> LineChart:
    """Polyline points for (label, value) pairs on a 0..top scale inside the margins."""
    inner_w = width - left - right
    inner_h = height - 2 * pad
    n = len(values)
    dots = []
    for i, (label, value) in enumerate(values):
        x = left + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
        y = pad + inner_h * (1 - max(0.0, min(value, top)) / top)
        dots.append((round(x, 1), round(y, 1), f"{label}: {value:g}"))
    return LineChart(
        width=width,
        height=height,
        points=" ".join(f"{x},{y}" for x, y, _ in dots),
        dots=tuple(dots),
    )


@dataclass(frozen=True)
class Scatter:
    width: int
    height: int
    dots: tuple[tuple[float, float, str], ...]


def scatter(
    points: list[tuple[float, int]],
    *,
    x_max: float = 100,
    y_min: int = 1,
    y_max: int = 5,
    width: int = 600,
    height: int = 240,
) -> Scatter:
    """Dots for (x, y) pairs; y is jittered deterministically so equal ratings stay visible."""
    left, bottom, pad = 40.0, 30.0, 10.0
    inner_w, inner_h = width - left - pad, height - bottom - pad
    dots = []
    for i, (x, y) in enumerate(points):
        jitter = ((i * 7919) % 11 - 5) * 1.2
        cx = left + inner_w * max(0.0, min(x, x_max)) / x_max
        clamped = max(y_min, min(y, y_max))  # like x: a dot never leaves the chart
        cy = pad + inner_h * (1 - (clamped - y_min) / (y_max - y_min)) + jitter
        dots.append((round(cx, 1), round(cy, 1), f"empathy {x:g}, rating {y}"))
    return Scatter(width=width, height=height, dots=tuple(dots))


def sparkline(values: list[tuple[str, float]], *, top: float = 100) -> LineChart:
    """A small per-row trend line (120 x 28) for tables; the row's figures are its text."""
    return line_chart(values, width=120, height=28, top=top, left=3.0, right=3.0, pad=3.0)


def agent_scatter(
    points: list[tuple[float, float, str]], *, width: int = 600, height: int = 240
) -> Scatter:
    """Dots for (empathy 0-100, CSAT 0-100, agent name): one dot per agent, no jitter
    (each dot is named in its tooltip and in the table beside the chart)."""
    left, bottom, pad = 40.0, 30.0, 10.0
    inner_w, inner_h = width - left - pad, height - bottom - pad
    dots = []
    for x, y, name in points:
        cx = left + inner_w * max(0.0, min(x, 100.0)) / 100
        cy = pad + inner_h * (1 - max(0.0, min(y, 100.0)) / 100)
        dots.append((round(cx, 1), round(cy, 1), f"{name}: empathy {x:g}, CSAT {y:g}%"))
    return Scatter(width=width, height=height, dots=tuple(dots))
