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
    values: list[tuple[str, float]], *, width: int = 600, height: int = 180, top: float = 100
) -> LineChart:
    """Polyline points for (label, value) pairs on a 0..top scale, 40 px left margin."""
    left, right, pad = 40.0, 10.0, 10.0
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
