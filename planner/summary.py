"""The headline numbers of a run (summary.json) and their plain-text rendering."""

from __future__ import annotations

import math
from typing import Any

from planner.data import sha256_of


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def summary_of(res) -> dict[str, Any]:
    """scenario, status, objective, peak, investment, solver, timing and input hashes."""
    sc = res.scenario
    inp = res.inputs
    files = {f"data/{k}": v for k, v in inp.dataset.files.items()}
    for p in sc.sources:
        files[f"scenario/{p.name}"] = sha256_of(p)
    out: dict[str, Any] = {
        "scenario": sc.name,
        "scenario_file": str(sc.path.name) if sc.path else None,
        "status": res.status,
        "objective_cny": _clean(res.objective_cny),
        "peak_year": res.peak_year,
        "peak_emissions_t": _clean(res.peak_emissions_t),
        "total_investment_cny": _clean(res.total_investment_cny),
        "target_year": res.target_year(),
        "carbon_price_target_year_cny_per_t": _clean(res.price_in(res.target_year())),
        "bau_peak_year": int(inp.bau_total.idxmax()),
        "bau_peak_emissions_t": float(inp.bau_total.max()),
        "target": sc.target.model_dump(exclude_defaults=True),
        "years": {"start": inp.start, "end": inp.end},
        "discount_rate": inp.rate,
        "solver": res.solver,
        "solve_seconds": round(res.solve_seconds, 4),
        "input_sha256": files,
    }
    if res.diagnosis is not None:
        out["diagnosis"] = res.diagnosis.message
    return out


def _fmt_mt(t: float) -> str:
    return f"{t / 1e6:,.2f} Mt"


def _fmt_yi(cny: float) -> str:
    return f"{cny / 1e8:,.2f} 亿元 (100 million CNY)"


def render(res) -> str:
    """A readable terminal summary of a result."""
    sc = res.scenario
    lines = [f"Scenario: {sc.name}", f"Status:   {res.status}"]
    if not res.optimal:
        if res.diagnosis is not None:
            lines.append(res.diagnosis.message)
        return "\n".join(lines)
    lines += [
        f"Peak:     {res.peak_year} at {_fmt_mt(res.peak_emissions_t)} CO2 "
        f"(BAU peaks {int(res.inputs.bau_total.idxmax())} at "
        f"{_fmt_mt(float(res.inputs.bau_total.max()))})",
        f"Cost:     {_fmt_yi(res.objective_cny)} net present cost, {res.inputs.start} prices",
        f"Invest:   {_fmt_yi(res.total_investment_cny)} (undiscounted)",
        f"Price:    {res.price_in(res.target_year()):,.1f} CNY/t in {res.target_year()}",
    ]
    if res.price_in(res.target_year()) < 0 and sc.target.peak_year is not None:
        lines.append("          (negative: lower emissions in this year would tighten the later "
                     "years under the peak rule; see docs/formulation.md, 'Carbon prices')")
    used = res.projects_used()
    if used.empty:
        lines.append("No project is deployed.")
    else:
        lines.append("")
        head = f"{'project':<24}{'first':>6}{'max units':>14}  {'unit':<10}{'abatement':>14}"
        lines.append(head)
        for r in used.itertuples():
            label = f"{r.project}"
            lines.append(f"{label:<24}{r.first_year:>6}{r.max_stock_units:>14,.1f}  "
                         f"{r.unit:<10}{_fmt_mt(r.abatement_total_t):>14}")
        lines.append("(abatement summed over the horizon)")
    return "\n".join(lines)
