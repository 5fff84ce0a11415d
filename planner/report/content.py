"""The content of a report: everything it shows, computed once, as data (no markup).

:func:`build` solves what the report needs beyond the plan itself (the ranking, indicators,
co-benefits, decomposition and, on request, the stringency sweep) and returns a
:class:`Report`. :mod:`planner.report.html` renders it as a page,
:mod:`planner.report.workbook` as Excel sheets, :mod:`planner.plot.registry` draws its charts
and :mod:`planner.outputs.report` writes the files. Tables keep their original units (t, CNY);
display units are Mt CO₂, 亿元 (100 million CNY) and CNY/t CO₂ (:mod:`planner.units`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.analysis.decomposition import decomposition
from planner.analysis.indicators import co_benefits, co_benefits_by_year, indicators
from planner.analysis.peak_forms import HeldBack, held_back
from planner.analysis.ranking import Ranking, explain_order, ranking
from planner.analysis.recommendations import Recommendations, recommendations
from planner.analysis.stringency import Stringency, stringency
from planner.api import solve
from planner.errors import PlannerError
from planner.i18n import t
from planner.labels import NO_LABELS, Labels, display, load_labels
from planner.model.inputs import ModelInputs
from planner.plot.fonts import cjk_font_available
from planner.plot.style import measure_colours
from planner.results import Result
from planner.units import T_PER_MT, mt, num, pct, yi

# ----------------------------------------------------------------------------------------
# Assumptions
# ----------------------------------------------------------------------------------------


def project_names(res: Result) -> dict[str, str]:
    """Project id -> its ``name`` in projects.csv."""
    proj = res.inputs.projects
    return {str(p): (str(n).strip() or str(p)) for p, n in zip(proj.index, proj["name"],
                                                                strict=True)}


def _year_items(mapping: dict, lang: str, scale: float, key: str, digits: int = 2) -> str:
    sep = t("report.list_sep", lang)
    return sep.join(t(key, lang, value=num(v, digits, scale), year=y)
                    for y, v in sorted(mapping.items()))


def target_lines(res: Result, lang: str, labels: Labels | None = None) -> list[str]:
    """The scenario's target in plain words, one line per target key."""
    inp = res.inputs
    tg = inp.scenario.target
    if tg.is_bau:
        return [t("report.target.none", lang)]
    out = []
    if tg.peak_year is not None:
        out.append(t("report.target.peak_year", lang, year=tg.peak_year))
    if tg.cap_t is not None:
        out.append(t("report.target.cap", lang, value=mt(tg.cap_t)))
    if tg.cap_path_t:
        out.append(t("report.target.cap_path", lang, items=_year_items(
            tg.cap_path_t, lang, T_PER_MT, "report.target.year_mt")))
    if tg.carbon_budget_t is not None:
        out.append(t("report.target.budget", lang, value=mt(tg.carbon_budget_t, 1),
                     start=inp.start, end=inp.report_end))
    for it in tg.intensity:
        out.append(t("report.target.intensity", lang, year=it.year, base=it.base_year,
                     pct=pct(it.reduction)))
    if tg.per_capita_t:
        out.append(t("report.target.per_capita", lang, items=_year_items(
            tg.per_capita_t, lang, 1.0, "report.target.year_t")))
    for sector, caps in tg.sector_cap_t.items():
        out.append(t("report.target.sector_cap", lang,
                     sector=display("sector", sector, lang, labels),
                     items=_year_items(caps, lang, T_PER_MT, "report.target.year_mt")))
    return out


def assumptions(res: Result, lang: str,
                labels: Labels | None = None) -> list[tuple[str, list[str]]]:
    """(label, lines) rows of the assumptions table."""
    inp = res.inputs
    sc = inp.scenario
    proj = inp.projects
    rows: list[tuple[str, list[str]]] = [
        (t("report.a.scenario", lang), [sc.name]),
        (t("report.a.file", lang), [sc.path.name if sc.path else ""]),
        (t("report.a.horizon", lang), [t("report.a.horizon_value", lang, start=inp.start,
                                         end=inp.report_end)]),
        (t("report.a.rate", lang), [pct(inp.rate)]),
        (t("report.a.target", lang), target_lines(res, lang, labels)),
    ]
    b = sc.budget.max_investment_cny_per_year
    rows.append((t("report.a.budget", lang), [t("report.a.budget_value", lang, value=yi(b))
                                               if b is not None
                                               else t("report.a.no_budget", lang)]))
    sep = t("report.list_sep", lang)
    lines = [t("report.a.projects_value", lang, n=len(proj), m=proj["measure"].nunique())]
    if sc.projects.exclude:
        lines.append(t("report.a.excluded", lang, items=sep.join(sc.projects.exclude)))
    if sc.projects.override:
        items = sep.join(f"{p} ({', '.join(f'{k} = {v}' for k, v in cols.items())})"
                         for p, cols in sc.projects.override.items())
        lines.append(t("report.a.overridden", lang, items=items))
    rows.append((t("report.a.projects", lang), lines))
    cv = sc.cobenefit_value_cny_per_t
    if cv.so2 or cv.nox or cv.pm25:
        rows.append((t("report.a.cobenefit_value", lang),
                     [t("report.a.cobenefit_value_text", lang, so2=num(cv.so2), nox=num(cv.nox),
                        pm25=num(cv.pm25))]))
    bau = inp.bau_scope
    rows.append((t("report.a.bau", lang), [t("report.a.bau_value", lang, y0=inp.start,
                                             v0=mt(bau[inp.start]), y1=inp.report_end,
                                             v1=mt(bau[inp.report_end]))]))
    rows.append((t("report.a.indicators", lang),
                 [t("report.a.indicators_yes" if inp.indicators is not None
                    else "report.a.indicators_no", lang)]))
    rows.append((t("report.a.data", lang), [inp.dataset.folder.name or str(sc.data)]))
    return rows


# ----------------------------------------------------------------------------------------

# ----------------------------------------------------------------------------------------
# The report's content
# ----------------------------------------------------------------------------------------


@dataclass
class Report:
    """Everything a report shows, computed once; tables in original units (t, CNY)."""

    res: Result
    lang: str
    ranking: pd.DataFrame | None = None
    rk: Ranking | None = None  # the ranking with the model-derived MAC curve
    held_back: HeldBack | None = None  # strict peak form: against the level form
    uncertainty: Any = None  # planner.analysis.uncertainty.montecarlo.MonteCarlo, or None
    indicators: pd.DataFrame | None = None
    co_benefits: pd.DataFrame | None = None
    co_benefits_by_year: pd.DataFrame | None = None
    decomposition: pd.DataFrame | None = None
    stringency: Stringency | None = None
    recommendations: Recommendations | None = None
    colours: dict[str, str] = field(default_factory=dict)
    labels: Labels = NO_LABELS
    charts: list[str] = field(default_factory=list)  # stems, in report order
    cjk: bool = True  # a CJK font was available for the charts
    notes: list[str] = field(default_factory=list)  # side analyses that could not be computed

    @property
    def inputs(self) -> ModelInputs:
        """The model inputs of the result."""
        return self.res.inputs

    @property
    def projects(self) -> pd.DataFrame:
        """projects.csv as a frame with a ``project`` column."""
        return self.res.inputs.projects.reset_index(drop=True)

    def project(self, p: object) -> str:
        """A project's display name in the report's language."""
        return self.labels.display("project", p, self.lang)

    def measure(self, m: object) -> str:
        """A measure's display name in the report's language."""
        return self.labels.display("measure", m, self.lang)

    def sector(self, s: object) -> str:
        """A sector's display name in the report's language."""
        return self.labels.display("sector", s, self.lang)

    def label(self, kind: str, ident: object) -> str:
        """The display name of a `kind` id in the report's language."""
        return self.labels.display(kind, ident, self.lang)

    @property
    def marginal_cost(self) -> float | None:
        """The marginal cost of the target per discounted tonne (tighten side; CNY/t), the
        line drawn across the MAC bars; None when there is none."""
        v = (self.res.headlines.get("marginal_cost_cny_per_t") or {}).get("tighten")
        return float(v) if v is not None and math.isfinite(v) else None

    def negative_price_years(self) -> list[int]:
        """Years whose carbon price is negative."""
        if not self.res.optimal:
            return []
        cp = self.res.carbon_price
        return [int(y) for y, p in zip(cp["year"], cp["price_cny_per_t"], strict=True)
                if p < -1e-6]

    def one_sided_years(self) -> list[int]:
        """Years whose carbon price is not unique (low and high prices differ)."""
        if not self.res.optimal or "price_low_cny_per_t" not in self.res.carbon_price:
            return []
        cp = self.res.carbon_price
        lo, hi = cp["price_low_cny_per_t"], cp["price_high_cny_per_t"]
        diff = (lo - hi).abs() > 1e-6 * np.maximum(1.0, cp["price_cny_per_t"].abs())
        return [int(y) for y in cp.loc[diff | ~np.isfinite(hi), "year"]]

    def still_rising(self) -> bool:
        """True when net emissions still rise in the last year (no peak within the horizon)."""
        if not self.res.optimal or len(self.res.emissions) < 2:
            return False
        e = self.res.emissions["emissions_t"].to_numpy(float)
        return bool(e[-1] > e[-2] + 1e-9 * max(1.0, abs(e[-1])))


def level_form_result(res: Result) -> Result | None:
    """The same scenario under the level peak form (None unless `res` is an optimal plan
    under the strict form); solved without headlines or one-sided prices (only its plan and
    cost are compared)."""
    tg = res.inputs.scenario.target
    if not res.optimal or tg.peak_year is None or tg.peak_form != "strict":
        return None
    sc = res.inputs.scenario.model_copy(
        update={"target": tg.model_copy(update={"peak_form": "level"})})
    level = solve(sc, one_sided_prices=False, explain_infeasible=False, economics=False)
    return level if level.optimal else None


UQ_CHARTS = ["uq_npv", "uq_target_cost", "uq_robust"]


def build(res: Result, lang: str = "en", sweep: bool = False,
          stringency_table: Stringency | None = None, uncertainty: Any = None) -> Report:
    """Compute everything the report shows (the ranking and the model-derived MAC curve
    re-solve a few small LPs; with `sweep` the stringency sweep and frontier are solved too;
    under the strict peak form the level form is solved to say what the strict form holds
    back). `uncertainty`: a Monte Carlo run (planner.api.uncertainty) to add as a chapter.
    Display names come from the dataset's labels.csv (:mod:`planner.labels`)."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    labels = load_labels(res.inputs.dataset.folder).with_projects(project_names(res))
    rep = Report(res=res, lang=lang, cjk=cjk_font_available(), labels=labels)
    rep.colours = measure_colours(res.inputs.projects["measure"].astype(str))
    if res.optimal:
        rep.rk = ranking(res)
        rep.ranking = rep.rk.table
        if lang != "en":  # the reasons, written in the report's language
            table = rep.ranking.set_axis(rep.ranking["project"].to_list())
            rep.ranking["why"] = explain_order(table, res, lang, rep.project).to_numpy()
        rep.indicators = indicators(res)
        rep.co_benefits = co_benefits(res)
        rep.co_benefits_by_year = co_benefits_by_year(res)
        rep.decomposition = decomposition(res)
        rep.recommendations = recommendations(res, table=rep.ranking)
        level = level_form_result(res)
        if level is not None:
            rep.held_back = held_back(res, level)
        rep.charts = ["emissions_pathway", "sector_emissions", "deployment_timeline",
                      "mac_curve"]
        if rep.rk.curves is not None and len(rep.rk.curves["central"].steps):
            rep.charts.append("mac_model")
        rep.charts.append("carbon_price")
    if uncertainty is not None:
        rep.uncertainty = uncertainty
        rep.charts += UQ_CHARTS
    if sweep or stringency_table is not None:
        try:
            rep.stringency = stringency_table or stringency(res.inputs)
        except PlannerError as exc:  # a side analysis fails soft: the report stands
            rep.notes.append(t("report.note.not_computed", lang, what=t("report.sec.stringency",
                                                                          lang), reason=exc))
            return rep
        rep.charts += ["sweep_cost", "sweep_price"]
        if len(rep.stringency.peak_years) > 1:
            rep.charts.append("sweep_heatmap")
        rep.charts.append("frontier")
    return rep
