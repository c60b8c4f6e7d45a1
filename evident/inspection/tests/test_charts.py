"""The server's SVG line chart: what it draws, in few elements (WeasyPrint styles and
draws each one)."""

from __future__ import annotations

import re

from evident.inspection.charts import LABEL_GAP, line_chart

MONTHS = ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026"]


def _labels(svg: str) -> dict[str, float]:
    """Text -> its baseline y."""
    return {
        text: float(y)
        for y, text in re.findall(r'<text[^>]* y="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    }


def test_a_chart_marks_each_known_month_and_names_the_target_and_england():
    svg = str(
        line_chart(
            title="Visits <on time>",
            labels=MONTHS,
            values=[50.0, None, 60.0, 70.0, 65.5],
            target=80.0,
            england=75.0,
        )
    )
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert 'aria-label="Visits &lt;on time&gt;"' in svg
    assert "<title>Visits &lt;on time&gt;</title>" in svg
    # One dot per month with a value (a round cap on a zero-length stroke), all in one path.
    dots = re.search(r'<path d="([^"]+)" stroke="#1d70b8" [^>]*stroke-linecap="round"/>', svg)
    assert dots is not None
    assert dots.group(1).count("h0") == 4
    assert "<circle" not in svg
    assert svg.count("<polyline") == 1
    labels = _labels(svg)
    assert {"Jan 2026", "Mar 2026", "May 2026", "Target 80.0%", "England 75.0%"} <= set(labels)
    assert len(labels) == 8  # three on the axis, three months, the target and England


def test_the_target_and_england_labels_never_overlap():
    svg = str(line_chart(title="t", labels=MONTHS, values=[50.0] * 5, target=80.0, england=80.5))
    labels = _labels(svg)
    assert abs(labels["Target 80.0%"] - labels["England 80.5%"]) >= LABEL_GAP
    assert labels["England 80.5%"] < labels["Target 80.0%"]  # the higher figure stays higher


def test_a_chart_without_figures_draws_no_line():
    svg = str(line_chart(title="t", labels=MONTHS, values=[None] * 5))
    assert "<polyline" not in svg
    assert 'stroke="#1d70b8"' not in svg
    assert "Target" not in svg
    assert "England" not in svg
