"""The comparison of several scenarios: emission paths and a bar panel of total cost."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from planner.plot.context import ChartText
from planner.plot.style import (
    REFERENCE_GREY,
    category_colours,
    emissions_limits,
    new_figure,
    require,
    set_title,
    thousands,
    year_axis,
)
from planner.units import CNY_PER_YI, T_PER_MT, cost_label

_BAU_NAME = re.compile(r"(?i)(^|[^a-z])(bau|baseline|business[ _-]as[ _-]usual|reference)"
                       r"([^a-z]|$)|基准|参照")


def _guess_reference(compare: pd.DataFrame) -> str | None:
    """The scenario marked as reference (compare's ``reference`` column), else one named
    like a BAU or baseline scenario."""
    if "reference" in compare:
        marked = compare.loc[compare["reference"].fillna(False).astype(bool), "scenario"]
        if len(marked):
            return str(marked.iloc[0])
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
    require(compare, ["scenario", "status"], "compare")
    require(paths, ["scenario", "year", "emissions_t"], "paths")
    ctx = ChartText(lang)
    cmp_ = compare.assign(scenario=compare["scenario"].astype(str),
                          status=compare["status"].astype(str)).reset_index(drop=True)
    pth = paths.assign(scenario=paths["scenario"].astype(str))
    if reference is None:
        reference = _guess_reference(cmp_)
    names = list(dict.fromkeys(list(cmp_["scenario"]) + list(pth["scenario"])))
    labels = {s: ctx.safe(s, fallback=f"S{i + 1}") for i, s in enumerate(names)}
    status = dict(zip(cmp_["scenario"], cmp_["status"], strict=True))
    others = [s for s in names if s != reference]
    col = category_colours(others)
    col[reference] = REFERENCE_GREY
    failed = [s for s in names if s != reference and status.get(s, "optimal") != "optimal"]
    drawn = [s for s in names if s in set(pth["scenario"]) and s not in failed]
    with ctx.style():
        fig = new_figure(4.3)
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
        ax.set_ylim(*emissions_limits(
            [pth.loc[pth["scenario"].isin(drawn), "emissions_t"].to_numpy(float) / T_PER_MT]))
        ax.margins(x=0.01)
        year_axis(ax)
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
            bx.annotate(cost_label(v), (v, yi), xytext=(3 if v >= 0 else -3, 0),
                        textcoords="offset points", ha="left" if v >= 0 else "right",
                        va="center", fontsize=7.5)
        bx.set_xlim(min(0.0, min(vals + [0.0]) * 1.3), max(vals + [0.0]) * 1.3 + 0.02 * vmax)
        bx.set_xlabel(ctx.tr("axis.cost_yi"))
        bx.set_title(ctx.tr("compare.cost"), loc="left", fontsize=9.5)
        thousands(bx, "x")
        set_title(fig, ctx.tr("compare.title"), title)
        missing = [s for s in names if s not in failed and s not in drawn]
        notes = [f"{labels[s]} ({ctx.tr(_status_key(status.get(s)))})" for s in failed]
        notes += [f"{labels[s]} ({ctx.tr('status.unknown')})" for s in missing]
        if notes:
            sep = "，" if ctx.lang == "zh" else ", "
            fig.supxlabel(ctx.tr("compare.failed_note", items=sep.join(notes)), x=0.01,
                          ha="left", fontsize=8, color="#8B0000")
        return ctx.finish(fig)


def _status_key(status: str | None) -> str:
    """The i18n key of a scenario's status ("optimal", "infeasible" or "failed")."""
    s = (status or "").lower()
    return f"status.{s}" if s in ("optimal", "infeasible", "failed") else "status.unknown"

