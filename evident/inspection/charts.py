"""Indicator charts drawn on the server as SVG, so the page and the PDF show the same
picture (Chart.js cannot run inside WeasyPrint) and no script is needed. Each chart is
shown beside a table of the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 100, 14, 34
INK, LINE = "#0b0c0c", "#1d70b8"
LABEL_GAP = 12  # the target's and England's labels at least a line apart


def _y(value: float, low: float, high: float) -> float:
    span = high - low or 1.0
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)


def _apart(ys: list[float]) -> list[float]:
    """Where to put two line labels so that they do not overlap: spread about their middle."""
    if len(ys) != 2 or abs(ys[0] - ys[1]) >= LABEL_GAP:
        return ys
    middle, half = (ys[0] + ys[1]) / 2, LABEL_GAP / 2
    return [middle - half, middle + half] if ys[0] <= ys[1] else [middle + half, middle - half]


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
        'class="evident-svg-chart" font-family="Arial, sans-serif" font-size="11" '
        f'fill="{INK}">',
        f"<title>{escape(title)}</title>",
    ]
    # WeasyPrint styles and draws every element, and lays text out letter by letter: so
    # one path per kind of line or mark, and few labels (the table has the numbers).
    grid = []
    for tick in range(3):
        value = low + (high - low) * tick / 2
        y = _y(value, low, high)
        grid.append(f"M{LEFT},{y:.1f}H{WIDTH - RIGHT}")
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{value:.0f}%</text>')
    parts.append(f'<path d="{"".join(grid)}" fill="none" stroke="#b1b4b6" stroke-width="0.5"/>')
    for i, label in enumerate(labels):
        if i in (0, len(labels) // 2, len(labels) - 1):  # first, middle and latest month
            parts.append(
                f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    lines = [
        (line, colour, name, _y(line, low, high))
        for line, colour, name in ((target, "#00703c", "Target"), (england, "#d4351c", "England"))
        if line is not None
    ]
    for (line, colour, name, y), label_y in zip(lines, _apart([y for *_, y in lines]), strict=True):
        parts.append(
            f'<path d="M{LEFT},{y:.1f}H{WIDTH - RIGHT}" stroke="{colour}" stroke-width="2" '
            'stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT + 4}" y="{label_y + 4:.1f}" fill="{colour}">'
            f"{name} {line:.1f}%</text>"
        )
    points = [(LEFT + i * step, _y(v, low, high)) for i, v in enumerate(values) if v is not None]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    if points:  # a dot on each month: one path of zero-length strokes with round caps
        dots = "".join(f"M{x:.1f},{y:.1f}h0" for x, y in points)
        parts.append(f'<path d="{dots}" stroke="{LINE}" stroke-width="6" stroke-linecap="round"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
