"""The headline numbers of a run (summary.json) and their plain-text rendering."""

from __future__ import annotations

import math
from typing import Any

from planner.data import sha256_of


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


#: stated in every summary.json (and docs/formulation.md)
CONVENTIONS = {
    "money": "real CNY (constant prices); present values at the start of the start year",
    "time_base": "capital paid at the start of its build year (annuitised inside the horizon), "
                 "operating flows at the end of each year",
    "discounted_tonnes": "D = sum_t emissions[t] * (1+r)^-(t-start) / (1+r)",
    "emissions_scope": "target.scope: 'gross' = sectors with positive BAU in some year (sinks "
                       "not counted); 'net' = every sector and project",
    "units": "t CO2; CNY; project units as in projects.csv",
}


def _clean_deep(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _clean_deep(x) for k, x in v.items()}
    return _clean(v)


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
        "achieved_peak_year": res.headlines.get("achieved_peak_year"),
        "no_target_objective_cny": _clean(res.no_target_objective_cny),
        **{k: _clean_deep(v) for k, v in res.headlines.items() if k != "achieved_peak_year"},
        "carbon_price_target_year_cny_per_t": _clean(res.price_in(res.target_year())),
        "conventions": CONVENTIONS,
        "warnings": list(res.warnings),
        "bau_peak_year": int(inp.bau_total.idxmax()),
        "bau_peak_emissions_t": float(inp.bau_total.max()),
        "target": sc.target.model_dump(exclude_defaults=True),
        "years": {"start": inp.start, "end": inp.report_end,
                  "optimised_to": inp.end},
        "target_scope": sc.target.scope, "peak_form": sc.target.peak_form,
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


def _money(v: Any) -> str:
    return "n/a" if v is None or (isinstance(v, float) and not math.isfinite(v)) else _fmt_yi(v)


def _per_t(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float) and math.isinf(v):
        return "infeasible"
    return f"{v:,.1f} CNY/t"


def _headline_lines(res) -> list[str]:
    """The target's cost and prices against the no-target plan."""
    h = res.headlines
    if not h or "target_cost_cny" not in h:
        return []
    mc = h.get("marginal_cost_cny_per_t") or {}
    out = [f"Target:   {_money(h['target_cost_cny'])} against the plan without a target "
           f"({_money(h.get('no_target_objective_cny'))})",
           f"Average:  {_per_t(h.get('average_cost_cny_per_t'))} per discounted tonne avoided",
           f"Marginal: {_per_t(mc.get('tighten'))} to tighten, {_per_t(mc.get('loosen'))} "
           "saved by loosening (per discounted tonne)"]
    if "uniform_price_cny_per_t" in h:
        out.append(f"Uniform:  {_per_t(h['uniform_price_cny_per_t'])} carbon price that "
                   "would deliver the target" + (f" ({h['uniform_price_note']})"
                                                  if h.get("uniform_price_note") else ""))
    if h.get("ratchet_premium_cny") is not None:
        out.append(f"Ratchet:  {_money(h['ratchet_premium_cny'])} premium of the strict peak "
                   "form over the level form")
    ap = h.get("achieved_peak_year")
    if ap is not None:
        out.append(f"Plateau:  emissions within 0.5 % of their maximum from {ap}")
    out += [f"Warning:  {w}" for w in res.warnings]
    return out


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
    ]
    lines += _headline_lines(res)
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
