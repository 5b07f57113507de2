"""Bar charts drawn on the page as SVG, from counts: no script and no CDN."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float  # of the largest bar, for the bar's length
    y: int  # vertical position in the SVG, in pixels


ROW_HEIGHT = 28


def bar_chart(rows) -> dict:
    """Rows of (label, count) → bars scaled to the largest count, and the SVG's height."""
    rows = [(str(label or "—"), int(count)) for label, count in rows]
    largest = max((count for _label, count in rows), default=0) or 1
    bars = [
        Bar(label, count, round(100 * count / largest, 1), index * ROW_HEIGHT)
        for index, (label, count) in enumerate(rows)
    ]
    return {"bars": bars, "height": max(1, len(bars)) * ROW_HEIGHT, "total": sum(count for _label, count in rows)}
