"""Charts of a Monte Carlo run and of near-optimal ranges (matplotlib imported lazily), in
English or Chinese (strings ``uq.*`` in planner/i18n/strings.csv)."""

from __future__ import annotations

import numpy as np
import pandas as pd

CLASS_COLOURS = {"core": "#2E7D32", "likely": "#7CB342", "contested": "#F9A825",
                 "rare": "#B0BEC5"}


def _figure(height: float = 3.6, width: float = 7.0):
    # deferred on purpose: matplotlib is only needed when charts are drawn
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _text(lang: str):
    # deferred on purpose (matplotlib): fonts and fallbacks of the chart's language
    from planner.plot.context import ChartText

    return ChartText(lang)


def distribution(samples: pd.DataFrame, column: str, label: str, scale: float = 1e8,
                 unit: str | None = None, lang: str = "en"):
    """Histogram of `column` over the optimal samples, with P5/P50/P95 marked; values divided
    by `scale` (default 1e8: 亿元, 100 million CNY) and shown in `unit`."""
    ctx = _text(lang)
    unit = unit if unit is not None else ctx.tr("uq.unit_yi")
    with ctx.style():
        fig = _figure()
        ax = fig.add_subplot()
        ok = samples[samples["status"] == "optimal"]
        v = ok[column].to_numpy(dtype=float) / scale
        v = v[np.isfinite(v)]
        n_bad = int((samples["status"] != "optimal").sum())
        if len(v):
            ax.hist(v, bins=min(40, max(5, len(v) // 10)), color="#4C78A8", edgecolor="white")
            for q, style in ((5, ":"), (50, "-"), (95, ":")):
                x = float(np.percentile(v, q))
                ax.axvline(x, color="#333333", linestyle=style, linewidth=1)
                ax.annotate(f"P{q}", (x, 1), xycoords=("data", "axes fraction"),
                            ha="center", va="bottom", fontsize=8)
        else:
            ax.text(0.5, 0.5, ctx.tr("uq.no_optimal"), transform=ax.transAxes, ha="center")
        ax.set_xlabel(f"{ctx.safe(label)} ({unit})")
        ax.set_ylabel(ctx.tr("uq.samples_axis"))
        title = ctx.tr("uq.dist_title", label=ctx.safe(label), n=len(v))
        if n_bad:
            title += ctx.tr("uq.dist_bad", n=n_bad)
        ax.set_title(title, fontsize=10)
        return ctx.finish(fig)


def robust_chart(robust: pd.DataFrame, lang: str = "en", names: dict | None = None):
    """Share of samples using each project in the target year, coloured by class; `names`
    maps project ids to display names (default: the ids)."""
    ctx = _text(lang)
    with ctx.style():
        fig = _figure(height=0.35 * len(robust) + 1.2)
        ax = fig.add_subplot()
        r = robust.iloc[::-1]
        labels = [ctx.safe((names or {}).get(p, p), p) for p in r["project"]]
        ax.barh(labels, r["share_used"].fillna(0) * 100,
                color=[CLASS_COLOURS.get(c, "#B0BEC5") for c in r["class"]])
        for x in (5, 50, 95):
            ax.axvline(x, color="#777777", linewidth=0.8, linestyle=":")
        ax.set_xlim(0, 100)
        ax.set_xlabel(ctx.tr("uq.robust_xlabel"))
        ax.set_title(ctx.tr("uq.robust_title"), fontsize=10)
        return ctx.finish(fig)


def near_optimal_chart(table: pd.DataFrame):
    """Min–max target-year stock within the slack, as a share of each project's optimum."""
    fig = _figure(height=0.35 * len(table) + 1.2)
    ax = fig.add_subplot()
    tb = table.iloc[::-1]
    top = np.maximum(tb["max_stock_units"].to_numpy(dtype=float), 1e-12)
    lo = tb["min_stock_units"].to_numpy(dtype=float) / top * 100
    opt = tb["optimum_stock_units"].to_numpy(dtype=float) / top * 100
    y = np.arange(len(tb))
    ax.barh(y, 100 - lo, left=lo, color="#9ecae1")
    ax.plot(opt, y, "k|", markersize=12, label="optimum")
    ax.set_yticks(y, [f"{p} ({c})" for p, c in zip(tb["project"], tb["class"], strict=True)])
    ax.set_xlim(0, 100)
    ax.set_xlabel("target-year stock within the slack, % of its maximum")
    ax.legend(loc="lower right", fontsize=8)
    return fig


__all__ = ["CLASS_COLOURS", "distribution", "near_optimal_chart", "robust_chart"]
