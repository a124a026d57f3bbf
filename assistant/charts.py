"""The digest's charts as PNG images, drawn with matplotlib's Agg canvas (no display needed).

Figures are built with the object API (``Figure`` + ``FigureCanvasAgg``), never ``pyplot``, so
drawing is safe from the scheduler's and Slack's worker threads.
"""

from __future__ import annotations

import io
from typing import Any

from assistant.digest import DigestChart

BAR_COLOUR = "#2E6DB4"


def render_png(chart: DigestChart) -> bytes:
    """Draw one chart as a bar chart and return the PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=(7.5, 3.4), dpi=110, layout="tight")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [point.label for point in chart.points]
    values = [point.value for point in chart.points]
    bars = axes.bar(labels, values, color=BAR_COLOUR)
    axes.set_title(chart.title)
    axes.set_ylabel(chart.y_label)
    axes.spines[["top", "right"]].set_visible(False)
    formatter = FuncFormatter(_money if chart.unit == "money" else _count)
    axes.yaxis.set_major_formatter(formatter)
    axes.bar_label(bars, labels=[formatter(v, None) for v in values], fontsize=8, padding=2)
    axes.tick_params(axis="x", labelsize=8, labelrotation=45 if len(labels) > 6 else 0)
    if not values or max(values) == 0:
        axes.set_ylim(0, 1)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _money(value: float, _position: Any) -> str:
    if abs(value) >= 1_000_000:
        return f"${value / 1_000_000:,.1f}M"
    if abs(value) >= 1_000:
        return f"${value / 1_000:,.0f}k"
    return f"${value:,.0f}"


def _count(value: float, _position: Any) -> str:
    return f"{value:,.0f}"
