"""Indicator charts drawn on the server as SVG, so the page and the PDF show the same
picture (Chart.js cannot run inside WeasyPrint) and no script is needed. Each chart is
shown beside a table of the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 100, 14, 34


def _y(value: float, low: float, high: float) -> float:
    span = high - low or 1.0
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    target: float | None = None,
    england: float | None = None,
) -> SafeString:
    """A line of monthly percentages with dashed lines for the target and England."""
    known = [v for v in values if v is not None]
    marks = [*known, *(x for x in (target, england) if x is not None)]
    low = max(0.0, (min(marks) if marks else 0.0) - 5)
    high = min(100.0, (max(marks) if marks else 100.0) + 5)
    if high - low < 10:
        high = min(100.0, low + 10)
    plot_w = WIDTH - LEFT - RIGHT
    step = plot_w / max(len(labels) - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        'class="evident-svg-chart" font-family="Arial, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    # Few labels: every text node costs WeasyPrint a text layout (the table has the numbers).
    for tick in range(3):
        value = low + (high - low) * tick / 2
        y = _y(value, low, high)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#b1b4b6" stroke-width="0.5"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#0b0c0c">'
            f"{value:.0f}%</text>"
        )
    for i, label in enumerate(labels):
        if i in (0, len(labels) // 2, len(labels) - 1):  # first, middle and latest month
            parts.append(
                f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle" fill="#0b0c0c">{escape(label)}</text>'
            )
    for line, colour, name in ((target, "#00703c", "Target"), (england, "#d4351c", "England")):
        if line is None:
            continue
        y = _y(line, low, high)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT + 4}" y="{y + 4:.1f}" fill="{colour}">'
            f"{name} {line:.1f}%</text>"
        )
    points = [(LEFT + i * step, _y(v, low, high)) for i, v in enumerate(values) if v is not None]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="2.5"/>')
    for x, y in points:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1d70b8"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
