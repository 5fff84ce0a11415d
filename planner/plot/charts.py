"""All of planner's charts: tidy DataFrames in, matplotlib :class:`~matplotlib.figure.Figure` out.

Every chart function is pure (it reads its frames and returns a new figure, drawn with the
Agg canvas; nothing is shown), takes ``lang`` in ``{"en", "zh"}`` and writes all labels
through :mod:`planner.i18n`. Units: emissions in Mt CO₂, unit costs in CNY/t CO₂, totals
in 100 million CNY (亿元). Save a figure with :func:`save_figure`.

Colours: one colour per measure from :func:`measure_colours` (sorted measure ids mapped
onto Paul Tol's colour-blind-safe "muted" palette). Each measure-coloured chart takes an
optional ``colours`` mapping; pass the same mapping (e.g. ``measure_colours(projects.measure)``)
to every chart of a report so that a measure keeps its colour even in a chart that shows only
some measures. Without it, the colours come from the measures in the chart's own input.

Chinese text: planner ships "Planner Sans SC" (``planner/fonts``, a GB 2312 subset of Noto
Sans CJK SC under the SIL OFL 1.1), and also uses an installed CJK font if there is one.
Latin text is set in DejaVu Sans in both languages. If no CJK font can be found at all,
one :class:`CJKFontWarning` is issued and charts fall back to English labels and project
ids instead of Chinese names; a name with a character outside the available fonts also
falls back to its id (with a warning). Text never renders as empty boxes silently.
"""

from __future__ import annotations

import colorsys
import functools
import math
import re
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from planner.i18n import t, t_or

__all__ = [
    "CJKFontWarning",
    "carbon_price_chart",
    "cjk_font_available",
    "compare_chart",
    "deployment_timeline",
    "emissions_pathway",
    "frontier_chart",
    "mac_curve",
    "measure_colours",
    "save_figure",
    "sector_emissions",
    "sweep_cost",
    "sweep_heatmap",
    "sweep_price",
]

T_PER_MT = 1e6
CNY_PER_YI = 1e8  # 亿元 = 100 million CNY
PNG_DPI = 180
WIDTH_IN = 7.2  # a two-column figure

# --------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
BUNDLED_FONT = FONT_DIR / "PlannerSansSC-Regular.otf"
LATIN_FAMILY = "DejaVu Sans"
#: Installed CJK families that are used (after the bundled font) when present.
SYSTEM_CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Sarasa Gothic SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
_GLYPH_WARNING = r"(?s).*Glyph .* missing from (current )?font"


class CJKFontWarning(UserWarning):
    """No font can render some Chinese text; a fallback label is used instead."""


@functools.cache
def _find_cjk_fonts() -> tuple[tuple[str, str], ...]:
    """``(family, file)`` of usable CJK fonts: the bundled one first, then installed ones."""
    found: list[tuple[str, str]] = []
    if BUNDLED_FONT.is_file():
        try:
            font_manager.fontManager.addfont(str(BUNDLED_FONT))
            found.append((font_manager.FontProperties(fname=BUNDLED_FONT).get_name(),
                          str(BUNDLED_FONT)))
        except (OSError, RuntimeError, ValueError):  # a damaged file: ignore it
            pass
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_CJK_FAMILIES:
        if family in installed:
            path = font_manager.findfont(font_manager.FontProperties(family=family),
                                         fallback_to_default=False)
            found.append((family, path))
    return tuple(found)


def cjk_font_available() -> bool:
    """Whether some font (bundled or installed) can render Chinese text."""
    return bool(_find_cjk_fonts())


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError):
        return frozenset()


def _latin_font_path() -> str:
    return font_manager.findfont(font_manager.FontProperties(family=LATIN_FAMILY))


_no_cjk_warned = False


def _warn_no_cjk_once() -> None:
    global _no_cjk_warned
    if _no_cjk_warned:
        return
    _no_cjk_warned = True
    warnings.warn(
        "planner.plot.charts: no CJK font found (the bundled font "
        f"{BUNDLED_FONT.name} is missing and no installed font such as 'Noto Sans CJK SC' "
        "was found). Charts use English labels and project ids instead of Chinese text. "
        "Reinstall planner or install a CJK font (e.g. Debian's fonts-noto-cjk) to fix this.",
        CJKFontWarning,
        stacklevel=3,
    )


_MATH_CHARS = re.compile(r"([$])")


class _Text:
    """Languages, fonts and label fallbacks for one chart."""

    def __init__(self, lang: str) -> None:
        if lang not in ("en", "zh"):
            raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
        fonts = _find_cjk_fonts()
        if not fonts:
            _warn_no_cjk_once()
        self.requested = lang
        self.lang = lang if fonts else "en"
        self.families = [LATIN_FAMILY, *dict.fromkeys(fam for fam, _ in fonts)]
        cover: set[int] = set(_charmap(_latin_font_path()))
        for _, path in fonts:
            cover |= _charmap(path)
        self.coverage = cover
        # True once some text was replaced: then matplotlib's glyph warnings are expected
        # to be impossible, and any left are suppressed.
        self.fallback = not fonts
        self.replaced: list[str] = []

    def tr(self, key: str, **fmt: object) -> str:
        return t(key, self.lang, **fmt)

    def renderable(self, text: str) -> bool:
        return all(ch.isspace() or ord(ch) in self.coverage for ch in text)

    def safe(self, text: object, fallback: object | None = None) -> str:
        """``text`` if every character can be drawn, else ``fallback`` (or an ASCII form)."""
        s = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
        if not self.renderable(s):
            self.replaced.append(s)
            self.fallback = True
            alt = str(fallback) if fallback is not None else ""
            if not alt or not self.renderable(alt):
                alt = s.encode("ascii", "replace").decode("ascii")
            s = alt
        return _MATH_CHARS.sub(r"\\\1", s)

    def project_label(self, project: object, name: object, name_en: object = None) -> str:
        if self.lang == "en" and isinstance(name_en, str) and name_en.strip():
            name = name_en
        if not isinstance(name, str) or not name.strip():
            name = project
        return self.safe(name, fallback=project)

    def _id_label(self, kind: str, ident: object) -> str:
        default = str(ident)
        if self.lang == "en" and re.fullmatch(r"[a-z0-9_]+", default):
            default = default.replace("_", " ").capitalize()
        return self.safe(t_or(f"{kind}.{ident}", self.lang, default), fallback=ident)

    def measure_label(self, measure: object) -> str:
        return self._id_label("measure", measure)

    def sector_label(self, sector: object) -> str:
        return self._id_label("sector", sector)

    def warn_replaced(self) -> None:
        if self.replaced and cjk_font_available():
            shown = ", ".join(sorted(set(self.replaced))[:5])
            warnings.warn(
                f"planner.plot.charts: no available font has every character of {shown!r}; "
                "those labels fall back to their ids.",
                CJKFontWarning,
                stacklevel=3,
            )

    def rc(self) -> dict[str, object]:
        return {
            "font.family": self.families,
            "font.size": 9,
            "axes.titlesize": 10.5,
            "axes.titlelocation": "left",
            "axes.titlepad": 8,
            "axes.labelsize": 9,
            "axes.linewidth": 0.8,
            "axes.edgecolor": "#333333",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.axisbelow": True,
            "axes.grid": False,
            "grid.color": "#dddddd",
            "grid.linewidth": 0.6,
            "xtick.labelsize": 8.5,
            "ytick.labelsize": 8.5,
            "xtick.color": "#333333",
            "ytick.color": "#333333",
            "legend.fontsize": 8,
            "legend.title_fontsize": 8.5,
            "legend.frameon": False,
            "legend.handlelength": 1.6,
            "figure.titlesize": 10.5,
            "figure.dpi": 100,
            "savefig.dpi": PNG_DPI,
            "savefig.facecolor": "white",
            "svg.hashsalt": "planner",
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
            "hatch.linewidth": 0.6,
            "axes.unicode_minus": True,
        }

    @contextmanager
    def style(self):
        with mpl.rc_context(self.rc()):
            yield self

    def finish(self, fig: Figure) -> Figure:
        """Lay the figure out (creating tick labels with this chart's fonts) and mark it."""
        fig._planner_fallback = self.fallback  # type: ignore[attr-defined]
        with _glyph_guard(fig):
            fig.draw_without_rendering()
        self.warn_replaced()
        return fig


@contextmanager
def _glyph_guard(fig: Figure):
    """Silence matplotlib's "Glyph missing" warnings for figures whose text was handled."""
    with warnings.catch_warnings():
        if getattr(fig, "_planner_fallback", False):
            warnings.filterwarnings("ignore", message=_GLYPH_WARNING)
        yield


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
        out[m] = base if i < n else _shade(base, -0.3 * (i // n))
    return out


def _category_colours(keys: Sequence[str]) -> dict[str, str]:
    n = len(CATEGORY_PALETTE)
    return {k: (CATEGORY_PALETTE[i % n] if i < n else _shade(CATEGORY_PALETTE[i % n], -0.3))
            for i, k in enumerate(keys)}


def _isnan(x: object) -> bool:
    return isinstance(x, float) and math.isnan(x)


def _shade(colour: str, f: float) -> str:
    """Mix ``colour`` with white (``f > 0``) or black (``f < 0``) by ``|f|``."""
    r, g, b = mcolors.to_rgb(colour)
    if f >= 0:
        r, g, b = (c + (1 - c) * f for c in (r, g, b))
    else:
        r, g, b = (c * (1 + f) for c in (r, g, b))
    return mcolors.to_hex((r, g, b))


def _shades(colour: str, k: int) -> list[str]:
    """``k`` distinguishable shades of one colour (same hue), dark to light."""
    if k <= 1:
        return [colour]
    h, light, sat = colorsys.rgb_to_hls(*mcolors.to_rgb(colour))
    spread = min(0.25, 0.07 * k)
    lo, hi = max(0.18, light - spread), min(0.88, light + spread)
    return [mcolors.to_hex(colorsys.hls_to_rgb(h, v, sat)) for v in np.linspace(lo, hi, k)]


def _text_colour(face: object) -> str:
    r, g, b = mcolors.to_rgb(face)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def _resolve_colours(colours: Mapping[str, str] | None, measures: Iterable[str]) -> dict[str, str]:
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


def _figure(height: float, width: float = WIDTH_IN) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(w_pad=4 / 72, h_pad=4 / 72, wspace=0.04, hspace=0.04)
    return fig


def _require(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {missing}")


def _year_axis(ax, years: Sequence[int] | None = None) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=9))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    if years is not None and len(years):
        ax.set_xlim(min(years) - 0.5, max(years) + 0.5)


def _thousands(ax, axis: str = "y") -> None:
    def fmt(v, _):
        if abs(v) >= 1000:
            s = f"{v:,.0f}"
        else:
            s = f"{v:g}" if abs(v - round(v, 2)) < 1e-9 else f"{v:.2f}"
        return s.replace("-", "\u2212")

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(fmt))


def _title(obj, text: str, show: bool) -> None:
    if not show:
        return
    if isinstance(obj, Figure):
        obj.suptitle(text, x=0.01, ha="left", fontsize=10.5)
    else:
        obj.set_title(text, loc="left")


def _no_data(ctx: _Text, title_key: str, show_title: bool) -> Figure:
    """A small figure that says there is nothing to plot (instead of failing)."""
    fig = _figure(2.4)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, ctx.tr("chart.no_data"), ha="center", va="center", color="#666666",
            transform=ax.transAxes)
    _title(ax, ctx.tr(title_key), show_title)
    return ctx.finish(fig)


def _status_marks(ax, x, status: Sequence[str], colour, y: float = 0.0) -> dict[str, bool]:
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


def _axes_with_strip(fig: Figure, rows: int):
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


def _status_handles(kinds: Mapping[str, bool], ctx: _Text) -> list:
    out = []
    if kinds.get("infeasible"):
        out.append(Line2D([], [], ls="none", marker="x", ms=6, mew=1.5, color="#333333",
                          label=ctx.tr("legend.infeasible")))
    if kinds.get("error"):
        out.append(Line2D([], [], ls="none", marker="D", ms=4.5, mfc="none", mew=1.2,
                          color="#333333", label=ctx.tr("legend.error")))
    return out


# --------------------------------------------------------------------------------------
# Marginal abatement cost curve
# --------------------------------------------------------------------------------------


def _spread(targets: Sequence[float], d: float, lo: float, hi: float) -> np.ndarray:
    """Positions near ``targets`` (same order) at least ``d`` apart within ``[lo, hi]``."""
    targets = np.asarray(targets, dtype=float)
    n = len(targets)
    if n == 0:
        return targets
    d = min(d, (hi - lo) / n)
    order = np.argsort(targets, kind="stable")

    def start_of(total: float, count: int) -> float:
        s = total / count - (count - 1) * d / 2
        return float(min(max(s, lo + d / 2), hi - d / 2 - (count - 1) * d))

    clusters: list[list] = []  # [sum of targets, members, start]
    for i in order:
        clusters.append([targets[i], [i], start_of(targets[i], 1)])
        while len(clusters) > 1:
            a, b = clusters[-2], clusters[-1]
            if a[2] + len(a[1]) * d <= b[2] + 1e-12:
                break
            total, members = a[0] + b[0], a[1] + b[1]
            clusters[-2:] = [[total, members, start_of(total, len(members))]]
    pos = np.empty(n)
    for _, members, start in clusters:
        for k, i in enumerate(members):
            pos[i] = start + k * d
    return pos


def mac_curve(
    ranking: pd.DataFrame,
    carbon_price_cny_per_t: float | None = None,
    lang: str = "en",
    *,
    colours: Mapping[str, str] | None = None,
    title: bool = True,
) -> Figure:
    """Marginal abatement cost curve.

    One bar per project, sorted by levelised cost of abatement: width = annual abatement
    potential (Mt CO₂/yr), height = cost (CNY/t CO₂), colour = measure. Projects not used in
    the least-cost plan are lighter and hatched. A dashed line marks the carbon price.
    Labels are rotated project names; where bars are too narrow for their labels, the
    labels are spread apart and joined to their bars by leader lines.
    """
    _require(ranking, ["project", "measure", "lcoa_cny_per_t", "potential_t_per_year"],
             "ranking")
    ctx = _Text(lang)
    df = ranking.copy()
    df = df[np.isfinite(df["lcoa_cny_per_t"].astype(float))
            & (df["potential_t_per_year"].astype(float) > 0)]
    df = df.sort_values(["lcoa_cny_per_t", "project"], kind="stable").reset_index(drop=True)
    if "used" not in df:
        df["used"] = True
    df["used"] = df["used"].fillna(False).astype(bool)
    cmap = _resolve_colours(colours, ranking["measure"].astype(str))
    width = df["potential_t_per_year"].to_numpy(float) / T_PER_MT
    height = df["lcoa_cny_per_t"].to_numpy(float)
    left = np.concatenate([[0.0], np.cumsum(width)[:-1]])
    total = float(width.sum()) if len(width) else 1.0
    names = [
        ctx.project_label(r.project, getattr(r, "name", None), getattr(r, "name_en", None))
        for r in df.itertuples(index=False)
    ]

    with ctx.style():
        fig = _figure(5.0)
        ax = fig.add_subplot()
        ax.grid(axis="y")
        for i, r in enumerate(df.itertuples(index=False)):
            c = cmap[str(r.measure)]
            if r.used:
                kw = dict(facecolor=c, edgecolor="white", linewidth=0.5)
            else:
                kw = dict(facecolor=_shade(c, 0.6), edgecolor="white", hatchcolor=c,
                          hatch="////", linewidth=0.5)
            rect = Rectangle((left[i], min(0.0, height[i])), width[i], abs(height[i]), **kw)
            rect.set_gid(f"mac-bar:{r.project}")
            ax.add_patch(rect)
        ax.axhline(0, color="#222222", lw=0.9, zorder=3)
        ax.set_xlim(0, total * 1.005)
        ax.set_xlabel(ctx.tr("mac.xlabel"))
        ax.set_ylabel(ctx.tr("mac.ylabel"))
        _thousands(ax)
        _title(ax, ctx.tr("mac.title"), title)

        if carbon_price_cny_per_t is not None and np.isfinite(carbon_price_cny_per_t):
            p = float(carbon_price_cny_per_t)
            ax.axhline(p, color="#222222", lw=1.1, ls=(0, (5, 3)), zorder=4)
            ax.annotate(ctx.tr("mac.price_label", value=p), xy=(1, p),
                        xycoords=blended_transform_factory(ax.transAxes, ax.transData),
                        xytext=(5, 0), textcoords="offset points", ha="left", va="center",
                        fontsize=8, annotation_clip=False)

        # legend: measures, then used / not used
        measures = sorted(df["measure"].astype(str).unique())
        handles = [Patch(facecolor=cmap[m], edgecolor="none", label=ctx.measure_label(m))
                   for m in measures]
        if not df["used"].all():  # say what the hatching means
            handles += [
                Patch(facecolor="#777777", edgecolor="white", label=ctx.tr("legend.used")),
                Patch(facecolor=_shade("#777777", 0.6), hatch="////", edgecolor="white",
                      hatchcolor="#777777", label=ctx.tr("legend.unused")),
            ]
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4))

        lo0 = min(0.0, float(height.min()) if len(height) else 0.0)
        hi0 = max(0.0, float(height.max()) if len(height) else 1.0)
        if carbon_price_cny_per_t is not None and np.isfinite(carbon_price_cny_per_t):
            lo0, hi0 = min(lo0, carbon_price_cny_per_t), max(hi0, carbon_price_cny_per_t)
        if hi0 - lo0 <= 0:
            hi0 = lo0 + 1
        ax.set_ylim(lo0, hi0)
        _place_mac_labels(fig, ax, ctx, names, left, width, height, lo0, hi0)
        return ctx.finish(fig)


def _place_mac_labels(fig, ax, ctx, names, left, width, height, lo0, hi0) -> None:
    n = len(names)
    if n == 0:
        return
    fontsize = 7.5
    texts = [ax.text(0, 0, s, rotation=90, rotation_mode="anchor", fontsize=fontsize,
                     ha="left", va="center", color="#222222", zorder=6,
                     bbox=dict(boxstyle="square,pad=0.08", fc="white", ec="none", alpha=0.85))
             for s in names]
    centre = left + width / 2
    xlo, xhi = ax.get_xlim()
    pad_px, gap_px = 4.0, 3.0
    pos = centre.copy()
    base = np.where(height >= 0, height, 0.0)
    for _ in range(3):
        fig.draw_without_rendering()
        r = fig.canvas.get_renderer()
        bb = ax.get_window_extent(r)
        w_px, h_px = bb.width, bb.height
        ext = [tx.get_window_extent(r) for tx in texts]
        lens = np.array([e.height for e in ext])  # rotated: the text's length is vertical
        thick = max(e.width for e in ext)
        d_px = thick + gap_px
        if n * d_px > w_px and fontsize > 5.5:  # shrink labels to fit the width
            fontsize = max(5.5, fontsize * w_px / (n * d_px))
            for tx in texts:
                tx.set_fontsize(fontsize)
            continue
        x_per_px = (xhi - xlo) / w_px
        d = d_px * x_per_px
        pos = _spread(centre, d, xlo, xhi)
        # each label sits above (below, for negative costs) every bar its column and leader
        # line pass over
        base = np.empty(n)
        for i in range(n):
            a = min(centre[i], pos[i] - d / 2)
            b = max(centre[i], pos[i] + d / 2)
            over = (left < b) & (left + width > a)
            if height[i] >= 0:
                base[i] = max(0.0, float(height[over].max()))
            else:
                base[i] = min(0.0, float(height[over].min()))
        # solve for limits that hold every label: y_top >= base + (pad + len) * span / h_px
        lo, hi = lo0, hi0
        margin = 0.02
        for _ in range(50):
            s = (hi - lo) / h_px
            need_hi = max([hi0] + [base[i] + (pad_px + lens[i] + 2) * s
                                   for i in range(n) if height[i] >= 0])
            need_lo = min([lo0] + [base[i] - (pad_px + lens[i] + 2) * s
                                   for i in range(n) if height[i] < 0])
            span = need_hi - need_lo
            new_hi = need_hi + margin * span
            new_lo = need_lo - (margin * span if need_lo < 0 else 0.0)
            if abs(new_hi - hi) < 1e-9 * span and abs(new_lo - lo) < 1e-9 * span:
                break
            hi, lo = new_hi, new_lo
        ax.set_ylim(lo, hi)
    fig.draw_without_rendering()
    s = np.diff(ax.get_ylim())[0] / ax.get_window_extent().height
    for i, tx in enumerate(texts):
        up = height[i] >= 0
        sign = 1 if up else -1
        y_text = base[i] + sign * pad_px * s
        tx.set_position((pos[i], y_text))
        tx.set_horizontalalignment("left" if up else "right")
        tx.set_verticalalignment("center")
        eps = 1e-9 * (xhi - xlo)
        if abs(pos[i] - centre[i]) > eps or abs(base[i] - height[i]) > 1e-9 * abs(s):
            # leader: straight up (down) out of the bar, then across to the label
            y_knee = base[i] + sign * 1.0 * s
            xs = [centre[i], centre[i], pos[i]]
            ys = [height[i], y_knee, y_text - sign * 0.5 * s]
            ax.add_line(Line2D(xs, ys, color="#666666", lw=0.5, zorder=5))


# --------------------------------------------------------------------------------------
# Emissions pathway with abatement wedges
# --------------------------------------------------------------------------------------


def _project_order(projects: pd.DataFrame, ids: Iterable[str]) -> list[str]:
    """Projects grouped by measure (sorted), then by id."""
    meas = projects.set_index("project")["measure"].astype(str)
    ids = list(dict.fromkeys(str(i) for i in ids))
    return sorted(ids, key=lambda p: (meas.get(p, "~"), p))


def _project_colours(projects: pd.DataFrame, ids: Sequence[str],
                     cmap: Mapping[str, str]) -> dict[str, str]:
    meas = projects.set_index("project")["measure"].astype(str)
    by_measure: dict[str, list[str]] = {}
    for p in ids:
        by_measure.setdefault(meas.get(p, "?"), []).append(p)
    out = {}
    for m, ps in by_measure.items():
        for p, c in zip(ps, _shades(cmap.get(m, "#999999"), len(ps)), strict=True):
            out[p] = c
    return out


def emissions_pathway(
    emissions: pd.DataFrame,
    deployment: pd.DataFrame,
    projects: pd.DataFrame,
    peak_year: int | None = None,
    lang: str = "en",
    *,
    colours: Mapping[str, str] | None = None,
    title: bool = True,
) -> Figure:
    """BAU and least-cost emissions (Mt CO₂) with the abatement of each project stacked as
    wedges between them (colour = measure, shades within a measure), the cap where one
    applies, and the peak marked. ``peak_year=None`` marks the highest year of the path."""
    _require(emissions, ["year", "bau_t", "emissions_t"], "emissions")
    _require(deployment, ["project", "year", "abatement_t"], "deployment")
    _require(projects, ["project", "measure"], "projects")
    ctx = _Text(lang)
    em = emissions.sort_values("year").reset_index(drop=True)
    years = em["year"].to_numpy(int)
    bau = em["bau_t"].to_numpy(float) / T_PER_MT
    opt = em["emissions_t"].to_numpy(float) / T_PER_MT
    ab = (deployment.assign(project=deployment["project"].astype(str))
          .pivot_table(index="year", columns="project", values="abatement_t", aggfunc="sum")
          .reindex(years).fillna(0.0) / T_PER_MT)
    ab = ab.loc[:, (ab.abs() > 1e-12).any()].clip(lower=0.0)
    proj = projects.assign(project=projects["project"].astype(str))
    order = _project_order(proj, ab.columns)
    cmap = _resolve_colours(colours, proj["measure"].astype(str))
    pcol = _project_colours(proj, order, cmap)
    info = proj.set_index("project")

    def label(p: str) -> str:
        row = info.loc[p] if p in info.index else None
        if row is None:
            return ctx.safe(p)
        return ctx.project_label(p, row.get("name"), row.get("name_en"))

    meas = info["measure"].astype(str) if len(info) else pd.Series(dtype=str)

    with ctx.style():
        n = len(order)
        fig = _figure(max(4.6, 1.9 + 0.2 * (n + len(set(meas.reindex(order))))))
        ax = fig.add_subplot()
        ax.grid(axis="y")
        bottom = opt.copy()
        groups: dict[str, list] = {}
        for p in order:
            top = bottom + ab[p].to_numpy(float)
            poly = ax.fill_between(years, bottom, top, color=pcol[p], lw=0, zorder=2)
            poly.set_gid(f"wedge:{p}")
            groups.setdefault(meas.get(p, "?"), []).append(
                Patch(facecolor=pcol[p], edgecolor="none", label=label(p)))
            bottom = top
        ax.plot(years, bau, color="#222222", lw=1.6, ls=(0, (5, 2)), zorder=4,
                label=ctx.tr("legend.bau"))
        ax.plot(years, opt, color="#000000", lw=2.0, zorder=4, label=ctx.tr("legend.optimal"))
        cap = None
        if "cap_t" in em and em["cap_t"].notna().any():
            cap = em["cap_t"].to_numpy(float) / T_PER_MT
            ax.step(years, cap, where="mid", color="#B2182B", lw=1.3, ls="-.", zorder=4,
                    label=ctx.tr("legend.cap"))
        lo, hi = _emissions_limits([opt, bau, bottom] + ([cap] if cap is not None else []))
        ax.set_ylim(lo, hi)
        if len(years):
            py = int(peak_year) if peak_year is not None else int(years[int(np.nanargmax(opt))])
            if py in set(years.tolist()):
                pv = float(opt[list(years).index(py)])
                frac = (py - years.min()) / max(years.max() - years.min(), 1)
                ha = "left" if frac < 0.15 else "right" if frac > 0.85 else "center"
                ax.plot([py], [pv], ls="none", marker="o", ms=7, mfc="white", mec="#000000",
                        mew=1.6, zorder=6, label=ctx.tr("legend.peak"))
                i = list(years).index(py)
                rising = (i == len(years) - 1 and i > 0
                          and opt[i] > opt[i - 1] + 1e-9 * max(1.0, abs(opt[i])))
                key = "pathway.rising_label" if rising else "pathway.peak_label"
                ax.annotate(ctx.tr(key, year=py, value=pv), xy=(py, pv),
                            xytext=(0, -30), textcoords="offset points",
                            ha=ha, va="top", fontsize=8, zorder=7,
                            arrowprops=dict(arrowstyle="-", color="#000000", lw=0.7,
                                            shrinkA=0, shrinkB=4),
                            bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="none",
                                      alpha=0.9))
        _year_axis(ax, years.tolist())
        if len(years):
            ax.set_xlim(years.min(), years.max())
        ax.set_xlabel(ctx.tr("axis.year"))
        ax.set_ylabel(ctx.tr("axis.emissions_mt"))
        _thousands(ax)
        _title(ax, ctx.tr("pathway.title"), title)
        ax.legend(loc="lower left", ncols=2, frameon=True, facecolor="white",
                  edgecolor="none", framealpha=0.9)
        if groups:
            # top of the stack first, with a heading per measure
            handles, heads = [], []
            for m in reversed(list(groups)):
                heads.append(len(handles))
                handles.append(Patch(visible=False, label=ctx.measure_label(m)))
                handles.extend(reversed(groups[m]))
            leg = fig.legend(handles=handles, loc="outside right upper",
                             title=ctx.tr("legend.project"), alignment="left",
                             handletextpad=0.6, labelspacing=0.35)
            texts = leg.get_texts()
            for i in heads:  # (no bold: the CJK font has one weight)
                texts[i].set_color("#666666")
        return ctx.finish(fig)


def _emissions_limits(series: Sequence[np.ndarray]) -> tuple[float, float]:
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


# --------------------------------------------------------------------------------------
# Emissions by sector
# --------------------------------------------------------------------------------------


def sector_emissions(
    emissions_by_sector: pd.DataFrame, lang: str = "en", *, title: bool = True
) -> Figure:
    """Stacked bars of emissions by sector (Mt CO₂) per year; sinks (negative) below zero,
    with the net total as a line."""
    _require(emissions_by_sector, ["sector", "year", "emissions_t"], "emissions_by_sector")
    ctx = _Text(lang)
    pv = (emissions_by_sector.assign(sector=emissions_by_sector["sector"].astype(str))
          .pivot_table(index="year", columns="sector", values="emissions_t", aggfunc="sum")
          .sort_index().fillna(0.0) / T_PER_MT)
    # sources first (largest at the bottom), sinks after
    mean = pv.mean()
    sectors = sorted(pv.columns, key=lambda s: (mean[s] < 0, -abs(mean[s]), s))
    colours = _sector_colours(sorted(pv.columns), {s for s in pv.columns if mean[s] < 0})
    years = pv.index.to_numpy(int)
    with ctx.style():
        fig = _figure(4.4)
        ax = fig.add_subplot()
        ax.grid(axis="y")
        pos_bottom = np.zeros(len(years))
        neg_bottom = np.zeros(len(years))
        handles = []
        for s in sectors:
            v = pv[s].to_numpy(float)
            vp, vn = np.clip(v, 0, None), np.clip(v, None, 0)
            kw = dict(width=0.75, color=colours[s], edgecolor="white", linewidth=0.4, zorder=2)
            if (vp > 0).any():
                ax.bar(years, vp, bottom=pos_bottom, **kw)
                pos_bottom += vp
            if (vn < 0).any():
                ax.bar(years, vn, bottom=neg_bottom, **kw)
                neg_bottom += vn
            handles.append(Patch(facecolor=colours[s], label=ctx.sector_label(s)))
        net = pv.sum(axis=1).to_numpy(float)
        (line,) = ax.plot(years, net, color="#000000", lw=1.4, marker="o", ms=3, zorder=4,
                          label=ctx.tr("legend.net"))
        ax.axhline(0, color="#222222", lw=0.8, zorder=3)
        _year_axis(ax, years.tolist())
        ax.set_xlabel(ctx.tr("axis.year"))
        ax.set_ylabel(ctx.tr("axis.emissions_mt"))
        _thousands(ax)
        _title(ax, ctx.tr("sector.title"), title)
        # legend top-down as drawn: sources (top of the stack first), net line, sinks
        n_src = sum(1 for x in sectors if mean[x] >= 0)
        order = [*handles[:n_src][::-1], line, *handles[n_src:]]
        fig.legend(handles=order, loc="outside right upper", title=ctx.tr("legend.sector"),
                   alignment="left")
        return ctx.finish(fig)


#: Sector colours: Okabe–Ito without its green, which is kept for sinks.
_SOURCE_PALETTE = ("#0072B2", "#E69F00", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
                   "#7f7f7f", "#332288")
_SINK_PALETTE = ("#009E73", "#44AA99", "#117733")


def _sector_colours(sectors: Sequence[str], sinks: set[str]) -> dict[str, str]:
    out = {}
    src = [s for s in sectors if s not in sinks]
    snk = [s for s in sectors if s in sinks]
    for i, s in enumerate(src):
        c = _SOURCE_PALETTE[i % len(_SOURCE_PALETTE)]
        out[s] = c if i < len(_SOURCE_PALETTE) else _shade(c, -0.3)
    for i, s in enumerate(snk):
        out[s] = _SINK_PALETTE[i % len(_SINK_PALETTE)]
    return out


# --------------------------------------------------------------------------------------
# Deployment timeline
# --------------------------------------------------------------------------------------


def deployment_timeline(
    deployment: pd.DataFrame,
    projects: pd.DataFrame,
    lang: str = "en",
    *,
    colours: Mapping[str, str] | None = None,
    title: bool = True,
) -> Figure:
    """Heat-map of each project's installed stock as a share of its potential
    (``stock_units / max_units``) by year; rows grouped by measure (colour strip on the left)
    and ordered by the year deployment starts."""
    _require(deployment, ["project", "year", "stock_units"], "deployment")
    _require(projects, ["project", "measure", "max_units"], "projects")
    ctx = _Text(lang)
    proj = projects.assign(project=projects["project"].astype(str)).set_index("project")
    dep = deployment.assign(project=deployment["project"].astype(str))
    stock = dep.pivot_table(index="project", columns="year", values="stock_units",
                            aggfunc="sum").fillna(0.0)
    years = sorted(stock.columns)
    all_ids = [p for p in proj.index if p in stock.index] + [
        p for p in stock.index if p not in proj.index]
    stock = stock.reindex(all_ids)
    maxu = proj["max_units"].reindex(all_ids).astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(maxu[:, None] > 0, stock.to_numpy(float) / maxu[:, None], np.nan)
    share = np.clip(share * 100, 0, 100)
    meas = proj["measure"].astype(str).reindex(all_ids).fillna("?")
    first = [next((y for y, v in zip(years, row, strict=True) if v > 1e-9), 9999)
             for row in share]
    rows = sorted(range(len(all_ids)), key=lambda i: (meas.iloc[i], first[i], all_ids[i]))
    ids = [all_ids[i] for i in rows]
    share = share[rows]
    cmap = _resolve_colours(colours, proj["measure"].astype(str))
    names = [ctx.project_label(p, proj["name"].get(p) if "name" in proj else None,
                               proj["name_en"].get(p) if "name_en" in proj else None)
             for p in ids]
    n = len(ids)
    with ctx.style():
        if n == 0 or not years:
            return _no_data(ctx, "deploy.title", title)
        fig = _figure(1.9 + 0.27 * max(n, 3))
        strip, ax = fig.subplots(1, 2, width_ratios=[0.035, 1], sharey=True,
                                 gridspec_kw={"wspace": 0.0})
        edges_y = np.arange(n + 1) - 0.5
        edges_x = np.concatenate([[years[0] - 0.5], np.asarray(years, float) + 0.5]) if years \
            else np.array([0.0, 1.0])
        cm = mpl.colormaps["YlGnBu"]
        mesh = ax.pcolormesh(edges_x, edges_y, np.ma.masked_invalid(share), cmap=cm, vmin=0,
                             vmax=100, edgecolor="white", linewidth=0.6)
        ax.invert_yaxis()
        rgb = np.array([[mcolors.to_rgb(cmap.get(meas.loc[p], "#999999"))] for p in ids])
        strip.imshow(rgb.reshape(n, 1, 3), aspect="auto", extent=(0, 1, n - 0.5, -0.5),
                     interpolation="nearest")
        strip.set_xticks([])
        for sp in strip.spines.values():
            sp.set_visible(False)
        strip.set_yticks(range(n), names)
        strip.tick_params(axis="y", length=0, pad=4)
        ax.tick_params(axis="y", left=False, labelleft=False)
        for sp in ("left", "bottom"):
            ax.spines[sp].set_visible(False)
        ax.tick_params(axis="x", length=0)
        _year_axis(ax)
        if years:
            ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.set_xlabel(ctx.tr("axis.year"))
        cb = fig.colorbar(mesh, ax=ax, location="right", fraction=0.04, pad=0.02, aspect=25)
        cb.set_label(ctx.tr("deploy.cbar"))
        cb.outline.set_visible(False)
        _title(fig, ctx.tr("deploy.title"), title)
        ms = sorted(set(meas.loc[ids]))
        fig.legend(handles=[Patch(facecolor=cmap.get(m, "#999999"), label=ctx.measure_label(m))
                            for m in ms],
                   loc="outside lower center", ncols=min(len(ms), 5),
                   title=ctx.tr("legend.measure"))
        return ctx.finish(fig)


# --------------------------------------------------------------------------------------
# Carbon price
# --------------------------------------------------------------------------------------


def carbon_price_chart(carbon_price: pd.DataFrame, lang: str = "en", *,
                       title: bool = True) -> Figure:
    """Carbon price (CNY/t CO₂) by year, with the low–high band where given."""
    _require(carbon_price, ["year", "price_cny_per_t"], "carbon_price")
    ctx = _Text(lang)
    df = carbon_price.sort_values("year")
    years = df["year"].to_numpy(int)
    colour = "#0072B2"
    with ctx.style():
        fig = _figure(3.8)
        ax = fig.add_subplot()
        ax.grid(axis="y")
        handles = []
        if {"price_low_cny_per_t", "price_high_cny_per_t"} <= set(df.columns):
            lo = df["price_low_cny_per_t"].to_numpy(float)
            hi = df["price_high_cny_per_t"].to_numpy(float)
            ok = np.isfinite(lo) & np.isfinite(hi)
            if (ok & (hi - lo > 1e-9 * np.maximum(1.0, np.abs(hi)))).any():
                ax.fill_between(years, lo, hi, where=ok, color=colour, alpha=0.18, lw=0,
                                zorder=1)
                handles.append(Patch(facecolor=colour, alpha=0.18,
                                     label=ctx.tr("legend.price_band")))
        (line,) = ax.plot(years, df["price_cny_per_t"].to_numpy(float), color=colour, lw=1.8,
                          marker="o", ms=3.5, zorder=3, label=ctx.tr("legend.price_central"))
        handles.insert(0, line)
        ax.axhline(0, color="#222222", lw=0.8)
        vals = df.drop(columns="year").select_dtypes("number").to_numpy(float)
        top = np.nanmax(vals) if np.isfinite(vals).any() else 1.0
        bot = np.nanmin(vals) if np.isfinite(vals).any() else 0.0
        ax.set_ylim(min(0.0, bot * 1.08), max(top * 1.08, 1.0))
        _year_axis(ax, years.tolist())
        ax.set_xlabel(ctx.tr("axis.year"))
        ax.set_ylabel(ctx.tr("axis.price"))
        _thousands(ax)
        _title(ax, ctx.tr("price.title"), title)
        if len(handles) > 1:
            ax.legend(handles=handles, loc="upper left")
        return ctx.finish(fig)


# --------------------------------------------------------------------------------------
# Sweeps over the cap and the peak year
# --------------------------------------------------------------------------------------


def _peak_year_colours(peak_years: Sequence[int]) -> dict[int, object]:
    if len(peak_years) == 1:
        return {peak_years[0]: "#0072B2"}
    cm = mpl.colormaps["viridis"]
    return {y: cm(0.85 * i / (len(peak_years) - 1)) for i, y in enumerate(peak_years)}


def _sweep_lines(sweep: pd.DataFrame, value: str, scale: float, ylabel_key: str,
                 title_key: str, lang: str, show_title: bool) -> Figure:
    _require(sweep, ["cap_t", "peak_year", "status", value], "sweep")
    ctx = _Text(lang)
    df = sweep.copy()
    df["status"] = df["status"].astype(str)
    df = df.sort_values(["peak_year", "cap_t"])
    pys = sorted(int(y) for y in df["peak_year"].dropna().unique())
    col = _peak_year_colours(pys)
    bad_rows = [py for py in pys if (df.loc[df["peak_year"] == py, "status"] != "optimal").any()]
    with ctx.style():
        fig = _figure(4.0)
        ax, strip = _axes_with_strip(fig, len(bad_rows))
        ax.grid(axis="y")
        handles = []
        kinds: dict[str, bool] = {}
        for py in pys:
            d = df[df["peak_year"] == py]
            ok = d[(d["status"] == "optimal") & d[value].notna()]
            (line,) = ax.plot(ok["cap_t"] / T_PER_MT, ok[value] / scale, color=col[py], lw=1.6,
                              marker="o", ms=4, zorder=3, label=ctx.tr("legend.peak_by", year=py))
            handles.append(line)
            bad = d[d["status"] != "optimal"]
            if len(bad):
                kinds.update(_status_marks(strip, bad["cap_t"] / T_PER_MT, bad["status"], col[py],
                                           y=bad_rows.index(py)))
        (strip or ax).set_xlabel(ctx.tr("axis.cap_mt"))
        ax.set_ylabel(ctx.tr(ylabel_key))
        _thousands(ax)
        ax.margins(x=0.04, y=0.08)
        _title(ax, ctx.tr(title_key), show_title)
        ax.legend(handles=handles + _status_handles(kinds, ctx), loc="best")
        if strip is not None:
            fig.align_ylabels([ax, strip])
        return ctx.finish(fig)


def sweep_cost(sweep: pd.DataFrame, lang: str = "en", *, title: bool = True) -> Figure:
    """Total cost (100 million CNY) against the emissions cap (Mt CO₂), a line per peak year;
    infeasible caps are marked with x at the bottom of the axes."""
    return _sweep_lines(sweep, "objective_cny", CNY_PER_YI, "axis.cost_yi", "sweep.cost_title",
                        lang, title)


def sweep_price(sweep: pd.DataFrame, lang: str = "en", *, title: bool = True) -> Figure:
    """Carbon price (CNY/t CO₂) against the emissions cap (Mt CO₂), a line per peak year;
    infeasible caps are marked with x at the bottom of the axes."""
    return _sweep_lines(sweep, "carbon_price_cny_per_t", 1.0, "axis.price", "sweep.price_title",
                        lang, title)


def _fmt_cost(v: float) -> str:
    a = abs(v)
    if a >= 100 or a == 0:
        s = f"{v:,.0f}"
    elif a >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.2f}"
    return s.replace("-", "\u2212")


def sweep_heatmap(sweep: pd.DataFrame, lang: str = "en", *, title: bool = True) -> Figure:
    """Total cost (100 million CNY) over peak year × cap; infeasible cells grey, hatched and
    labelled; combinations not run are left blank."""
    _require(sweep, ["cap_t", "peak_year", "status", "objective_cny"], "sweep")
    ctx = _Text(lang)
    df = sweep.copy()
    df["status"] = df["status"].astype(str)
    caps = sorted(df["cap_t"].dropna().unique())
    pys = sorted(int(y) for y in df["peak_year"].dropna().unique())
    cost = np.full((len(pys), len(caps)), np.nan)
    status = np.full((len(pys), len(caps)), "", dtype=object)
    for r in df.itertuples(index=False):
        i, j = pys.index(int(r.peak_year)), caps.index(r.cap_t)
        status[i, j] = r.status
        if r.status == "optimal" and pd.notna(r.objective_cny):
            cost[i, j] = r.objective_cny / CNY_PER_YI
    nr, nc = len(pys), len(caps)
    with ctx.style():
        if nr == 0 or nc == 0:
            return _no_data(ctx, "sweep.heatmap_title", title)
        fig = _figure(max(2.6, 1.5 + 0.42 * nr))
        ax = fig.add_subplot()
        cm = mpl.colormaps["viridis"].copy()
        finite = cost[np.isfinite(cost)]
        vmin, vmax = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if vmax <= vmin:
            vmax = vmin + 1.0
        norm = mcolors.Normalize(vmin, vmax)
        im = ax.imshow(np.ma.masked_invalid(cost), cmap=cm, norm=norm, aspect="auto",
                       interpolation="nearest", origin="lower",
                       extent=(-0.5, nc - 0.5, -0.5, nr - 0.5))
        ax.set_xticks(range(nc), [f"{c / T_PER_MT:g}" for c in caps])
        ax.set_yticks(range(nr), [str(y) for y in pys])
        ax.tick_params(length=0)
        for sp in ax.spines.values():
            sp.set_visible(False)
        fig.draw_without_rendering()
        cell_pt = ax.get_window_extent().width / max(nc, 1) * 72 / fig.dpi
        fs = float(np.clip(cell_pt / 5.5, 5.5, 8.0))
        kinds: dict[str, bool] = {}
        for i in range(nr):
            for j in range(nc):
                st = status[i, j]
                if np.isfinite(cost[i, j]):
                    v = cost[i, j]
                    ax.text(j, i, _fmt_cost(v), ha="center", va="center", fontsize=fs,
                            color=_text_colour(cm(norm(v))))
                elif st:
                    key = "infeasible" if st == "infeasible" else "error"
                    kinds[key] = True
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=INFEASIBLE_GREY,
                                           edgecolor="white", hatchcolor="#9a9a9a",
                                           hatch="///", lw=0.8, zorder=2))
                    word = ctx.tr(f"status.{key}")
                    if len(word) * fs * 0.55 > cell_pt * 0.9:  # too wide: the legend explains
                        word = "×" if key == "infeasible" else "!"
                    ax.text(j, i, word, ha="center", va="center", fontsize=fs * 0.95,
                            color="#333333", zorder=3,
                            bbox=dict(boxstyle="square,pad=0.1", fc=INFEASIBLE_GREY, ec="none"))
                else:
                    kinds["none"] = True
                    ax.text(j, i, "–", ha="center", va="center", fontsize=fs, color="#999999")
        # white grid between cells
        for x in np.arange(nc + 1) - 0.5:
            ax.axvline(x, color="white", lw=1.0, zorder=4)
        for y in np.arange(nr + 1) - 0.5:
            ax.axhline(y, color="white", lw=1.0, zorder=4)
        ax.set_xlabel(ctx.tr("axis.cap_mt"))
        ax.set_ylabel(ctx.tr("axis.peak_year"))
        cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02, aspect=20)
        cb.set_label(ctx.tr("axis.cost_yi"))
        cb.outline.set_visible(False)
        _title(ax, ctx.tr("sweep.heatmap_title"), title)
        handles = []
        if kinds.get("infeasible") or kinds.get("error"):
            handles.append(Patch(facecolor=INFEASIBLE_GREY, hatch="///", edgecolor="white",
                                 hatchcolor="#9a9a9a",
                                 label=" / ".join(ctx.tr(f"legend.{k}") for k in
                                                  ("infeasible", "error") if kinds.get(k))))
        if kinds.get("none"):
            handles.append(Patch(facecolor="white", edgecolor="#bbbbbb",
                                 label="– " + ctx.tr("legend.no_result")))
        if handles:
            fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
        return ctx.finish(fig)


def frontier_chart(frontier: pd.DataFrame, lang: str = "en", *, title: bool = True) -> Figure:
    """Lowest achievable peak emissions (Mt CO₂) for each peak year, with the BAU peak for
    reference; peak years with no feasible plan (NaN) are marked x at the bottom."""
    _require(frontier, ["peak_year", "min_peak_t", "bau_peak_t"], "frontier")
    ctx = _Text(lang)
    df = frontier.sort_values("peak_year")
    yrs = df["peak_year"].to_numpy(int)
    mp = df["min_peak_t"].to_numpy(float) / T_PER_MT
    bp = df["bau_peak_t"].to_numpy(float) / T_PER_MT
    bad = ~np.isfinite(mp)
    with ctx.style():
        fig = _figure(3.9)
        ax, strip = _axes_with_strip(fig, int(bad.any()))
        ax.grid(axis="y")
        ok = np.isfinite(mp) & np.isfinite(bp)
        band = ax.fill_between(yrs, mp, bp, where=ok, color="#009E73", alpha=0.15, lw=0,
                               interpolate=True, label=ctx.tr("legend.reduction"))
        (lb,) = ax.plot(yrs, bp, color=REFERENCE_GREY, lw=1.4, ls=(0, (5, 2)),
                        label=ctx.tr("legend.bau_peak"))
        (lm,) = ax.plot(yrs, mp, color="#009E73", lw=1.9, marker="o", ms=4.5,
                        label=ctx.tr("legend.min_peak"))
        fin = np.concatenate([mp[np.isfinite(mp)], bp[np.isfinite(bp)]])
        if fin.size:
            lo, hi = float(fin.min()), float(fin.max())
            span = max(hi - lo, 0.05 * max(abs(hi), 1e-9))
            ax.set_ylim(max(0.0, lo - 0.12 * span), hi + 0.12 * span)
        kinds = {}
        if strip is not None:
            kinds = _status_marks(strip, yrs[bad], ["infeasible"] * int(bad.sum()), "#333333")
        _year_axis(ax, yrs.tolist())
        (strip or ax).set_xlabel(ctx.tr("axis.peak_year"))
        ax.set_ylabel(ctx.tr("axis.peak_mt"))
        _thousands(ax)
        _title(ax, ctx.tr("frontier.title"), title)
        ax.legend(handles=[lb, lm, band, *_status_handles(kinds, ctx)], loc="best")
        return ctx.finish(fig)


# --------------------------------------------------------------------------------------
# Scenario comparison
# --------------------------------------------------------------------------------------

_BAU_NAME = re.compile(r"(?i)(^|[^a-z])(bau|baseline|business[ _-]as[ _-]usual|reference)"
                       r"([^a-z]|$)|基准|参照")


def _guess_reference(compare: pd.DataFrame) -> str | None:
    for r in compare.itertuples(index=False):
        if str(getattr(r, "status", "")).lower() in ("bau", "reference", "baseline"):
            return str(r.scenario)
    for r in compare.itertuples(index=False):
        if _BAU_NAME.search(str(r.scenario)):
            return str(r.scenario)
    return None


def compare_chart(
    compare: pd.DataFrame,
    paths: pd.DataFrame,
    lang: str = "en",
    *,
    reference: str | None = None,
    title: bool = True,
) -> Figure:
    """Emissions paths (Mt CO₂) of several scenarios with a bar panel of total cost
    (100 million CNY). The ``reference`` scenario (default: one named or marked BAU/baseline)
    is drawn dashed grey. Scenarios that did not solve are listed in a note at the bottom."""
    _require(compare, ["scenario", "status"], "compare")
    _require(paths, ["scenario", "year", "emissions_t"], "paths")
    ctx = _Text(lang)
    cmp_ = compare.assign(scenario=compare["scenario"].astype(str),
                          status=compare["status"].astype(str)).reset_index(drop=True)
    pth = paths.assign(scenario=paths["scenario"].astype(str))
    if reference is None:
        reference = _guess_reference(cmp_)
    names = list(dict.fromkeys(list(cmp_["scenario"]) + list(pth["scenario"])))
    labels = {s: ctx.safe(s, fallback=f"S{i + 1}") for i, s in enumerate(names)}
    status = dict(zip(cmp_["scenario"], cmp_["status"], strict=True))
    others = [s for s in names if s != reference]
    col = _category_colours(others)
    col[reference] = REFERENCE_GREY
    failed = [s for s in names
              if s != reference and status.get(s, "optimal") not in ("optimal", "bau", "reference")]
    drawn = [s for s in names if s in set(pth["scenario"]) and s not in failed]
    with ctx.style():
        fig = _figure(4.3)
        ax, bx = fig.subplots(1, 2, width_ratios=[2.3, 1])
        ax.grid(axis="y")
        for s in ([reference] if reference in drawn else []) + [s for s in drawn
                                                                 if s != reference]:
            d = pth[pth["scenario"] == s].sort_values("year")
            if s == reference:
                ax.plot(d["year"], d["emissions_t"] / T_PER_MT, color=REFERENCE_GREY, lw=1.6,
                        ls=(0, (5, 2)), zorder=2, label=ctx.tr("compare.reference",
                                                              name=labels[s]))
            else:
                ax.plot(d["year"], d["emissions_t"] / T_PER_MT, color=col[s], lw=1.8, zorder=3,
                        label=labels[s])
                row = cmp_[cmp_["scenario"] == s]
                if "peak_year" in cmp_.columns and len(row) and pd.notna(row["peak_year"].iloc[0]):
                    # mark the peak on the path itself
                    py = row["peak_year"].iloc[0]
                    at = d.loc[d["year"] == py, "emissions_t"]
                    if len(at):
                        ax.plot([py], [at.iloc[0] / T_PER_MT], ls="none", marker="o", ms=5,
                                mfc="white", mec=col[s], mew=1.4, zorder=4)
        ax.set_ylim(*_emissions_limits(
            [pth.loc[pth["scenario"].isin(drawn), "emissions_t"].to_numpy(float) / T_PER_MT]))
        ax.margins(x=0.01)
        _year_axis(ax)
        ax.set_xlabel(ctx.tr("axis.year"))
        ax.set_ylabel(ctx.tr("axis.emissions_mt"))
        ax.set_title(ctx.tr("compare.paths"), loc="left", fontsize=9.5)
        if drawn:
            ax.legend(loc="lower left", frameon=True, facecolor="white", edgecolor="none",
                      framealpha=0.9)

        # cost panel: solved scenarios with a cost, reference first
        bar_s = [s for s in [reference, *others] if s is not None and s not in failed
                 and "objective_cny" in cmp_ and s in status]
        vals = []
        for s in bar_s:
            v = cmp_.loc[cmp_["scenario"] == s, "objective_cny"].iloc[0]
            vals.append(float(v) / CNY_PER_YI if pd.notna(v) else np.nan)
        keep = [i for i, v in enumerate(vals) if np.isfinite(v)]
        bar_s = [bar_s[i] for i in keep]
        vals = [vals[i] for i in keep]
        y = np.arange(len(bar_s))
        bx.barh(y, vals, color=[col[s] for s in bar_s], height=0.6, zorder=2)
        bx.set_yticks(y, [labels[s] for s in bar_s])
        bx.invert_yaxis()
        bx.axvline(0, color="#222222", lw=0.8)
        bx.grid(axis="x")
        bx.tick_params(axis="y", length=0)
        vmax = max([abs(v) for v in vals] + [1e-9])
        for yi, v in zip(y, vals, strict=True):
            bx.annotate(_fmt_cost(v), (v, yi), xytext=(3 if v >= 0 else -3, 0),
                        textcoords="offset points", ha="left" if v >= 0 else "right",
                        va="center", fontsize=7.5)
        bx.set_xlim(min(0.0, min(vals + [0.0]) * 1.3), max(vals + [0.0]) * 1.3 + 0.02 * vmax)
        bx.set_xlabel(ctx.tr("axis.cost_yi"))
        bx.set_title(ctx.tr("compare.cost"), loc="left", fontsize=9.5)
        _thousands(bx, "x")
        _title(fig, ctx.tr("compare.title"), title)
        missing = [s for s in names if s not in failed and s not in drawn]
        notes = [f"{labels[s]} ({ctx.tr(_status_key(status.get(s)))})" for s in failed]
        notes += [f"{labels[s]} ({ctx.tr('status.unknown')})" for s in missing]
        if notes:
            sep = "，" if ctx.lang == "zh" else ", "
            fig.supxlabel(ctx.tr("compare.failed_note", items=sep.join(notes)), x=0.01,
                          ha="left", fontsize=8, color="#8B0000")
        return ctx.finish(fig)


def _status_key(status: str | None) -> str:
    s = (status or "").lower()
    return f"status.{s}" if s in ("optimal", "infeasible", "error") else "status.unknown"


# --------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------


def save_figure(fig: Figure, out_dir: Path | str, stem: str) -> list[Path]:
    """Write ``stem.png`` (180 dpi) and ``stem.svg`` into ``out_dir``, close the figure and
    return both paths. The SVG is deterministic (fixed hash salt, no date)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{stem}.png", out / f"{stem}.svg"
    rc = {"svg.hashsalt": "planner", "svg.fonttype": "path", "savefig.facecolor": "white"}
    with mpl.rc_context(rc), _glyph_guard(fig):
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
    return [png, svg]
