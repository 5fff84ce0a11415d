"""The emissions pathway: BAU, the least-cost path and each project's abatement wedge."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planner.labels import Labels
from planner.plot.context import ChartText
from planner.plot.style import (
    OTHER_GREY,
    emissions_limits,
    largest,
    new_figure,
    require,
    resolve_colours,
    set_title,
    shades,
    thousands,
    year_axis,
)
from planner.units import T_PER_MT


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
        for p, c in zip(ps, shades(cmap.get(m, "#999999"), len(ps)), strict=True):
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
    labels: Labels | None = None,
    title: bool = True,
) -> Figure:
    """BAU and least-cost emissions (Mt CO₂) with the abatement of each project stacked as
    wedges between them (colour = measure, shades within a measure), the cap where one
    applies, and the peak marked. ``peak_year=None`` marks the highest year of the path.
    The TOP_N projects of largest total abatement get a wedge each; the rest share one grey
    wedge "other N projects" at the top of the stack."""
    require(emissions, ["year", "bau_t", "emissions_t"], "emissions")
    require(deployment, ["project", "year", "abatement_t"], "deployment")
    require(projects, ["project", "measure"], "projects")
    ctx = ChartText(lang, labels)
    em = emissions.sort_values("year").reset_index(drop=True)
    years = em["year"].to_numpy(int)
    bau = em["bau_t"].to_numpy(float) / T_PER_MT
    opt = em["emissions_t"].to_numpy(float) / T_PER_MT
    ab = (deployment.assign(project=deployment["project"].astype(str))
          .pivot_table(index="year", columns="project", values="abatement_t", aggfunc="sum")
          .reindex(years).fillna(0.0) / T_PER_MT)
    ab = ab.loc[:, (ab.abs() > 1e-12).any()].clip(lower=0.0)
    shown, rest = largest(ab.sum())
    other = ab[rest].sum(axis=1).to_numpy(float) if rest else None
    ab = ab[shown]
    proj = projects.assign(project=projects["project"].astype(str))
    order = _project_order(proj, ab.columns)
    cmap = resolve_colours(colours, proj["measure"].astype(str))
    pcol = _project_colours(proj, order, cmap)
    info = proj.set_index("project")

    def label(p: str) -> str:
        row = info.loc[p] if p in info.index else None
        if row is None:
            return ctx.safe(p)
        return ctx.project_label(p, row.get("name"))

    meas = info["measure"].astype(str) if len(info) else pd.Series(dtype=str)

    with ctx.style():
        n = len(order)
        fig = new_figure(max(4.6, 1.9 + 0.2 * (n + len(set(meas.reindex(order))))))
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
        other_handle = []
        if other is not None:
            top = bottom + other
            poly = ax.fill_between(years, bottom, top, color=OTHER_GREY, lw=0, zorder=2)
            poly.set_gid("wedge:other")
            other_handle = [Patch(facecolor=OTHER_GREY, edgecolor="none",
                                  label=ctx.other("projects", len(rest)))]
            bottom = top
        ax.plot(years, bau, color="#222222", lw=1.6, ls=(0, (5, 2)), zorder=4,
                label=ctx.tr("legend.bau"))
        ax.plot(years, opt, color="#000000", lw=2.0, zorder=4, label=ctx.tr("legend.optimal"))
        cap = None
        if "cap_t" in em and em["cap_t"].notna().any():
            cap = em["cap_t"].to_numpy(float) / T_PER_MT
            ax.step(years, cap, where="mid", color="#B2182B", lw=1.3, ls="-.", zorder=4,
                    label=ctx.tr("legend.cap"))
        lo, hi = emissions_limits([opt, bau, bottom] + ([cap] if cap is not None else []))
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
        year_axis(ax, years.tolist())
        if len(years):
            ax.set_xlim(years.min(), years.max())
        ax.set_xlabel(ctx.tr("axis.year"))
        ax.set_ylabel(ctx.tr("axis.emissions_mt"))
        thousands(ax)
        set_title(ax, ctx.tr("pathway.title"), title)
        ax.legend(loc="lower left", ncols=2, frameon=True, facecolor="white",
                  edgecolor="none", framealpha=0.9)
        if groups:
            # top of the stack first, with a heading per measure
            handles, heads = list(other_handle), []
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

