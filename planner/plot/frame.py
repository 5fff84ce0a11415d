"""A chart's frame on a :class:`~planner.plot.canvas.Canvas`: the plot area and its data
scales, ticks at round numbers, left and bottom spines, axis labels, a left-aligned title and
a legend centred below — in the sizes and colours of planner's matplotlib charts
(:meth:`planner.plot.context.ChartText.rc`). Lengths in pt.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from planner.labels import Labels
from planner.plot.canvas import Canvas, Circle, Fonts, Line, Rect, Text
from planner.plot.words import ChartWords
from planner.units import axis_number

TITLE_SIZE = 10.5
LABEL_SIZE = 9.0
TICK_SIZE = 8.5
LEGEND_SIZE = 8.0
TICK_LEN = 3.5
PAD = 4.0  # around the page and between blocks
INK = "#222222"
SPINE = "#333333"
GRID = "#dddddd"


def nice_ticks(lo: float, hi: float, most: int = 8) -> list[float]:
    """Round-number ticks within [lo, hi]: the smallest step of 1, 2, 2.5 or 5 × 10^k that
    gives at most `most` + 1 ticks (at least two when `most` ≥ 4)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    e = math.floor(math.log10((hi - lo) / most))
    for step in (m * 10.0 ** k for k in (e - 1, e, e + 1, e + 2) for m in (1, 2, 2.5, 5)):
        first = math.ceil(lo / step - 1e-9)
        n = math.floor(hi / step + 1e-9) - first + 1
        if n <= most + 1:
            return [round((first + i) * step, 12) + 0.0 for i in range(n)]
    return [lo, hi]  # not reached: 10^(e+2) leaves at most two ticks


@dataclass
class Entry:
    """A legend entry: a patch (`fill`, optional `hatch` colour, `alpha`), a round `marker`,
    or only text (`fill` None)."""

    label: str
    fill: str | None = None
    hatch: str | None = None
    alpha: float = 1.0
    marker: bool = False
    edge: str | None = None


@dataclass
class Frame:
    """The plot area (x0, y0)–(x1, y1) in pt and the data limits it shows."""

    x0: float
    y0: float
    x1: float
    y1: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def px(self, x: float) -> float:
        """pt from the page's left edge of data x."""
        a, b = self.xlim
        return self.x0 + (x - a) / (b - a) * (self.x1 - self.x0)

    def py(self, y: float) -> float:
        """pt from the page's top edge of data y."""
        a, b = self.ylim
        return self.y1 - (y - a) / (b - a) * (self.y1 - self.y0)

    @property
    def x_per_pt(self) -> float:
        """Data x per pt."""
        return (self.xlim[1] - self.xlim[0]) / (self.x1 - self.x0)

    @property
    def y_per_pt(self) -> float:
        """Data y per pt."""
        return (self.ylim[1] - self.ylim[0]) / (self.y1 - self.y0)

    def data_y(self, y_pt: float) -> float:
        """Data y of a point `y_pt` pt from the page's top edge."""
        return self.ylim[0] + (self.y1 - y_pt) * self.y_per_pt

    def data_box(self, r: Rect) -> tuple[float, float, float, float]:
        """A rectangle drawn in this frame in data units: (left, bottom, width, height)."""
        return (self.xlim[0] + (r.x - self.x0) * self.x_per_pt,
                self.ylim[0] + (self.y1 - r.y - r.h) * self.y_per_pt,
                r.w * self.x_per_pt, r.h * self.y_per_pt)

    def bar(self, left: float, bottom: float, width: float, height: float,
            **kw) -> Rect | None:
        """A rectangle in data units (width, height ≥ 0) as a canvas item, cut to the plot
        area (None when nothing of it is inside)."""
        x, x2 = max(self.px(left), self.x0), min(self.px(left + width), self.x1)
        y_top = max(self.py(bottom + height), self.y0)
        y_bottom = min(self.py(bottom), self.y1)
        if x2 < x or y_bottom < y_top:
            return None
        return Rect(x, y_top, x2 - x, y_bottom - y_top, **kw)

    def hline(self, y: float, colour: str, width: float,
              dash: tuple[float, float] | None = None) -> Line:
        """A line across the plot area at data y."""
        return Line(((self.x0, self.py(y)), (self.x1, self.py(y))), colour, width, dash)

    def polyline(self, xs: Sequence[float], ys: Sequence[float], colour: str,
                 width: float) -> Line:
        """A line through data points."""
        return Line(tuple((self.px(x), self.py(y)) for x, y in zip(xs, ys, strict=True)),
                    colour, width)


def tick_labels(ticks: Sequence[float]) -> list[str]:
    """Tick labels: thousands separators, up to two decimals, a true minus."""
    return [axis_number(v) for v in ticks]


def legend_grid(canvas: Canvas, entries: Sequence[Entry], ncols: int
                ) -> tuple[int, int, float]:
    """(columns, rows, column width in pt) of a legend of `entries` in at most `ncols`
    columns: fewer where the page is too narrow for them."""
    if not entries:
        return 0, 0, 0.0
    width = max(_entry_width(canvas, e) for e in entries)
    fit = max(1, int((canvas.width - 2 * PAD) // width))
    cols = max(1, min(ncols, len(entries), fit))
    return cols, math.ceil(len(entries) / cols), width


def _entry_width(canvas: Canvas, e: Entry) -> float:
    return 16.0 + canvas.text_length(e.label, LEGEND_SIZE) + 10.0


LEGEND_ROW = LEGEND_SIZE * 1.55


def draw_legend(canvas: Canvas, entries: Sequence[Entry], ncols: int, top: float) -> None:
    """The legend centred on the page, its first row's top at `top` (pt)."""
    ncols, rows, col_w = legend_grid(canvas, entries, ncols)
    if not rows:
        return
    left = (canvas.width - ncols * col_w) / 2
    for i, e in enumerate(entries):
        r, c = divmod(i, ncols)
        x = left + c * col_w
        y = top + r * LEGEND_ROW
        mid = y + LEGEND_ROW / 2
        if e.marker and e.fill:
            canvas.add(Circle(x + 6.0, mid, 3.0, e.fill))
        elif e.fill:
            canvas.add(Rect(x, mid - 3.5, 12.0, 7.0, e.fill, stroke=e.edge,
                            stroke_width=0.5 if e.edge else 0.0, hatch=e.hatch,
                            opacity=e.alpha))
        canvas.add(Text(x + 16.0, mid + 0.36 * LEGEND_SIZE, e.label, LEGEND_SIZE, INK))


def legend_height(canvas: Canvas, entries: Sequence[Entry], ncols: int) -> float:
    """Height (pt) a legend of `entries` takes."""
    return legend_grid(canvas, entries, ncols)[1] * LEGEND_ROW


@dataclass
class Layout:
    """What surrounds the plot area: title, axis labels and tick labels, the legend, and a
    right margin (pt) for text beside the plot (e.g. a price line's label)."""

    title: str | None
    xlabel: str
    ylabel: str
    legend: Sequence[Entry]
    ncols: int
    right: float = 10.0


def place(canvas: Canvas, lay: Layout, xlim: tuple[float, float], ylim: tuple[float, float],
          yticks: Sequence[float]) -> Frame:
    """The plot area that leaves room for everything in `lay` around it."""
    ytl = tick_labels(yticks)
    ytick_w = max((canvas.text_length(s, TICK_SIZE) for s in ytl), default=0.0)
    x0 = PAD + LABEL_SIZE * 1.2 + PAD + ytick_w + 2.0 + TICK_LEN
    top = PAD + (TITLE_SIZE * 1.3 + 6.0 if lay.title else TICK_SIZE / 2)
    bottom = (canvas.height - PAD - legend_height(canvas, lay.legend, lay.ncols)
              - (PAD if lay.legend else 0.0) - LABEL_SIZE * 1.3 - TICK_SIZE * 1.3
              - TICK_LEN - 2.0)
    return Frame(x0, top, canvas.width - max(lay.right, PAD), bottom, xlim, ylim)


def draw_frame(canvas: Canvas, f: Frame, lay: Layout, yticks: Sequence[float],
               xticks: Sequence[float]) -> None:
    """Spines, ticks, tick labels, axis labels, title and legend of frame `f`."""
    c = canvas
    for y, s in zip(yticks, tick_labels(yticks), strict=True):
        yy = f.py(y)
        c.add(Line(((f.x0 - TICK_LEN, yy), (f.x0, yy)), SPINE, 0.8))
        c.add(Text(f.x0 - TICK_LEN - 2.0 - c.text_length(s, TICK_SIZE),
                   yy + 0.36 * TICK_SIZE, s, TICK_SIZE, SPINE))
    for x, s in zip(xticks, tick_labels(xticks), strict=True):
        xx = f.px(x)
        c.add(Line(((xx, f.y1), (xx, f.y1 + TICK_LEN)), SPINE, 0.8))
        c.add(Text(xx - c.text_length(s, TICK_SIZE) / 2, f.y1 + TICK_LEN + 2.0
                   + 0.73 * TICK_SIZE, s, TICK_SIZE, SPINE))
    c.add(Line(((f.x0, f.y0), (f.x0, f.y1), (f.x1, f.y1)), SPINE, 0.8))
    xl_y = f.y1 + TICK_LEN + 2.0 + TICK_SIZE * 1.3 + 0.73 * LABEL_SIZE + 1.0
    c.add(Text((f.x0 + f.x1) / 2 - c.text_length(lay.xlabel, LABEL_SIZE) / 2, xl_y,
               lay.xlabel, LABEL_SIZE, INK))
    yl_len = c.text_length(lay.ylabel, LABEL_SIZE)
    c.add(Text(PAD + 0.9 * LABEL_SIZE, (f.y0 + f.y1) / 2 + yl_len / 2, lay.ylabel,
               LABEL_SIZE, INK, rotate=90))
    if lay.title:
        c.add(Text(f.x0, PAD + 0.73 * TITLE_SIZE + 2.0, lay.title, TITLE_SIZE, INK))
    draw_legend(c, lay.legend, lay.ncols, xl_y + 0.3 * LABEL_SIZE + PAD)


def grid(canvas: Canvas, f: Frame, yticks: Sequence[float]) -> None:
    """Horizontal grid lines at the y ticks (drawn before the data)."""
    for y in yticks:
        canvas.add(f.hline(y, GRID, 0.6))


class Chart(Canvas):
    """A canvas with one frame (set once drawn), its legend and its words."""

    def __init__(self, width: float, height: float, words: ChartWords, fonts: Fonts) -> None:
        super().__init__(width, height, fonts)
        self.words = words
        self.frame: Frame | None = None
        self.legend: list[Entry] = []


def new_chart(lang: str, labels: Labels | None, height_in: float,
              width_in: float = 7.2) -> Chart:
    """An empty chart (inches) with planner's fonts and a chart's words in `lang`."""
    f = Fonts.planner()
    words = ChartWords(lang, labels, f.fonts[1:], f.coverage)
    return Chart(width_in * 72, height_in * 72, words, f)


__all__ = ["Chart", "Entry", "Frame", "Layout", "draw_frame", "draw_legend", "grid",
           "legend_grid", "legend_height", "new_chart", "nice_ticks", "place", "tick_labels"]
