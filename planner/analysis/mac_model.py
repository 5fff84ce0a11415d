"""A model-derived marginal abatement cost curve for the target year.

A cap on the target year's emissions alone is swept, on one persistent no-target model (its
target rows re-bound), from the no-target plan's level e0[Y] down to the lowest level the
projects' potentials, roll-out limits, groups, floors and budget allow. The least-cost NPV
V(cap) is convex and piecewise linear; its breakpoints are found exactly
(:mod:`planner.analysis.parametric`, slope = the cap row's dual), so the sweep points are the
places where the plan changes. Between consecutive points

    x = e0[Y] − e[Y]                      (target-year abatement beyond the no-target plan, t)
    y = ΔNPV / ΔD,  D = Σ_t w(t)·e[t]    (CNY per discounted tonne, w = df(t)/(1+r))

y is the marginal cost of the target per discounted tonne at that stringency: tonnes in
every year count, discounted like operating flows, so abatement that a tighter target-year
cap brings forward into earlier years lowers y. Each step is split by project: the change of
each project's target-year abatement between the two points.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.analysis.entry_prices import no_target_inputs
from planner.analysis.parametric import Point, breakpoints, solve_budget, two_at_a_time
from planner.analysis.prices import carbon_price_weights, target_year
from planner.errors import SolverError
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.scenario import Target

DELTA_TOL = 1e-9  # relative change of a project's abatement below which it counts as none
#: solves of the curve at the scenario's rate, and of each band's, on a model of up to 1,000
#: columns (fewer on larger ones): within them every step is exact; beyond, the widest gaps
#: between the curve's tangents and chords are refined first and a step may span several
#: breakpoints (its marginal cost is then their average, ΔNPV/ΔD between exact points)
SOLVES = 2_000
BAND_SOLVES = 1_000


@dataclass
class MacModel:
    """steps: one row per step (step, abatement_from_t, abatement_to_t, cap_from_t, cap_to_t,
    npv_from_cny, npv_to_cny, discounted_from_t, discounted_to_t, marginal_cost_cny_per_t);
    by_project: step, project, delta_abatement_target_year_t (non-zero changes only);
    no_target_t: e0[Y]; lowest_t: the lowest feasible e[Y]; year: Y; rate: discount rate;
    solves: LP solves of the sweep; complete: every breakpoint found (else some steps span
    several, see SOLVES)."""

    steps: pd.DataFrame
    by_project: pd.DataFrame
    no_target_t: float
    lowest_t: float
    year: int
    rate: float
    solves: int = 0
    complete: bool = True

    def cost_at(self, abatement_t: float) -> float:
        """The curve's marginal cost at `abatement_t` (right-continuous steps; NaN outside)."""
        s = self.steps
        hit = s[(s["abatement_from_t"] <= abatement_t + 1e-9)
                & (abatement_t <= s["abatement_to_t"] + 1e-9)]
        return float(hit["marginal_cost_cny_per_t"].iloc[-1]) if len(hit) else float("nan")


def mac_model(inp: ModelInputs, year: int | None = None, max_solves: int | None = None,
              solves: int = SOLVES) -> MacModel:
    """The model-derived MAC curve of `inp` in `year` (default: the target year), with at
    most `max_solves` solves in the sweep (default: :func:`solve_budget` of `solves` for the
    model's size)."""
    ty = target_year(inp) if year is None else year
    free = no_target_inputs(inp)
    pm = PlanningModel(free, pyomo=False)
    years = inp.years
    w = carbon_price_weights(inp)
    proj = inp.projects
    emis_cols = pm.columns("emissions")
    iy = years.index(ty)
    stock_cols = pm.project_columns("stock")[:, iy]
    a_ty = inp.abatement[ty].to_numpy(float)

    sol0 = pm.solve()
    e0 = float(sol0.x[emis_cols[iy]])
    lowest = _lowest(pm, int(emis_cols[iy]))
    scale = max(1.0, abs(e0))

    def oracle(cap: float) -> Point:
        pm.set_target(Target(cap_path_t={ty: cap}))
        sol = pm.solve()
        if sol.status != "optimal":
            raise SolverError(f"cap {cap:.6g} t in {ty} is infeasible")
        dual = float(pm.duals(sol, "cap_path")[ty])
        data = (float(w @ sol.x[emis_cols]), sol.x[stock_cols] * a_ty)
        return Point(cap, sol.objective, dual, data)

    budget = max_solves if max_solves is not None else solve_budget(pm.layout.n_cols, solves)
    made, complete = 1, True
    try:
        if e0 - lowest <= 1e-9 * scale:
            pts = [oracle(e0)]
        else:
            s = breakpoints(oracle, lowest, e0, max_calls=budget)
            pts, made, complete = s.points, s.calls, s.complete
    finally:
        pm.set_target(Target())
    pts = sorted(pts, key=lambda q: -q.x)  # from the no-target level down
    steps, parts = [], []
    k = 0
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        dD = a.data[0] - b.data[0]
        if a.x - b.x <= 1e-9 * scale:
            continue
        k += 1
        steps.append({"step": k, "abatement_from_t": e0 - a.x, "abatement_to_t": e0 - b.x,
                      "cap_from_t": a.x, "cap_to_t": b.x, "npv_from_cny": a.value,
                      "npv_to_cny": b.value, "discounted_from_t": a.data[0],
                      "discounted_to_t": b.data[0],
                      "marginal_cost_cny_per_t": (b.value - a.value) / dD if dD > 0
                      else float("nan")})
        change = b.data[1] - a.data[1]
        big = np.abs(change) > DELTA_TOL * max(1.0, a.x - b.x, float(np.abs(change).max()))
        for j in np.flatnonzero(big):
            parts.append({"step": k, "project": proj.index[j],
                          "delta_abatement_target_year_t": float(change[j])})
    steps, parts = _merge_equal(steps, parts)
    cols = ["step", "abatement_from_t", "abatement_to_t", "cap_from_t", "cap_to_t",
            "npv_from_cny", "npv_to_cny", "discounted_from_t", "discounted_to_t",
            "marginal_cost_cny_per_t"]
    return MacModel(pd.DataFrame(steps, columns=cols),
                    pd.DataFrame(parts, columns=["step", "project",
                                                 "delta_abatement_target_year_t"]),
                    e0, lowest, ty, inp.rate, made, complete)


def _lowest(pm: PlanningModel, col: int) -> float:
    """The lowest feasible value of column `col` (an emissions variable), by minimising it."""
    h = pm.session.h
    n = len(pm.lp.col_lb)
    c = np.zeros(n)
    c[col] = 1.0
    h.changeColsCost(n, np.arange(n, dtype=np.int32), c)
    try:
        sol = pm.solve()
    finally:
        pm.session.set_objective(pm.session.objective)
    return float(sol.x[col])


def mac_model_bands(inp: ModelInputs, band_pts: float = 0.02) -> dict[str, MacModel]:
    """The curve at the scenario's discount rate and at ∓ `band_pts` (not below 0):
    keys central, rate_low, rate_high. Each is swept on a model of its own; on a large model
    two run at a time (:func:`planner.analysis.parametric.two_at_a_time`), which changes
    nothing in the results."""
    def at(rate: float) -> ModelInputs:
        return replace(inp, scenario=inp.scenario.model_copy(update={"discount_rate": rate}))

    r = inp.rate
    jobs = {"central": (inp, SOLVES), "rate_low": (at(max(r - band_pts, 0.0)), BAND_SOLVES),
            "rate_high": (at(r + band_pts), BAND_SOLVES)}
    if not two_at_a_time(len(inp.projects), len(inp.years)):
        return {k: mac_model(v, solves=n) for k, (v, n) in jobs.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {k: pool.submit(mac_model, v, solves=n) for k, (v, n) in jobs.items()}
        return {k: f.result() for k, f in futures.items()}


def mac_model_table(curves: dict[str, MacModel]) -> pd.DataFrame:
    """mac_model.csv: one row per (variant, step, project) — the step's numbers repeated on
    each project whose target-year abatement changes in it."""
    frames = []
    for name, cv in curves.items():
        df = cv.steps.merge(cv.by_project, on="step", how="left")
        df.insert(0, "discount_rate", cv.rate)
        df.insert(0, "variant", name)
        frames.append(df)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _merge_equal(steps: list[dict], parts: list[dict], rel: float = 1e-7
                 ) -> tuple[list[dict], list[dict]]:
    """Join consecutive steps with the same marginal cost (the plan changes, the cost per
    discounted tonne does not) and sum their project changes."""
    out: list[dict] = []
    old_to_new: dict[int, int] = {}
    for s in steps:
        y = s["marginal_cost_cny_per_t"]
        if out and abs(out[-1]["marginal_cost_cny_per_t"] - y) <= rel * max(1.0, abs(y)):
            o = out[-1]
            for k in ("abatement_to_t", "cap_to_t", "npv_to_cny", "discounted_to_t"):
                o[k] = s[k]
            o["marginal_cost_cny_per_t"] = ((o["npv_to_cny"] - o["npv_from_cny"])
                                            / (o["discounted_from_t"] - o["discounted_to_t"]))
        else:
            out.append(dict(s, step=len(out) + 1))
        old_to_new[s["step"]] = len(out)
    merged: dict[tuple[int, str], float] = {}
    for p in parts:
        key = (old_to_new[p["step"]], p["project"])
        merged[key] = merged.get(key, 0.0) + p["delta_abatement_target_year_t"]
    return out, [{"step": k, "project": q, "delta_abatement_target_year_t": v}
                 for (k, q), v in merged.items()]
