"""The charts of a report by name: ``CHARTS[name](source) -> Figure`` (a matplotlib figure,
or a :class:`~planner.plot.frame.Chart` on planner's canvas for the two MAC charts).

A report lists chart names (which are also the file stems, ``<name>.png`` / ``<name>.svg``)
and draws each through this table instead of a chain of if/elif. A source is anything with
the attributes of :class:`ChartSource` (the report's content object has them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import pandas as pd
from matplotlib.figure import Figure

from planner.i18n import t
from planner.labels import Labels
from planner.plot.deployment import deployment_timeline
from planner.plot.frame import Chart
from planner.plot.mac import bars_frame, mac_curve
from planner.plot.mac_model import mac_model_chart
from planner.plot.pathway import emissions_pathway
from planner.plot.price import carbon_price_chart
from planner.plot.sectors import sector_emissions
from planner.plot.sweep import frontier_chart, sweep_cost, sweep_heatmap, sweep_price
from planner.plot.uncertainty import distribution, robust_chart


class ChartSource(Protocol):
    """What the report's charts draw from."""

    res: Any  # planner.results.Result (optimal)
    lang: str
    colours: Mapping[str, str]
    labels: Labels
    ranking: pd.DataFrame | None
    rk: Any  # planner.analysis.ranking.Ranking (with the model-derived curve), or None
    stringency: Any  # planner.analysis.stringency.Stringency, or None
    uncertainty: Any  # planner.analysis.uncertainty.montecarlo.MonteCarlo, or None

    @property
    def marginal_cost(self) -> float | None:
        """The target's marginal cost per discounted tonne (CNY/t); None when there is none."""
        ...

    @property
    def projects(self) -> pd.DataFrame:
        """projects.csv as a frame with a ``project`` column."""
        ...


def _sweep(src: ChartSource) -> pd.DataFrame:
    """Sweep rows without a peak year are drawn as "peak by <last year>" (the same thing)."""
    if src.stringency is None:
        raise ValueError("the report has no stringency sweep to draw")
    df = src.stringency.sweep.copy()
    end = float(src.res.inputs.report_end)
    df["peak_year"] = df["peak_year"].astype(float).fillna(end).astype(int)
    return df


def _rk(src: ChartSource) -> Any:
    if src.rk is None or src.rk.curves is None:
        raise ValueError("the report has no model-derived MAC curve to draw")
    return src.rk


def _mc(src: ChartSource) -> Any:
    if src.uncertainty is None:
        raise ValueError("the report has no Monte Carlo run to draw")
    return src.uncertainty


def _frontier(src: ChartSource) -> pd.DataFrame:
    if src.stringency is None:
        raise ValueError("the report has no frontier to draw")
    return src.stringency.frontier


CHARTS: dict[str, Callable[[ChartSource], Figure | Chart]] = {
    "emissions_pathway": lambda s: emissions_pathway(
        s.res.emissions, s.res.deployment, s.projects, s.res.peak_year, s.lang,
        colours=s.colours, labels=s.labels),
    "sector_emissions": lambda s: sector_emissions(s.res.emissions_by_sector, s.lang,
                                                   labels=s.labels),
    "deployment_timeline": lambda s: deployment_timeline(
        s.res.deployment, s.projects, s.lang, colours=s.colours, labels=s.labels),
    # bars: each physical potential once; the line: the marginal cost of the target
    "mac_curve": lambda s: mac_curve(bars_frame(s.ranking), s.marginal_cost, s.lang,
                                     colours=s.colours, labels=s.labels,
                                     line_label="mac.marginal_label"),
    "mac_model": lambda s: mac_model_chart(
        _rk(s).curves, s.res.inputs.projects, _rk(s).target_abatement_t,
        _rk(s).target_cost_cny_per_t, s.lang, colours=s.colours, labels=s.labels),
    "carbon_price": lambda s: carbon_price_chart(s.res.carbon_price, s.lang),
    "sweep_cost": lambda s: sweep_cost(_sweep(s), s.lang),
    "sweep_price": lambda s: sweep_price(_sweep(s), s.lang),
    "sweep_heatmap": lambda s: sweep_heatmap(_sweep(s), s.lang),
    "frontier": lambda s: frontier_chart(_frontier(s), s.lang),
    "uq_npv": lambda s: distribution(_mc(s).samples(), "npv_cny", t("uq.npv", s.lang),
                                     lang=s.lang),
    "uq_target_cost": lambda s: distribution(_mc(s).samples(), "target_cost_cny",
                                             t("uq.target_cost", s.lang), lang=s.lang),
    "uq_robust": lambda s: robust_chart(_mc(s).robust(), s.lang,
                                        {p: s.labels.display("project", p, s.lang)
                                         for p in _mc(s).robust()["project"]}),
}


def draw(name: str, source: ChartSource) -> Figure | Chart:
    """The figure of the report chart `name`."""
    try:
        chart = CHARTS[name]
    except KeyError:
        raise ValueError(f"unknown chart {name!r}; known: {', '.join(CHARTS)}") from None
    return chart(source)
