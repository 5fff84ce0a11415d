"""Chart of the model-derived marginal abatement cost curve (planner.analysis.mac_model):
steps of the target's marginal cost per discounted tonne against target-year abatement beyond
the no-target plan, each step coloured by the measure of the project whose abatement changes
most in it, the discount-rate band shaded and the scenario's own target marked."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from planner.analysis.mac_model import MacModel
from planner.labels import Labels
from planner.plot.context import ChartText
from planner.plot.style import new_figure, resolve_colours, set_title, shade, thousands
from planner.units import T_PER_MT


def _steps_xy(cv: MacModel) -> tuple[np.ndarray, np.ndarray]:
    """Edges (Mt) and heights (CNY/t) of a curve's steps."""
    s = cv.steps
    x = np.concatenate([s["abatement_from_t"].to_numpy(float)[:1],
                        s["abatement_to_t"].to_numpy(float)]) / T_PER_MT
    return x, s["marginal_cost_cny_per_t"].to_numpy(float)


def _on_grid(cv: MacModel, grid: np.ndarray) -> np.ndarray:
    return np.array([cv.cost_at(g * T_PER_MT) for g in grid])


def mac_model_chart(curves: Mapping[str, MacModel], projects: pd.DataFrame,
                    target_abatement_t: float | None = None,
                    target_cost_cny_per_t: float | None = None, lang: str = "en", *,
                    colours: Mapping[str, str] | None = None, labels: Labels | None = None,
                    title: bool = True) -> Figure:
    """The model-derived MAC curve; `curves` from mac_model_bands (central, rate_low,
    rate_high); `projects` indexed by project id with a `measure` column."""
    ctx = ChartText(lang, labels)
    cv = curves["central"]
    cmap = resolve_colours(colours, projects["measure"].astype(str))
    with ctx.style():
        fig = new_figure(4.2)
        ax = fig.add_subplot()
        ax.grid(axis="y")
        x, h = _steps_xy(cv)
        bp = cv.by_project.copy()
        bp["size"] = bp["delta_abatement_target_year_t"].abs()
        lead = (bp.sort_values(["step", "size"], ascending=[True, False])
                .drop_duplicates("step").set_index("step")["project"])
        used = set()
        for k in range(len(h)):
            p = lead.get(k + 1)
            m = str(projects.loc[p, "measure"]) if p is not None else ""
            c = cmap.get(m, "#777777")
            used.add(m)
            rect = Rectangle((x[k], min(0.0, h[k])), x[k + 1] - x[k], abs(h[k]),
                             facecolor=shade(c, 0.25), edgecolor="white", linewidth=0.4)
            rect.set_gid(f"mac-model-step:{k + 1}:{p}")
            ax.add_patch(rect)
        if len(h):
            ax.step(x, np.concatenate([h, h[-1:]]), where="post", color="#222222", lw=1.1)
        lo, hi = curves.get("rate_low"), curves.get("rate_high")
        handles = [Patch(facecolor=cmap[m], edgecolor="none", label=ctx.measure_label(m))
                   for m in sorted(used) if m in cmap]
        if lo is not None and hi is not None and len(h):
            grid = np.unique(np.concatenate([x, _steps_xy(lo)[0], _steps_xy(hi)[0]]))
            grid = grid[(grid >= x[0]) & (grid <= x[-1])]
            mid = (grid[:-1] + grid[1:]) / 2
            a, b = _on_grid(lo, mid), _on_grid(hi, mid)
            ok = np.isfinite(a) & np.isfinite(b)
            for i in np.flatnonzero(ok):
                ax.fill_between([grid[i], grid[i + 1]], min(a[i], b[i]), max(a[i], b[i]),
                                color="#4060a0", alpha=0.18, lw=0, zorder=2)
            handles.append(Patch(facecolor="#4060a0", alpha=0.18, label=ctx.tr(
                "mac_model.band", low=f"{lo.rate:.0%}", high=f"{hi.rate:.0%}")))
        if target_abatement_t is not None and np.isfinite(target_abatement_t):
            ty = target_cost_cny_per_t if target_cost_cny_per_t is not None else np.nan
            if np.isfinite(ty):
                ax.plot([target_abatement_t / T_PER_MT], [ty], marker="o", ms=7, color="#c03020",
                        zorder=6, ls="none", label=ctx.tr("mac_model.target"))
                handles.append(ax.lines[-1])
        ax.axhline(0, color="#222222", lw=0.9, zorder=3)
        if len(h):
            ax.set_xlim(x[0], x[-1] * 1.01 if x[-1] > 0 else 1.0)
            top = float(np.nanmax(h))
            bottom = min(0.0, float(np.nanmin(h)))
            ax.set_ylim(bottom, top * 1.08 if top > 0 else 1.0)
        ax.set_xlabel(ctx.tr("mac_model.xlabel", year=cv.year))
        ax.set_ylabel(ctx.tr("mac_model.ylabel"))
        thousands(ax)
        set_title(ax, ctx.tr("mac_model.title", year=cv.year), title)
        if handles:
            fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4))
        return ctx.finish(fig)
