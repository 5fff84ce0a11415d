"""Chart style of matplotlib charts: figure and axis helpers, axis number formats; palettes
and colours per measure come from :mod:`planner.plot.palette` (re-exported here).

Colours: one colour per measure from :func:`measure_colours` (sorted measure ids mapped onto
Paul Tol's colour-blind-safe "muted" palette). Each measure-coloured chart takes an optional
``colours`` mapping; pass the same mapping to every chart of a report so that a measure keeps
its colour even in a chart that shows only some measures.

Scale: charts show at most :data:`TOP_N` items (projects, measures, sectors) by name and group
the rest as "other N …" (:func:`largest`), so a dataset of hundreds of projects still gives
readable charts with bounded legends.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from planner.plot.context import ChartText
from planner.plot.palette import (  # noqa: F401 - re-exported: the charts import them here
    CATEGORY_PALETTE,
    INFEASIBLE_GREY,
    MEASURE_PALETTE,
    OTHER_GREY,
    REFERENCE_GREY,
    TOP_N,
    category_colours,
    largest,
    measure_colours,
    require,
    resolve_colours,
    shade,
    shades,
    text_colour,
)
from planner.units import axis_number

WIDTH_IN = 7.2  # a two-column figure

# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def new_figure(height: float, width: float = WIDTH_IN) -> Figure:
    """A figure (inches) with constrained layout on the Agg canvas (nothing is shown)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=4 / 72, h_pad=4 / 72, wspace=0.04, hspace=0.04)
    return fig


def year_axis(ax, years: Sequence[int] | None = None) -> None:
    """Whole years on the x axis, limited to `years` (± half a year)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=9))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    if years is not None and len(years):
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)


def thousands(ax, axis: str = "y") -> None:
    """Tick labels with thousands separators and a true minus sign."""
    formatter = FuncFormatter(lambda v, _: axis_number(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def set_title(obj, text: str, show: bool) -> None:
    """A left-aligned title on an axes or a figure (when `show`)."""
    if not show:
        return
    if isinstance(obj, Figure):
        obj.suptitle(text, x=0.01, ha="left", fontsize=10.5)
    else:
        obj.set_title(text, loc="left")


def no_data(ctx: ChartText, title_key: str, show_title: bool) -> Figure:
    """A small figure that says there is nothing to plot (instead of failing)."""
    fig = new_figure(2.4)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, ctx.tr("chart.no_data"), ha="center", va="center", color="#666666",
            transform=ax.transAxes)
    set_title(ax, ctx.tr(title_key), show_title)
    return ctx.finish(fig)


def status_marks(ax, x, status: Sequence[str], colour, y: float = 0.0) -> dict[str, bool]:
    """Mark infeasible (x) and failed (hollow diamond) points at height ``y`` of ``ax``."""
    x = np.asarray(x, dtype=float)
    status = np.asarray([str(s) for s in status])
    kinds = {}
    inf = status == "infeasible"
    err = ~inf & (status != "optimal")
    if inf.any():
        ax.plot(x[inf], np.full(inf.sum(), y), ls="none", marker="x", ms=6, mew=1.5,
                color=colour, clip_on=False, zorder=5)
        kinds["infeasible"] = True
    if err.any():
        ax.plot(x[err], np.full(err.sum(), y), ls="none", marker="D", ms=4.5, mfc="none",
                mew=1.2, color=colour, clip_on=False, zorder=5)
        kinds["error"] = True
    return kinds


def axes_with_strip(fig: Figure, rows: int):
    """A main axes and, when ``rows`` > 0, a thin strip below it (shared x) holding the
    markers of points that have no value (infeasible or failed runs), one row each."""
    if rows <= 0:
        return fig.add_subplot(), None
    ax, strip = fig.subplots(2, 1, sharex=True, height_ratios=[1, 0.05 + 0.045 * rows],
                             gridspec_kw={"hspace": 0.02})
    ax.tick_params(axis="x", labelbottom=False)
    strip.set_ylim(rows - 0.4, -0.6)
    strip.set_yticks([])
    strip.set_facecolor("#f2f2f2")
    for sp in ("left", "top", "right"):
        strip.spines[sp].set_visible(False)
    return ax, strip


def status_handles(kinds: Mapping[str, bool], ctx: ChartText) -> list:
    """Legend entries for the marks of :func:`status_marks`."""
    out = []
    if kinds.get("infeasible"):
        out.append(Line2D([], [], ls="none", marker="x", ms=6, mew=1.5, color="#333333",
                          label=ctx.tr("legend.infeasible")))
    if kinds.get("error"):
        out.append(Line2D([], [], ls="none", marker="D", ms=4.5, mfc="none", mew=1.2,
                          color="#333333", label=ctx.tr("legend.error")))
    return out


def emissions_limits(series: Sequence[np.ndarray]) -> tuple[float, float]:
    """y-limits for emission paths: from zero when the paths come near it, otherwise zoomed
    so that the differences between paths stay visible (the axis then starts above zero)."""
    vals = np.concatenate([np.asarray(v, float).ravel() for v in series]) if series else []
    vals = vals[np.isfinite(vals)] if len(vals) else np.array([0.0, 1.0])
    lo, hi = float(vals.min()), float(vals.max())
    span = max(hi - lo, 1e-9)
    if lo <= 0 or lo < 0.8 * span:
        return min(0.0, lo - 0.05 * span), hi + 0.06 * span
    bottom = lo - 0.45 * span
    step = 10 ** math.floor(math.log10(span))
    bottom = max(0.0, math.floor(bottom / step) * step)
    return bottom, hi + 0.06 * span


