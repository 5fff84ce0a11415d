"""Exact reasons for each project's first build and its non-use, from the reduced-cost
identity at the optimum.

Take the direction "build one more unit of p in year t" (build[p,t] and stock[p,u] for its
operating years u = t..min(t+L−1, end) rise by one together). For any LP optimum with row
duals y and reduced costs d = c − Aᵀy, its cost c·δ splits exactly into

    cost = Σ_u y_balance[u]·a[p,u]                      (carbon value of its tonnes)
           − shadow_group − shadow_sector_floor − shadow_budget − shadow_other   (rows)
           − shadow_rollout − shadow_potential + gap                            (own bounds)

where each shadow is −(dual × the row's or bound's change along δ), ≥ 0 when the limit holds
the project back, and gap ≥ 0 is the amount by which a unit's cost exceeds what it is worth
(zero for a unit that is built). Everything is in start-year CNY per unit built, and per
discounted tonne after dividing by the unit's D = Σ_u w(u)·a[p,u]. The year t is the first
build year, or for an unused project the year where it comes closest to being built.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import sparse

from planner.analysis.limits import binding as limits_binding
from planner.analysis.prices import carbon_price_weights
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel

USED_TOL = 1e-6  # share of a project's potential below which a build counts as none

#: row components whose duals are named shadow values (everything else is "other")
ROW_TERMS = {"exclusive_group_limit": "shadow_group", "sector_floor": "shadow_sector_floor",
             "investment_budget": "shadow_budget"}
TERMS = ["shadow_rollout", "shadow_potential", "shadow_group", "shadow_sector_floor",
         "shadow_budget", "shadow_other"]


def reasons(inp: ModelInputs, pm: PlanningModel | None = None) -> pd.DataFrame:
    """Per project (index project id): reason_kind (first_build | not_used | unavailable),
    reason_year, cost_cny_per_unit and, per unit, carbon_value and every shadow term and gap
    (start-year CNY per unit built in reason_year); the same per discounted tonne
    (*_cny_per_t); rollout_shadow_max_cny_per_t (the largest shadow value of its roll-out
    limit in any year, per tonne of a reason_year unit); carbon_main_year (the year whose price
    contributes most value); rollout_binds_from/to and potential_full_from (years, primal);
    group_partner (a used member of the same exclusive group); budget_year (a year whose
    budget row binds)."""
    pm = pm or PlanningModel(inp)
    sol = pm.solve()
    if sol.status != "optimal":
        raise ValueError("reasons need an optimal plan")
    lp = pm.lp
    obj = pm.session.objective
    s, rs, money = lp.col_scale, lp.row_scale, lp.money[obj]
    c = lp.costs[obj] * money / s
    y, d, x = sol.row_dual, sol.col_dual, sol.x
    comp = pm.row_names()
    row_year = pm.row_years()
    proj = inp.projects
    years = inp.years
    n_t = len(years)
    w = carbon_price_weights(inp)
    A = inp.abatement.to_numpy(float)
    U = proj["max_units"].to_numpy(float)
    R = proj["max_build_per_year"].to_numpy(float)
    L = proj["lifetime_years"].to_numpy(int)
    earliest = proj["earliest_year"].to_numpy(int)
    P = list(proj.index)
    bcol = pm.project_columns("build")
    scol = pm.project_columns("stock")

    def val(arr, cols):
        return np.where(cols >= 0, arr[np.maximum(cols, 0)], 0.0)

    build, stock = val(x, bcol), val(x, scol)
    db, ds = val(d, bcol), val(d, scol)
    # reduced cost of each direction (p, t): d_build + Σ_{u in window} d_stock
    cum = np.concatenate([np.zeros((len(P), 1)), np.cumsum(ds, axis=1)], axis=1)
    ti = np.arange(n_t)
    last = np.minimum(ti[None, :] + L[:, None], n_t)
    rc_dir = db + np.take_along_axis(cum, last, axis=1) - cum[:, :n_t]
    bind = limits_binding(inp, build, stock)  # the one classifier of project limits
    at_rollout, at_potential = bind.at_rollout, bind.at_potential
    used_any = stock.max(axis=1) > USED_TOL * U

    groups = proj["exclusive_group"].fillna("").astype(str).to_numpy()
    budget = row_year[(comp == "investment_budget") & (np.abs(y) > 1e-9)]
    # each project's direction year k: its first build, else where it comes closest
    kinds: dict[int, tuple[int, str]] = {}
    for i in range(len(P)):
        built = np.flatnonzero(build[i] > USED_TOL * U[i])
        allowed = np.flatnonzero(np.array(years) >= earliest[i])
        if len(built):
            kinds[i] = (int(built[0]), "first_build")
        elif len(allowed):
            kinds[i] = (int(allowed[np.argmin(rc_dir[i, allowed])]), "not_used")
    # every direction's change of every row at once: A @ Δ, one column per project
    dir_cols = {}
    for i, (k, _) in kinds.items():
        cols = np.concatenate([[bcol[i, k]], scol[i, np.arange(k, min(k + L[i], n_t))]])
        dir_cols[i] = cols[cols >= 0]
    order = list(kinds)
    column = {i: j for j, i in enumerate(order)}
    nz = [dir_cols[i] for i in order]
    delta = sparse.csc_array(
        (np.concatenate([1.0 / s[c] for c in nz]) if nz else np.zeros(0),
         (np.concatenate(nz) if nz else np.zeros(0, int),
          np.repeat(np.arange(len(order)), [len(c) for c in nz]))),
        shape=(len(s), len(order)))
    moved = (lp.A @ delta).tocsc()
    moved.sort_indices()
    term_of = np.full(len(comp), TERMS.index("shadow_other"))
    for name, term in ROW_TERMS.items():
        term_of[comp == name] = TERMS.index(term)
    rows = []
    for i, p in enumerate(P):
        row: dict = {"project": p}
        if i not in kinds:
            rows.append({**row, "reason_kind": "unavailable"})
            continue
        k, kind = kinds[i]
        win = np.arange(k, min(k + L[i], n_t))
        j = column[i]
        span = slice(moved.indptr[j], moved.indptr[j + 1])
        hit = moved.indices[span]
        a_delta = moved.data[span] * rs[hit]  # change of each row, original units
        keep = a_delta != 0
        hit, a_delta = hit[keep], a_delta[keep]
        contrib = y[hit] * a_delta
        cost = float(c[dir_cols[i]].sum())
        carbon = comp[hit] == "emissions_balance"
        yrs, at = np.unique(row_year[hit][carbon], return_inverse=True)
        by_year = np.bincount(at, weights=contrib[carbon], minlength=len(yrs))  # per year
        row_terms = np.bincount(term_of[hit[~carbon]], weights=contrib[~carbon],
                                minlength=len(TERMS))
        terms = {t: 0.0 - float(v) for t, v in zip(TERMS, row_terms, strict=True)}
        col_total = float(db[i, k] + ds[i, win].sum())
        if at_rollout[i, k]:
            terms["shadow_rollout"] = -float(db[i, k])
        pot = at_potential[i, win]
        terms["shadow_potential"] = -float(ds[i, win][pot].sum())
        gap = col_total + terms["shadow_rollout"] + terms["shadow_potential"]
        per_t = float(w[win] @ A[i, win])
        binding = np.flatnonzero(at_rollout[i] & (R[i] > 0))
        full = np.flatnonzero(at_potential[i])
        partner = [q for q in np.flatnonzero((groups == groups[i]) & used_any)
                   if groups[i] and q != i]
        row |= {
            "reason_kind": kind, "reason_year": years[k],
            "cost_cny_per_unit": cost, "carbon_value_cny_per_unit": float(by_year.sum()),
            **{f"{t}_cny_per_unit": v for t, v in terms.items()}, "gap_cny_per_unit": gap,
            "discounted_t_per_unit": per_t,
            "carbon_main_year": int(yrs[np.argmax(by_year)]) if len(by_year) and by_year.max() > 0
            else None,
            "rollout_binds_from": years[binding[0]] if len(binding) else None,
            "rollout_binds_to": years[binding[-1]] if len(binding) else None,
            "rollout_shadow_max_cny_per_unit": float(-db[i, binding].min()) if len(binding)
            else 0.0,
            "potential_full_from": years[full[0]] if len(full) else None,
            "group_partner": P[partner[0]] if partner else "",
            "budget_year": int(budget[0]) if len(budget) else None,
        }
        rows.append(row)
    out = pd.DataFrame(rows)
    out.index = pd.Index(out["project"].to_list())
    for col in ["reason_year", "carbon_main_year", "rollout_binds_from", "rollout_binds_to",
                "potential_full_from", "budget_year"]:
        out[col] = pd.array([None if v is None or (isinstance(v, float) and math.isnan(v))
                             else int(v) for v in out.get(col, [None] * len(out))],
                            dtype="Int64")
    per = out["discounted_t_per_unit"].where(out["discounted_t_per_unit"] > 0)
    for name in ["cost", "carbon_value", *TERMS, "gap", "rollout_shadow_max"]:
        out[f"{name}_cny_per_t"] = out[f"{name}_cny_per_unit"] / per
    return out.drop(columns="project")


def identity_residual(r: pd.Series) -> float:
    """cost − (carbon value − Σ shadows + gap), start-year CNY per unit (0 up to round-off)."""
    rhs = (r["carbon_value_cny_per_unit"] - sum(r[f"{t}_cny_per_unit"] for t in TERMS)
           + r["gap_cny_per_unit"])
    return float(r["cost_cny_per_unit"] - rhs)


def _year_of(index) -> float:
    """The year in a constraint index (its last integer element), NaN if none."""
    if isinstance(index, tuple):
        index = index[-1] if index else None
    return float(index) if isinstance(index, (int, np.integer)) else math.nan
