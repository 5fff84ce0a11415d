"""The carbon price by year, with its low–high range where the price is not unique."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planner.plot.context import ChartText
from planner.plot.style import new_figure, require, set_title, thousands, year_axis


def carbon_price_chart(carbon_price: pd.DataFrame, lang: str = "en", *,
                       title: bool = True) -> Figure:
    """Carbon price (CNY/t CO₂) by year, with the low–high band where given."""
    require(carbon_price, ["year", "price_cny_per_t"], "carbon_price")
    ctx = ChartText(lang)
    df = carbon_price.sort_values("year")
    years = df["year"].to_numpy(int)
    colour = "#0072B2"
    with ctx.style():
        fig = new_figure(3.8)
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
        vals = vals[np.isfinite(vals)]  # +inf: no further reduction possible (not drawn)
        top = vals.max() if vals.size else 1.0
        bot = vals.min() if vals.size else 0.0
        ax.set_ylim(min(0.0, bot * 1.08), max(top * 1.08, 1.0))
        year_axis(ax, years.tolist())
        ax.set_xlabel(ctx.tr("axis.year"))
        ax.set_ylabel(ctx.tr("axis.price"))
        thousands(ax)
        set_title(ax, ctx.tr("price.title"), title)
        if len(handles) > 1:
            ax.legend(handles=handles, loc="upper left")
        return ctx.finish(fig)

