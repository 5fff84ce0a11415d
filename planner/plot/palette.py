"""Colours and grouping of charts, without matplotlib: palettes, one colour per measure,
shades, and the TOP_N grouping of many items (used by matplotlib charts through
:mod:`planner.plot.style` and by the charts drawn on :mod:`planner.plot.canvas`).

Colours: one colour per measure from :func:`measure_colours` (sorted measure ids mapped onto
Paul Tol's colour-blind-safe "muted" palette). Colours are ``#rrggbb`` strings.
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

#: the most items (projects, measures, sectors) a chart names; the rest are grouped
TOP_N = 12
OTHER_GREY = "#b0b0b0"


_NAMED = {"white": "#ffffff", "black": "#000000"}


def to_rgb(colour: str | Sequence[float]) -> tuple[float, float, float]:
    """``#rgb``, ``#rrggbb`` or an (r, g, b[, a]) tuple as (r, g, b) in 0..1; other names
    through matplotlib."""
    if not isinstance(colour, str):
        r, g, b = (float(v) for v in tuple(colour)[:3])
        return (r, g, b)
    c = _NAMED.get(colour.strip().lower(), colour.strip())
    if c.startswith("#") and len(c) in (4, 7):
        h = c[1:] if len(c) == 7 else "".join(ch * 2 for ch in c[1:])
        return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)
    from matplotlib import colors as mcolors  # a named colour: rare, and only then

    r, g, b = mcolors.to_rgb(c)
    return (float(r), float(g), float(b))


def to_hex(rgb: Sequence[float]) -> str:
    """(r, g, b) in 0..1 as ``#rrggbb``."""
    return "#" + "".join(f"{round(min(1.0, max(0.0, float(v))) * 255):02x}" for v in rgb[:3])


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
    r, g, b = to_rgb(colour)
    if f >= 0:
        r, g, b = (c + (1 - c) * f for c in (r, g, b))
    else:
        r, g, b = (c * (1 + f) for c in (r, g, b))
    return to_hex((r, g, b))


def shades(colour: str, k: int) -> list[str]:
    """``k`` distinguishable shades of one colour (same hue), dark to light."""
    if k <= 1:
        return [colour]
    h, light, sat = colorsys.rgb_to_hls(*to_rgb(colour))
    spread = min(0.25, 0.07 * k)
    lo, hi = max(0.18, light - spread), min(0.88, light + spread)
    return [to_hex(colorsys.hls_to_rgb(h, v, sat)) for v in np.linspace(lo, hi, k)]


def text_colour(face: object) -> str:
    """Black or white, whichever reads better on `face`."""
    r, g, b = to_rgb(face)
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


def require(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    """Raise ValueError when `df` lacks any of `cols`."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {missing}")


def largest(weights: pd.Series, n: int = TOP_N) -> tuple[list[str], list[str]]:
    """(the `n` ids of largest absolute weight, the rest), each in the order of `weights`;
    when only one would be left over it is kept (grouping one item saves nothing)."""
    ids = [str(i) for i in weights.index]
    if len(ids) <= n + 1:
        return ids, []
    order = np.argsort(-np.abs(weights.to_numpy(float)), kind="stable")
    keep = {ids[i] for i in order[:n]}
    return [i for i in ids if i in keep], [i for i in ids if i not in keep]
