"""Result tables of one solve: tidy DataFrames in original units (t, CNY).

Column conventions: ``*_t`` tonnes CO2, ``*_cny`` CNY of the year in the row (``objective_cny``:
start-year CNY), ``*_units`` project units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from planner.data import sha256_of
from planner.errors import PlannerError
from planner.model.catalogue import DUAL_ROWS
from planner.model.formulation import emission_scale
from planner.model.highs import Solution
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel
from planner.model.perturb import Outcome, Shift, shifted_objectives
from planner.model.restricted import Restriction, restrict, unit_direction_costs


@dataclass
class Result:
    """Everything one `planner.solve` returns. Tables are empty when the status is not optimal.

    emissions: year, bau_t, abatement_t, emissions_t, cap_t (effective cap, NaN if none)
    emissions_by_sector: sector, year, bau_t, abatement_t, emissions_t
    deployment: project, year, build_units, stock_units, abatement_t, investment_cny,
        annual_cost_cny
    carbon_price: year, price_cny_per_t, price_low_cny_per_t, price_high_cny_per_t
    duals: constraint, index, dual (start-year CNY per row unit; the constraint's own units)
    reduced_costs: project, year, build_cny_per_unit (start-year CNY per unit built)
    """

    inputs: ModelInputs
    status: str
    objective_cny: float = math.nan
    emissions: pd.DataFrame = field(default_factory=pd.DataFrame)
    emissions_by_sector: pd.DataFrame = field(default_factory=pd.DataFrame)
    deployment: pd.DataFrame = field(default_factory=pd.DataFrame)
    carbon_price: pd.DataFrame = field(default_factory=pd.DataFrame)
    duals: pd.DataFrame = field(default_factory=pd.DataFrame)
    reduced_costs: pd.DataFrame = field(default_factory=pd.DataFrame)
    solve_seconds: float = 0.0
    solver: str = ""
    diagnosis: Any = None  # planner.analysis.diagnosis.Diagnosis when infeasible
    headlines: dict[str, Any] = field(default_factory=dict)
    no_target_objective_cny: float = math.nan
    warnings: list[str] = field(default_factory=list)
    mip: dict[str, Any] = field(default_factory=dict)  # lumpy projects: gap, relaxation, …
    unfixed_inputs: ModelInputs | None = None  # lumpy: the inputs before fixing the choices

    @property
    def scenario(self):
        """The scenario this result solves."""
        return self.inputs.scenario

    @property
    def optimal(self) -> bool:
        """A plan exists: the optimum, or the incumbent of a mixed-integer programme stopped by
        its time limit (status 'time_limit'; `mip['mip_gap']` says how far from optimal)."""
        return self.status in ("optimal", "time_limit")

    @property
    def peak_year(self) -> int | None:
        """The first year at the maximum of emissions (None unless optimal)."""
        return peak_of(self.emissions)[0] if self.optimal else None

    @property
    def peak_emissions_t(self) -> float | None:
        """Emissions in the peak year, t (None unless optimal)."""
        return peak_of(self.emissions)[1] if self.optimal else None

    @property
    def total_investment_cny(self) -> float:
        """Undiscounted capex of every unit built, CNY (NaN unless optimal)."""
        return float(self.deployment["investment_cny"].sum()) if self.optimal else math.nan

    def target_year(self) -> int:
        """The peak year of the target, or the last year when there is none."""
        return self.scenario.target.peak_year or self.inputs.report_end

    def price_in(self, year: int) -> float:
        """The annual carbon price of `year`, CNY of that year per t (NaN unless optimal)."""
        if not self.optimal:
            return math.nan
        cp = self.carbon_price.set_index("year")
        return float(cp.loc[year, "price_cny_per_t"])

    def projects_used(self, tol: float = 1e-6) -> pd.DataFrame:
        """Projects with any build: project, name, measure, first_year, max_stock_units, unit,
        abatement_total_t (over the horizon)."""
        d = self.deployment
        used = d[d["build_units"] > tol * self.inputs.projects.loc[d["project"], "max_units"]
                 .to_numpy()]
        if used.empty:
            return pd.DataFrame(columns=["project", "name", "measure", "first_year",
                                         "max_stock_units", "unit", "abatement_total_t"])
        first = used.groupby("project")["year"].min()
        g = d.groupby("project")
        proj = self.inputs.projects
        out = pd.DataFrame({
            "project": first.index,
            "name": proj.loc[first.index, "name"].to_numpy(),
            "measure": proj.loc[first.index, "measure"].to_numpy(),
            "first_year": first.to_numpy(),
            "max_stock_units": g["stock_units"].max().loc[first.index].to_numpy(),
            "unit": proj.loc[first.index, "unit"].to_numpy(),
            "abatement_total_t": g["abatement_t"].sum().loc[first.index].to_numpy(),
        })
        return out.sort_values(["first_year", "project"]).reset_index(drop=True)

    @property
    def summary(self) -> dict[str, Any]:
        """The run's headline numbers (summary.json)."""
        return summary_of(self)


def peak_of(emissions: pd.DataFrame) -> tuple[int, float]:
    """First year at which emissions reach their maximum (ties within 1e-9 relative)."""
    e = emissions["emissions_t"].to_numpy()
    top = float(e.max())
    tol = 1e-9 * max(1.0, float(np.abs(e).max()))
    i = int(np.argmax(e >= top - tol))
    return int(emissions["year"].iloc[i]), float(e[i])


def effective_cap(inp: ModelInputs, ub: dict[str, np.ndarray]) -> np.ndarray:
    """The tightest absolute bound on emissions per optimised year from the cap, cap path,
    per-capita cap and peak level rows (NaN: none), tCO2."""
    caps = np.vstack([ub[k] for k in ("emissions_cap", "cap_path", "per_capita_cap",
                                      "peak_level", "no_target_guard")])
    out = caps.min(axis=0)
    return np.where(np.isfinite(out), out, np.nan)


def annual_costs(inp: ModelInputs, build: np.ndarray, stock: np.ndarray) -> np.ndarray:
    """(P, T) cost of each project in each year, CNY of that year:
    Σ_{t−L < τ ≤ t} capex[p,τ]·CRF_p·build[p,τ] + stock[p,t]·(fixed_om − savings[p,t] − credit).
    Capital is shown as the annuity paid at the end of each operating year."""
    proj = inp.projects
    paid = build * inp.capex.to_numpy(float) * inp.crf.reindex(proj.index).to_numpy()[:, None]
    cum = np.concatenate([np.zeros((len(proj), 1)), np.cumsum(paid, axis=1)], axis=1)
    n = len(inp.years)
    L = proj["lifetime_years"].to_numpy(int)
    idx = np.arange(1, n + 1)
    lo = np.maximum(idx[None, :] - L[:, None], 0)
    capital = cum[:, 1:] - np.take_along_axis(cum, lo, axis=1)
    return capital + stock * inp.net_running_cost


def _long(inp: ModelInputs, arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    idx = pd.MultiIndex.from_product([inp.projects.index, inp.years], names=["project", "year"])
    df = pd.DataFrame({k: v.ravel() for k, v in arrays.items()}, index=idx).reset_index()
    df["year"] = df["year"].astype(int)
    return df


def tables(pm: PlanningModel, sol: Solution,
           no_target: bool = True) -> dict[str, pd.DataFrame]:
    """Emissions, sector emissions and deployment tables of an optimal solution, over the
    optimised years (the caller cuts them to the reported years). Without `no_target` the
    no-target plan is not solved for them: emissions.no_target_t is NaN unless it was."""
    inp = pm.inp
    years = inp.years
    proj = inp.projects
    build = pm.array(sol, "build").copy()
    stock = pm.array(sol, "stock").copy()
    # clean solver noise below 1e-9 of a project's potential (never changes a reported digit)
    tiny = 1e-9 * proj["max_units"].to_numpy(float)[:, None]
    build[np.abs(build) <= tiny] = 0.0
    stock[np.abs(stock) <= tiny] = 0.0
    abatement = stock * inp.abatement.to_numpy(float)
    deployment = _long(inp, {
        "build_units": build, "stock_units": stock, "abatement_t": abatement,
        "investment_cny": build * inp.capex.to_numpy(float),
        "annual_cost_cny": annual_costs(inp, build, stock)})

    sec_of = proj["sector"].to_numpy()
    by_sector = np.vstack([abatement[sec_of == s].sum(axis=0) for s in inp.sectors])
    bau = inp.bau.reindex(columns=years).to_numpy(float)
    sec = pd.DataFrame({
        "sector": np.repeat(inp.sectors, len(years)),
        "year": np.tile(years, len(inp.sectors)),
        "bau_t": bau.ravel(), "abatement_t": by_sector.ravel(),
        "emissions_t": (bau - by_sector).ravel(),
        "in_scope": np.repeat([s in inp.scope_sectors for s in inp.sectors], len(years)),
    })
    scope = inp.in_scope
    gross = np.array([s in inp.gross_sectors for s in inp.sectors])
    gross_p = proj["sector"].isin(inp.gross_sectors).to_numpy()
    em = pd.DataFrame({
        "year": years,
        "bau_t": inp.bau_scope.reindex(years).to_numpy(float),
        "abatement_t": abatement[scope].sum(axis=0),
    })
    em["emissions_t"] = em["bau_t"] - em["abatement_t"]
    em["emissions_gross_t"] = bau[gross].sum(axis=0) - abatement[gross_p].sum(axis=0)
    em["emissions_net_t"] = bau.sum(axis=0) - abatement.sum(axis=0)
    em["cap_t"] = effective_cap(inp, {k: pm.target_ub(k).to_numpy() for k in pm._ub})
    nt = pm.no_target if no_target else pm.no_target_if_solved
    em["no_target_t"] = nt.emissions_t if nt is not None else np.nan
    return {"emissions": em, "emissions_by_sector": sec, "deployment": deployment}


def cut_to_reported(inp: ModelInputs, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Keep the rows of the reported years (years.end; the extension is optimised only)."""
    end = inp.report_end
    return {k: (v[v["year"] <= end].reset_index(drop=True) if "year" in v else v)
            for k, v in frames.items()}


def dual_table(pm: PlanningModel, sol: Solution) -> pd.DataFrame:
    """All non-zero duals of the catalogue's reported rows, start-year CNY per row unit."""
    frames = []
    for name in DUAL_ROWS:
        rb = pm.layout.rows.get(name)
        if rb is None or len(rb) == 0:
            continue
        d = sol.row_dual[pm.layout.rows_of(name)]
        nz = np.flatnonzero(np.abs(d) > 1e-12)
        if len(nz) == 0:
            continue
        frames.append(pd.DataFrame({"constraint": name,
                                    "index": list(map(str, rb.index[nz])),
                                    "dual": d[nz]}))
    if not frames:
        return pd.DataFrame(columns=["constraint", "index", "dual"])
    return pd.concat(frames, ignore_index=True)


def carbon_prices(pm: PlanningModel, sol: Solution, one_sided: bool = True) -> pd.DataFrame:
    """Carbon price per year, CNY of that year per tCO2.

    price[t] = dual of emissions_balance[t] / w(t): the cost of one more tonne of reduction
    in year t, whichever target rows make it costly. With `one_sided`, the two one-sided values
    are found by re-solving with BAU[t] ± δ on each side where HiGHS's ranging does not show the
    dual to hold: price_low (relaxing by δ saves this much per tonne) and price_high (tightening
    by δ costs this much per tonne; inf when no further reduction is possible). A re-solve that
    fails leaves that year's one-sided values empty with the reason in `price_note` (the column
    exists only then): a side analysis fails soft.
    """
    inp = pm.inp
    years = inp.years
    dual = pm.duals(sol, "emissions_balance").to_numpy()
    price = dual / inp.weights + 0.0  # + 0.0 turns -0.0 into 0.0
    out = pd.DataFrame({"year": years, "price_cny_per_t": price,
                        "price_low_cny_per_t": price.copy(),
                        "price_high_cny_per_t": price.copy(),
                        "dual_unique": True})
    if not one_sided:
        out["dual_unique"] = pd.NA
        return out
    delta = 1e-4 * emission_scale(inp)
    # the re-solves run on the LP of the projects in play where that is smaller and exact
    small = restrict(pm, sol) if isinstance(pm, PlanningModel) else None
    up_ok, dn_ok = _stable_sides(pm, delta, dual, small)
    low, high = price.copy(), price.copy()
    unique = np.ones(len(years), dtype=object)
    notes: dict[int, str] = {}
    todo = np.flatnonzero(~(up_ok & dn_ok))
    sides, perturbed = _secant_prices(pm, todo, sol.objective, delta, price, up_ok, dn_ok,
                                      small)
    for i in todo:
        got = sides[int(i)]
        if isinstance(got, PlannerError):  # a side analysis fails soft: the plan stands
            low[i] = high[i] = math.nan
            unique[i] = pd.NA
            notes[int(i)] = f"one-sided prices not computed: {got}"
        elif not _same_price(*got, float(price[i])):
            (low[i], high[i]), unique[i] = got, False
    out["price_low_cny_per_t"] = low
    out["price_high_cny_per_t"] = high
    out["dual_unique"] = unique if notes else unique.astype(bool)
    if notes:  # the column exists only when some year's one-sided values are missing
        out["price_note"] = [notes.get(i, "") for i in range(len(years))]
    if perturbed:
        pm.solve()  # restore the solver's basis to the unperturbed optimum
    return out


def _secant_prices(pm: PlanningModel, todo: np.ndarray, base: float, delta: float,
                   price: np.ndarray, up_ok: np.ndarray, dn_ok: np.ndarray,
                   small: Restriction | None = None
                   ) -> tuple[dict[int, tuple[float, float] | PlannerError], bool]:
    """({year index: (low, high)}, perturbed) for the years `todo`, CNY of that year per t:
    re-solves with BAU[t] + δ (giving high) where not `up_ok` and − δ (giving low) where not
    `dn_ok`, around the optimum of value `base` (start-year CNY); a side not re-solved is the
    dual `price[i]`. high is inf when no further reduction is possible. A year whose re-solve
    has no trustworthy optimum gets the error instead. With `small`, the re-solves run there
    first; those it cannot answer (refused by its check, infeasible, failed) run on the full
    model. `perturbed`: the full model's session was re-solved and is off its optimum."""
    jobs, keys = [], []
    for i in map(int, todo):
        row, lb, ub = pm.bau_row(pm.inp.years[i])
        for sign, ok in ((+1, up_ok[i]), (-1, dn_ok[i])):
            if not ok:
                jobs.append(Shift(row, lb, ub, sign * delta))
                keys.append((i, sign))
    outcomes: list[Outcome | None] = [None] * len(jobs)
    if small is not None and jobs:
        moved = [replace(j, row=int(small.local[j.row])) for j in jobs]
        for k, res in enumerate(shifted_objectives(small.session, moved, small.certified)):
            if res.error is None and res.status == "optimal":
                outcomes[k] = res
    redo = [k for k, res in enumerate(outcomes) if res is None]
    if redo:
        full = shifted_objectives(pm.session, [jobs[k] for k in redo])
        for k, res in zip(redo, full, strict=True):
            outcomes[k] = res
    out = {int(i): {+1: float(price[i]), -1: float(price[i])} for i in todo}
    failed: dict[int, PlannerError] = {}
    for (i, sign), res in zip(keys, outcomes, strict=True):
        if res.error is not None:
            failed[i] = res.error
        else:
            out[i][sign] = (math.inf if res.status != "optimal"
                            else sign * (res.objective - base) / delta / pm.inp.weights[i])
    return ({i: failed[i] if i in failed else (v[-1], v[+1]) for i, v in out.items()},
            bool(redo))


def _same_price(lo: float, hi: float, price: float) -> bool:
    """Both one-sided values equal the dual to 1e-4 relative: the dual is unique."""
    tol = 1e-4 * max(1.0, abs(price))
    return abs(hi - price) <= tol and abs(lo - price) <= tol


def price_range(pm: PlanningModel, year: int) -> tuple[float, float, float, bool]:
    """(price, low, high, unique) of `year`'s carbon price, CNY of that year per t, at the
    optimum of `pm`'s current target: HiGHS's ranging says on which side the dual holds; only
    the other sides are re-solved with BAU ± δ. Raises SolverError when a solve has no
    trustworthy optimum."""
    sol = pm.solve()  # the ranging below reads this basis
    i = pm.inp.years.index(year)
    dual = pm.duals(sol, "emissions_balance").to_numpy()
    prices = dual / pm.inp.weights + 0.0
    price = float(prices[i])
    delta = 1e-4 * emission_scale(pm.inp)
    up_ok, dn_ok = _stable_sides(pm, delta, dual)
    if up_ok[i] and dn_ok[i]:
        return price, price, price, True
    try:
        got = _secant_prices(pm, np.array([i]), sol.objective, delta, prices, up_ok,
                             dn_ok)[0][i]
    finally:
        pm.solve()  # restore the solver's basis to the unperturbed optimum
    if isinstance(got, PlannerError):
        raise got
    lo, hi = got
    if _same_price(lo, hi, price):
        return price, price, price, True
    return price, lo, hi, False


def _stable_sides(pm: PlanningModel, delta: float, dual: np.ndarray,
                  small: Restriction | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per emissions_balance row, (up, down): True where HiGHS's ranging shows that its
    right-hand side can rise (up) or fall (down) by δ with the optimal basis unchanged — the
    objective is then linear on that side with slope = the dual, and no re-solve is needed.
    Ranging describes the basis HiGHS holds now: a row whose dual there differs from `dual`
    (the solution being priced; at a degenerate optimum another basis may be held) gets no
    shortcut. All False when ranging is unavailable (every side is then re-solved). With
    `small`, the ranging is its smaller LP's, whose basis is the full one cut: the kept rows'
    ranging is the same (the projects left out hold a block of the basis of their own)."""
    n = len(pm.layout.rows["emissions_balance"])
    none = np.zeros(n, dtype=bool)
    session = small.session if small is not None else pm.session
    h = session.h
    try:
        status, rng = h.getRanging()
    except Exception:  # noqa: BLE001 - ranging is an optional speed-up
        return none, none.copy()
    if int(status) != 0:
        return none, none.copy()
    rows = pm.layout.rows_of("emissions_balance")
    scale = pm.lp.row_scale[rows]
    rhs = pm.lp.row_ub[rows]
    at = small.local[rows] if small is not None else rows  # the rows in the session's LP
    held = (np.asarray(h.getSolution().row_dual)[at] * pm.lp.money[pm.session.objective]
            / scale)
    same = np.abs(held - dual) <= 1e-9 * np.maximum(1.0, np.abs(dual))
    up = np.asarray(rng.row_bound_up.value_)[at]
    dn = np.asarray(rng.row_bound_dn.value_)[at]
    d = delta / scale
    return same & (up >= rhs + d * (1 + 1e-6)), same & (dn <= rhs - d * (1 + 1e-6))


def reduced_cost_table(pm: PlanningModel, sol: Solution) -> pd.DataFrame:
    """Reduced cost of building one more unit of p in year t, start-year CNY per unit.

    The direction "build one more unit in t" raises build[p,t] and stock[p,u] for the unit's
    operating years u = t..min(t+L−1, end) together (stock_balance stays satisfied), so its
    reduced cost is rc(build[p,t]) + Σ_u rc(stock[p,u]) — the same whichever of the two
    variables the optimal basis holds. > 0: a unit would have to get this much cheaper (NPV)
    to be built; < 0: a limit (roll-out, potential, …) holds the project back and relaxing it
    by one unit in t would save this much; 0: used and not at a limit.
    """
    inp = pm.inp
    P, T = len(inp.projects), len(inp.years)
    rb = pm.reduced_costs(sol, "build").to_numpy().reshape(P, T)
    rs = pm.reduced_costs(sol, "stock").to_numpy().reshape(P, T)
    v = unit_direction_costs(rb, rs, inp.projects["lifetime_years"].to_numpy(int)) + 0.0
    return _long(inp, {"build_cny_per_unit": v})


# ---------------------------------------------------------------- summary.json

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
        "achieved_peak_year": res.headlines.get("achieved_peak_year"),
        "no_target_objective_cny": _clean(res.no_target_objective_cny),
        **{k: _clean_deep(v) for k, v in res.headlines.items() if k != "achieved_peak_year"},
        "carbon_price_target_year_cny_per_t": _clean(res.price_in(res.target_year())),
        "conventions": CONVENTIONS,
        "warnings": list(res.warnings),
        "bau_peak_year": int(inp.bau_scope.idxmax()),
        "bau_peak_emissions_t": float(inp.bau_scope.max()),
        "target": sc.target.model_dump(exclude_defaults=True),
        "years": {"start": inp.start, "end": inp.report_end,
                  "optimised_to": inp.end},
        "target_scope": sc.target.scope, "peak_form": sc.target.peak_form,
        "discount_rate": inp.rate,
        "solver": res.solver,
        "solve_seconds": round(res.solve_seconds, 4),
        "input_sha256": files,
    }
    if res.mip:
        out |= {k: _clean(v) for k, v in res.mip.items()}
    if res.diagnosis is not None:
        out["diagnosis"] = res.diagnosis.message
    return out
