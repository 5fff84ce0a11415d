"""The headline numbers of a run: the dict written as summary.json (results layer).

The terminal rendering of the same numbers is :func:`planner.text.summary_text`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from planner.data import sha256_of

if TYPE_CHECKING:
    from planner.results import Result


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def summary_of(res: Result) -> dict[str, Any]:
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
