"""The deployment timeline: each project's installed stock as a share of its potential."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planner.labels import Labels
from planner.plot.context import ChartText
from planner.plot.style import (
    OTHER_GREY,
    largest,
    new_figure,
    no_data,
    require,
    resolve_colours,
    set_title,
    year_axis,
)


def deployment_timeline(
    deployment: pd.DataFrame,
    projects: pd.DataFrame,
    lang: str = "en",
    *,
    colours: Mapping[str, str] | None = None,
    labels: Labels | None = None,
    title: bool = True,
) -> Figure:
    """Heat-map of each project's installed stock as a share of its potential
    (``stock_units / max_units``) by year; rows grouped by measure (colour strip on the left)
    and ordered by the year deployment starts. Beyond TOP_N projects (by total abatement,
    else by stock share) the rest share one last row "other N projects": their combined
    share of potential (weighted by potential abatement where projects give it)."""
    require(deployment, ["project", "year", "stock_units"], "deployment")
    require(projects, ["project", "measure", "max_units"], "projects")
    ctx = ChartText(lang, labels)
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
    if "abatement_t" in dep:
        weight = dep.groupby("project")["abatement_t"].sum().reindex(all_ids).fillna(0.0)
    else:
        weight = pd.Series(np.nansum(share, axis=1), index=all_ids)
    shown, rest = largest(weight)
    other_row = None
    if rest:
        pos = [all_ids.index(p) for p in rest]
        pot = (proj["abatement_t_per_unit_year"].reindex(rest).astype(float).to_numpy()
               * maxu[pos] if "abatement_t_per_unit_year" in proj else np.ones(len(rest)))
        w = np.where(np.isfinite(share[pos]), pot[:, None], 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            other_row = np.nansum(share[pos] * w, axis=0) / w.sum(axis=0)
        keep = [all_ids.index(p) for p in shown]
        share, all_ids = share[keep], shown
    meas = proj["measure"].astype(str).reindex(all_ids).fillna("?")
    first = [next((y for y, v in zip(years, row, strict=True) if v > 1e-9), 9999)
             for row in share]
    rows = sorted(range(len(all_ids)), key=lambda i: (meas.iloc[i], first[i], all_ids[i]))
    ids = [all_ids[i] for i in rows]
    share = share[rows]
    cmap = resolve_colours(colours, proj["measure"].astype(str))
    names = [ctx.project_label(p, proj["name"].get(p) if "name" in proj else None)
             for p in ids]
    strip_rgb = [mcolors.to_rgb(cmap.get(meas.loc[p], "#999999")) for p in ids]
    if other_row is not None:
        share = np.vstack([share, other_row])
        names.append(ctx.other("projects", len(rest)))
        strip_rgb.append(mcolors.to_rgb(OTHER_GREY))
    n = len(names)
    with ctx.style():
        if n == 0 or not years:
            return no_data(ctx, "deploy.title", title)
        fig = new_figure(1.9 + 0.27 * max(n, 3))
        strip, ax = fig.subplots(1, 2, width_ratios=[0.035, 1], sharey=True,
                                 gridspec_kw={"wspace": 0.0})
        edges_y = np.arange(n + 1) - 0.5
        edges_x = np.concatenate([[years[0] - 0.5], np.asarray(years, float) + 0.5]) if years \
            else np.array([0.0, 1.0])
        cm = mpl.colormaps["YlGnBu"]
        mesh = ax.pcolormesh(edges_x, edges_y, np.ma.masked_invalid(share), cmap=cm, vmin=0,
                             vmax=100, edgecolor="white", linewidth=0.6)
        ax.invert_yaxis()
        strip.imshow(np.array(strip_rgb).reshape(n, 1, 3), aspect="auto",
                     extent=(0, 1, n - 0.5, -0.5), interpolation="nearest")
        strip.set_xticks([])
        for sp in strip.spines.values():
            sp.set_visible(False)
        strip.set_yticks(range(n), names)
        strip.tick_params(axis="y", length=0, pad=4)
        ax.tick_params(axis="y", left=False, labelleft=False)
        for sp in ("left", "bottom"):
            ax.spines[sp].set_visible(False)
        ax.tick_params(axis="x", length=0)
        year_axis(ax)
        if years:
            ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.set_xlabel(ctx.tr("axis.year"))
        cb = fig.colorbar(mesh, ax=ax, location="right", fraction=0.04, pad=0.02, aspect=25)
        cb.set_label(ctx.tr("deploy.cbar"))
        cb.outline.set_visible(False)
        set_title(fig, ctx.tr("deploy.title"), title)
        ms = sorted(set(meas.loc[ids]))
        fig.legend(handles=[Patch(facecolor=cmap.get(m, "#999999"), label=ctx.measure_label(m))
                            for m in ms],
                   loc="outside lower center", ncols=min(len(ms), 5),
                   title=ctx.tr("legend.measure"))
        return ctx.finish(fig)

