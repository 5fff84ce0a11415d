"""Charts of a Monte Carlo run and of near-optimal ranges (matplotlib imported lazily)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _figure(height: float = 3.6, width: float = 7.0):
    # deferred on purpose: matplotlib is only needed when charts are drawn
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def distribution(samples: pd.DataFrame, column: str, label: str, scale: float = 1e6,
                 unit: str = "million CNY"):
    """Histogram of `column` over the optimal samples, with P5/P50/P95 marked."""
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
        ax.text(0.5, 0.5, "no optimal sample", transform=ax.transAxes, ha="center")
    ax.set_xlabel(f"{label} ({unit})")
    ax.set_ylabel("samples")
    ax.set_title(f"{label}: {len(v)} optimal samples"
                 + (f", {n_bad} infeasible (not shown)" if n_bad else ""), fontsize=10)
    return fig


def robust_chart(robust: pd.DataFrame):
    """Share of samples using each project in the target year, coloured by class."""
    colours = {"core": "#2E7D32", "likely": "#7CB342", "contested": "#F9A825", "rare": "#B0BEC5"}
    fig = _figure(height=0.35 * len(robust) + 1.2)
    ax = fig.add_subplot()
    r = robust.iloc[::-1]
    ax.barh(r["project"], r["share_used"].fillna(0) * 100,
            color=[colours.get(c, "#B0BEC5") for c in r["class"]])
    for x in (5, 50, 95):
        ax.axvline(x, color="#777777", linewidth=0.8, linestyle=":")
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of optimal samples using the project in the target year (%)")
    ax.set_title("Robust project list (core ≥ 95 %, likely ≥ 50 %, contested ≥ 5 %)",
                 fontsize=10)
    return fig


def near_optimal_chart(table: pd.DataFrame):
    """Min–max target-year stock within the slack, as a share of each project's optimum."""
    fig = _figure(height=0.35 * len(table) + 1.2)
    ax = fig.add_subplot()
    t = table.iloc[::-1]
    top = np.maximum(t["max_stock_units"].to_numpy(dtype=float), 1e-12)
    lo = t["min_stock_units"].to_numpy(dtype=float) / top * 100
    opt = t["optimum_stock_units"].to_numpy(dtype=float) / top * 100
    y = np.arange(len(t))
    ax.barh(y, 100 - lo, left=lo, color="#9ecae1")
    ax.plot(opt, y, "k|", markersize=12, label="optimum")
    ax.set_yticks(y, [f"{p} ({c})" for p, c in zip(t["project"], t["class"], strict=True)])
    ax.set_xlim(0, 100)
    ax.set_xlabel("target-year stock within the slack, % of its maximum")
    ax.legend(loc="lower right", fontsize=8)
    return fig


__all__ = ["distribution", "near_optimal_chart", "robust_chart"]
