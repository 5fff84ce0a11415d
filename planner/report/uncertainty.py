"""The report's uncertainty chapter: a Monte Carlo run
(planner.analysis.uncertainty.montecarlo.MonteCarlo) as the robust project list (core, likely,
contested, rare), the distributions of the NPV and of the target's cost, and the sample counts.
Display units 亿元 (100 million CNY); rendered by :class:`planner.report.html.Page`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from planner.analysis.uncertainty.robust import THRESHOLDS
from planner.report.markup import PageBase, esc
from planner.units import num, pct, yi

CLASSES = ["core", "likely", "contested", "rare"]


def _quantiles(samples: pd.DataFrame, col: str) -> tuple[str, str, str]:
    ok = samples.loc[samples["status"] == "optimal", col].astype(float).dropna()
    if not len(ok):
        return "", "", ""
    return tuple(yi(ok.quantile(q / 100)) for q in (5, 50, 95))  # type: ignore[return-value]


def _year(v: Any) -> str:
    return "" if pd.isna(v) else str(int(v))


def section(page: PageBase, mc: Any) -> str:
    """The chapter's HTML body."""
    samples = mc.samples()
    robust = mc.robust()
    n_inf = int((samples["status"] == "infeasible").sum())
    n_other = mc.n - mc.n_optimal - n_inf
    bounds = dict(THRESHOLDS)
    body = [page.para(page.tr("report.uq.intro", n=mc.n, seed=mc.seed, ok=mc.n_optimal,
                              bad=n_inf, dims=len(mc.dims), year=mc.target_year),
                      page.tr("report.uq.other", n=n_other) if n_other else "",
                      page.tr("report.uq.classes", core=pct(bounds["core"], 0),
                              likely=pct(bounds["likely"], 0),
                              contested=pct(bounds["contested"], 0)))]
    sep = page.tr("report.list_sep")
    lines = []
    for c in CLASSES:
        ids = robust.loc[robust["class"] == c, "project"].tolist()
        names = sep.join(page.rep.project(p) for p in ids) if ids else page.tr("report.uq.none")
        label = esc(page.tr(f"report.uq.class.{c}"))
        lines.append(f"<li><b>{label}</b>{esc(page.tr('report.colon'))}{esc(names)}</li>")
    body.append(f'<ul class="uq">{"".join(lines)}</ul>')
    body.append(page.pair(page.figure("uq_npv", page.tr("report.cap.uq_npv")),
                          page.figure("uq_target_cost", page.tr("report.cap.uq_target_cost"))))
    heads = [page.tr("report.h.quantity"), "P5", "P50", "P95"]
    rows = [[page.tr("report.uq.npv"), *_quantiles(samples, "npv_cny")],
            [page.tr("report.uq.target_cost"), *_quantiles(samples, "target_cost_cny")]]
    body.append(page.table(heads, rows, ["l", "r", "r", "r"],
                           page.tr("report.cap.uq_quantiles")))
    body.append(page.figure("uq_robust", page.tr("report.cap.uq_robust", year=mc.target_year)))
    rows = [[page.project_cell(r.project, r.measure), page.tr(f"report.uq.class.{r[-1]}")
             if r[-1] else "", pct(r.share_used, 0), num(r.stock_p5_units, 1),
             num(r.stock_p50_units, 1), num(r.stock_p95_units, 1),
             _year(r.first_build_p5_year), _year(r.first_build_p50_year),
             _year(r.first_build_p95_year)]
            for r in robust[["project", "measure", "share_used", "stock_p5_units",
                             "stock_p50_units", "stock_p95_units", "first_build_p5_year",
                             "first_build_p50_year", "first_build_p95_year", "class"]]
            .itertuples(index=False)]
    body.append(page.table(
        [page.tr("report.h.project"), page.tr("report.h.uq_class"),
         page.tr("report.h.uq_share", year=mc.target_year),
         page.tr("report.h.uq_stock", q=5), page.tr("report.h.uq_stock", q=50),
         page.tr("report.h.uq_stock", q=95), page.tr("report.h.uq_first", q=5),
         page.tr("report.h.uq_first", q=50), page.tr("report.h.uq_first", q=95)],
        rows, ["l", "l"] + ["r"] * 7, page.tr("report.cap.uq_robust_table",
                                              year=mc.target_year)))
    return "\n".join(body)


__all__ = ["CLASSES", "section"]
