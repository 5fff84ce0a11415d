"""What tests read from a chart drawn on planner's canvas (planner.plot.frame.Chart)."""

from __future__ import annotations

from planner.plot.canvas import Line, Rect, Text, text_box
from planner.plot.frame import Chart


def legend_labels(ch: Chart) -> list[str]:
    """The legend's entries, in order."""
    return [e.label for e in ch.legend]


def bars(ch: Chart, prefix: str = "mac-bar:") -> dict[str, Rect]:
    """Rectangles whose id starts with `prefix`, by the rest of their id."""
    return {r.gid[len(prefix):]: r for r in ch.items
            if isinstance(r, Rect) and (r.gid or "").startswith(prefix)}


def data_box(ch: Chart, r: Rect) -> tuple[float, float, float, float]:
    """(left, bottom, width, height) of a rectangle, data units."""
    assert ch.frame is not None
    return ch.frame.data_box(r)


def level_lines_y(ch: Chart) -> list[float]:
    """Data y of every horizontal straight line."""
    assert ch.frame is not None
    return [ch.frame.data_y(ln.points[0][1]) for ln in ch.items
            if isinstance(ln, Line) and len({y for _, y in ln.points}) == 1]


def texts(ch: Chart) -> list[str]:
    """Every text drawn, in order."""
    return [t.text for t in ch.items if isinstance(t, Text)]


def boxes(ch: Chart, wanted: set[str]) -> list[tuple[float, float, float, float]]:
    """Page boxes (pt) of the texts whose string is in `wanted`."""
    return [text_box(ch.fonts, t) for t in ch.items
            if isinstance(t, Text) and t.text in wanted]
