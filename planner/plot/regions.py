"""Small multiples of an agglomeration: one panel per city (BAU, no-target plan, obligation,
emissions), on a shared emissions axis, side by side like a map strip."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from planner.analysis.agglomeration import Agglomeration
from planner.plot.context import ChartText
from planner.plot.style import new_figure, set_title, year_axis
from planner.units import T_PER_MT


def cities_small_multiples(ag: Agglomeration, lang: str = "en", *, title: bool = True
                           ) -> Figure:
    """One panel per city: BAU (grey), the no-target plan (dotted), the obligation under the
    scenario's rule (dashed) and the plan's emissions (solid), Mt CO₂, shared y axis."""
    ctx = ChartText(lang)
    rin = ag.rin
    rep = np.asarray(rin.years) <= rin.report_end
    years = np.asarray(rin.years)[rep]
    run = ag.scenario_run
    nt = ag.model.no_target.emissions_t
    with ctx.style():
        n = len(ag.names)
        fig = new_figure(2.6)
        axes = fig.subplots(1, n, sharey=True)
        axes = np.atleast_1d(axes)
        for j, (r, ax) in enumerate(zip(ag.names, axes, strict=True)):
            ax.plot(years, rin.bau_scope[j][rep] / T_PER_MT, color="#999999", lw=1.2,
                    label=ctx.tr("region.legend.bau"))
            ax.plot(years, nt[j][rep] / T_PER_MT, color="#666666", lw=1.0, ls=":",
                    label=ctx.tr("region.legend.no_target"))
            if run.obligation_t is not None:
                A = np.where(np.isfinite(run.obligation_t[j]), run.obligation_t[j], np.nan)
                ax.plot(years, A[rep] / T_PER_MT, color="#d62728", lw=1.2, ls="--",
                        label=ctx.tr("region.legend.obligation"))
            if run.optimal:
                ax.plot(years, run.emissions_t[j][rep] / T_PER_MT, color="#1f77b4", lw=1.8,
                        label=ctx.tr("region.legend.emissions"))
            ax.set_title(ctx.safe(r))
            year_axis(ax, list(years))
            ax.xaxis.get_major_locator().set_params(nbins=4)
        axes[0].set_ylabel(ctx.tr("axis.emissions_mt"))
        axes[-1].legend(loc="lower right")
        set_title(fig, ctx.tr("region.chart_title"), title)
        return ctx.finish(fig)


__all__ = ["cities_small_multiples"]
