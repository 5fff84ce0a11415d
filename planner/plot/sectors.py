"""Emissions by sector: stacked bars per year with the net total."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planner.labels import Labels
from planner.plot.context import ChartText
from planner.plot.style import (
    OTHER_GREY,
    largest,
    new_figure,
    require,
    set_title,
    shade,
    thousands,
    year_axis,
)
from planner.units import T_PER_MT

_OTHER = "\0other"  # the column of the grouped smaller sectors


def sector_emissions(
    emissions_by_sector: pd.DataFrame, lang: str = "en", *, labels: Labels | None = None,
    title: bool = True
) -> Figure:
    """Stacked bars of emissions by sector (Mt CO₂) per year; sinks (negative) below zero,
    with the net total as a line. Beyond TOP_N sectors the smaller ones share one bar
    segment "other N sectors"."""
    require(emissions_by_sector, ["sector", "year", "emissions_t"], "emissions_by_sector")
    ctx = ChartText(lang, labels)
    pv = (emissions_by_sector.assign(sector=emissions_by_sector["sector"].astype(str))
          .pivot_table(index="year", columns="sector", values="emissions_t", aggfunc="sum")
          .sort_index().fillna(0.0) / T_PER_MT)
    shown, rest = largest(pv.abs().mean())
    if rest:
        pv = pv[shown].assign(**{_OTHER: pv[rest].sum(axis=1)})
    # sources first (largest at the bottom), sinks after
    mean = pv.mean()
    sectors = sorted(pv.columns, key=lambda s: (mean[s] < 0, -abs(mean[s]), s))
    colours = _sector_colours(sorted(shown), {s for s in shown if mean[s] < 0})
    colours[_OTHER] = OTHER_GREY
    years = pv.index.to_numpy(int)
    with ctx.style():
        fig = new_figure(4.4)
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
            label = ctx.other("sectors", len(rest)) if s == _OTHER else ctx.sector_label(s)
            handles.append(Patch(facecolor=colours[s], label=label))
        net = pv.sum(axis=1).to_numpy(float)
        (line,) = ax.plot(years, net, color="#000000", lw=1.4, marker="o", ms=3, zorder=4,
                          label=ctx.tr("legend.net"))
        ax.axhline(0, color="#222222", lw=0.8, zorder=3)
        year_axis(ax, years.tolist())
        ax.set_xlabel(ctx.tr("axis.year"))
        ax.set_ylabel(ctx.tr("axis.emissions_mt"))
        thousands(ax)
        set_title(ax, ctx.tr("sector.title"), title)
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
    """Okabe–Ito colours for sources, greens for sinks."""
    out = {}
    src = [s for s in sectors if s not in sinks]
    snk = [s for s in sectors if s in sinks]
    for i, s in enumerate(src):
        c = _SOURCE_PALETTE[i % len(_SOURCE_PALETTE)]
        out[s] = c if i < len(_SOURCE_PALETTE) else shade(c, -0.3)
    for i, s in enumerate(snk):
        out[s] = _SINK_PALETTE[i % len(_SINK_PALETTE)]
    return out

