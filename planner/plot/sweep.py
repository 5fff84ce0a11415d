"""Charts of a stringency sweep over caps and peak years, and of the feasibility frontier."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from planner.plot.context import ChartText
from planner.plot.style import (
    INFEASIBLE_GREY,
    REFERENCE_GREY,
    axes_with_strip,
    new_figure,
    no_data,
    require,
    set_title,
    status_handles,
    status_marks,
    text_colour,
    thousands,
    year_axis,
)
from planner.units import CNY_PER_YI, T_PER_MT, cost_label


def _peak_year_colours(peak_years: Sequence[int]) -> dict[int, object]:
    """One colour per peak year (viridis), a single blue for one."""
    if len(peak_years) == 1:
        return {peak_years[0]: "#0072B2"}
    cm = mpl.colormaps["viridis"]
    return {y: cm(0.85 * i / (len(peak_years) - 1)) for i, y in enumerate(peak_years)}


def _sweep_lines(sweep: pd.DataFrame, value: str, scale: float, ylabel_key: str,
                 title_key: str, lang: str, show_title: bool) -> Figure:
    """`value / scale` against the cap (Mt CO₂), a line per peak year."""
    require(sweep, ["cap_t", "peak_year", "status", value], "sweep")
    ctx = ChartText(lang)
    df = sweep.copy()
    df["status"] = df["status"].astype(str)
    df = df.sort_values(["peak_year", "cap_t"])
    pys = sorted(int(y) for y in df["peak_year"].dropna().unique())
    col = _peak_year_colours(pys)
    bad_rows = [py for py in pys if (df.loc[df["peak_year"] == py, "status"] != "optimal").any()]
    with ctx.style():
        fig = new_figure(4.0)
        ax, strip = axes_with_strip(fig, len(bad_rows))
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
                kinds.update(status_marks(strip, bad["cap_t"] / T_PER_MT, bad["status"], col[py],
                                           y=bad_rows.index(py)))
        (strip or ax).set_xlabel(ctx.tr("axis.cap_mt"))
        ax.set_ylabel(ctx.tr(ylabel_key))
        thousands(ax)
        ax.margins(x=0.04, y=0.08)
        set_title(ax, ctx.tr(title_key), show_title)
        ax.legend(handles=handles + status_handles(kinds, ctx), loc="best")
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

def sweep_heatmap(sweep: pd.DataFrame, lang: str = "en", *, title: bool = True) -> Figure:
    """Total cost (100 million CNY) over peak year × cap; infeasible cells grey, hatched and
    labelled; combinations not run are left blank."""
    require(sweep, ["cap_t", "peak_year", "status", "objective_cny"], "sweep")
    ctx = ChartText(lang)
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
            return no_data(ctx, "sweep.heatmap_title", title)
        fig = new_figure(max(2.6, 1.5 + 0.42 * nr))
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
                    ax.text(j, i, cost_label(v), ha="center", va="center", fontsize=fs,
                            color=text_colour(cm(norm(v))))
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
        set_title(ax, ctx.tr("sweep.heatmap_title"), title)
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
    require(frontier, ["peak_year", "min_peak_t", "bau_peak_t"], "frontier")
    ctx = ChartText(lang)
    df = frontier.sort_values("peak_year")
    yrs = df["peak_year"].to_numpy(int)
    mp = df["min_peak_t"].to_numpy(float) / T_PER_MT
    bp = df["bau_peak_t"].to_numpy(float) / T_PER_MT
    bad = ~np.isfinite(mp)
    with ctx.style():
        fig = new_figure(3.9)
        ax, strip = axes_with_strip(fig, int(bad.any()))
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
            kinds = status_marks(strip, yrs[bad], ["infeasible"] * int(bad.sum()), "#333333")
        year_axis(ax, yrs.tolist())
        (strip or ax).set_xlabel(ctx.tr("axis.peak_year"))
        ax.set_ylabel(ctx.tr("axis.peak_mt"))
        thousands(ax)
        set_title(ax, ctx.tr("frontier.title"), title)
        ax.legend(handles=[lb, lm, band, *status_handles(kinds, ctx)], loc="best")
        return ctx.finish(fig)

