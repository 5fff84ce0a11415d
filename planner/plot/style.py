"""Chart style: palettes, colours per measure, figure and axis helpers, axis number formats.

Colours: one colour per measure from :func:`measure_colours` (sorted measure ids mapped onto
Paul Tol's colour-blind-safe "muted" palette). Each measure-coloured chart takes an optional
``colours`` mapping; pass the same mapping to every chart of a report so that a measure keeps
its colour even in a chart that shows only some measures.

Scale: charts show at most :data:`TOP_N` items (projects, measures, sectors) by name and group
the rest as "other N …" (:func:`largest`), so a dataset of hundreds of projects still gives
readable charts with bounded legends.
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from planner.plot.context import ChartText
from planner.units import axis_number

WIDTH_IN = 7.2  # a two-column figure
#: the most items (projects, measures, sectors) a chart names; the rest are grouped
TOP_N = 12
OTHER_GREY = "#b0b0b0"

# --------------------------------------------------------------------------------------
# Colours
# --------------------------------------------------------------------------------------

#: Paul Tol's "muted" qualitative palette (colour-blind safe), then extra distinct colours.
MEASURE_PALETTE: tuple[str, ...] = (
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE",
    "#882255", "#44AA99", "#999933", "#AA4499",
    "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB",
)
#: Okabe–Ito palette (colour-blind safe) for sectors and scenarios.
CATEGORY_PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000",
)
REFERENCE_GREY = "#7f7f7f"
INFEASIBLE_GREY = "#d9d9d9"


def measure_colours(measures: Iterable[str]) -> dict[str, str]:
    """A fixed colour per measure: sorted unique ids mapped onto :data:`MEASURE_PALETTE`."""
    ids = sorted({str(m) for m in measures if m is not None and not _isnan(m)})
    n = len(MEASURE_PALETTE)
    out = {}
    for i, m in enumerate(ids):
        base = MEASURE_PALETTE[i % n]
        # past the palette, cycle it with a darker shade for each round (still distinct)
        out[m] = base if i < n else shade(base, -0.3 * (i // n))
    return out


def category_colours(keys: Sequence[str]) -> dict[str, str]:
    """Okabe–Ito colours for sectors or scenarios, in the order given."""
    n = len(CATEGORY_PALETTE)
    return {k: (CATEGORY_PALETTE[i % n] if i < n else shade(CATEGORY_PALETTE[i % n], -0.3))
            for i, k in enumerate(keys)}


def _isnan(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


def shade(colour: str, f: float) -> str:
    """Mix ``colour`` with white (``f > 0``) or black (``f < 0``) by ``|f|``."""
    r, g, b = mcolors.to_rgb(colour)
    if f >= 0:
        r, g, b = (c + (1 - c) * f for c in (r, g, b))
    else:
        r, g, b = (c * (1 + f) for c in (r, g, b))
    return mcolors.to_hex((r, g, b))


def shades(colour: str, k: int) -> list[str]:
    """``k`` distinguishable shades of one colour (same hue), dark to light."""
    if k <= 1:
        return [colour]
    h, light, sat = colorsys.rgb_to_hls(*mcolors.to_rgb(colour))
    spread = min(0.25, 0.07 * k)
    lo, hi = max(0.18, light - spread), min(0.88, light + spread)
    return [mcolors.to_hex(colorsys.hls_to_rgb(h, v, sat)) for v in np.linspace(lo, hi, k)]


def text_colour(face: object) -> str:
    """Black or white, whichever reads better on `face`."""
    r, g, b = mcolors.to_rgb(face)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def resolve_colours(colours: Mapping[str, str] | None,
                    measures: Iterable[str]) -> dict[str, str]:
    """The caller's colours per measure, completed for measures it lacks."""
    auto = measure_colours(measures)
    if colours is None:
        return auto
    out = {str(k): v for k, v in colours.items()}
    for m, c in auto.items():  # a measure the caller's mapping lacks still gets a colour
        out.setdefault(m, c)
    return out


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def new_figure(height: float, width: float = WIDTH_IN) -> Figure:
    """A figure (inches) with constrained layout on the Agg canvas (nothing is shown)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=4 / 72, h_pad=4 / 72, wspace=0.04, hspace=0.04)
    return fig


def require(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    """Raise ValueError when `df` lacks any of `cols`."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {missing}")


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


def largest(weights: pd.Series, n: int = TOP_N) -> tuple[list[str], list[str]]:
    """(the `n` ids of largest absolute weight, the rest), each in the order of `weights`;
    when only one would be left over it is kept (grouping one item saves nothing)."""
    ids = [str(i) for i in weights.index]
    if len(ids) <= n + 1:
        return ids, []
    order = np.argsort(-np.abs(weights.to_numpy(float)), kind="stable")
    keep = {ids[i] for i in order[:n]}
    return [i for i in ids if i in keep], [i for i in ids if i not in keep]
