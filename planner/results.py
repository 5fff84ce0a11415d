"""Result tables of one solve: tidy DataFrames in original units (t, CNY).

Column conventions: ``*_t`` tonnes CO2, ``*_cny`` CNY of the year in the row (``objective_cny``:
start-year CNY), ``*_units`` project units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.model.inputs import ModelInputs
from planner.model.formulation import TARGET_CONSTRAINTS, emission_scale
from planner.model.persistent import PlanningModel
from planner.model.highs import Solution


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

    @property
    def scenario(self):
        return self.inputs.scenario

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    @property
    def peak_year(self) -> int | None:
        return peak_of(self.emissions)[0] if self.optimal else None

    @property
    def peak_emissions_t(self) -> float | None:
        return peak_of(self.emissions)[1] if self.optimal else None

    @property
    def total_investment_cny(self) -> float:
        return float(self.deployment["investment_cny"].sum()) if self.optimal else math.nan

    def target_year(self) -> int:
        """The peak year of the target, or the last year when there is none."""
        return self.scenario.target.peak_year or self.inputs.end

    def price_in(self, year: int) -> float:
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
        from planner.results_summary import summary_of

        return summary_of(self)


def peak_of(emissions: pd.DataFrame) -> tuple[int, float]:
    """First year at which emissions reach their maximum (ties within 1e-9 relative)."""
    e = emissions["emissions_t"].to_numpy()
    top = float(e.max())
    tol = 1e-9 * max(1.0, float(np.abs(e).max()))
    i = int(np.argmax(e >= top - tol))
    return int(emissions["year"].iloc[i]), float(e[i])


def effective_cap(inp: ModelInputs, target=None) -> pd.Series:
    """The tightest absolute cap per year from cap_t, cap_path_t and per_capita_t (NaN: none)."""
    from planner.model.formulation import target_rhs

    rhs = target_rhs(inp, target or inp.scenario.target)
    caps = pd.DataFrame({k: pd.Series(rhs[k]) for k in ("emissions_cap", "cap_path",
                                                        "per_capita_cap")})
    return caps.min(axis=1).replace(math.inf, np.nan)


def annual_costs(inp: ModelInputs, build: pd.DataFrame, stock: pd.DataFrame) -> pd.DataFrame:
    """Cost of each project in each year, CNY of that year (project x year):
    Σ_{t−L < τ ≤ t} capex[p,τ]·CRF_p·build[p,τ] + stock[p,t]·(fixed_om − savings[p,t] − credit)."""
    proj = inp.projects
    paid = (inp.capex * build).to_numpy() * inp.crf.reindex(proj.index).to_numpy()[:, None]
    cum = np.concatenate([np.zeros((len(proj), 1)), np.cumsum(paid, axis=1)], axis=1)
    n = len(inp.years)
    L = proj["lifetime_years"].to_numpy(int)
    idx = np.arange(1, n + 1)
    lo = np.maximum(idx[None, :] - L[:, None], 0)  # first vintage still operating, as offset
    capital = cum[:, 1:] - np.take_along_axis(cum, lo, axis=1)
    running = stock.to_numpy() * (proj["fixed_om_cny_per_unit_year"].to_numpy()[:, None]
                                  - inp.savings.to_numpy()
                                  - inp.cobenefit_credit().reindex(proj.index).to_numpy()[:, None])
    return pd.DataFrame(capital + running, index=proj.index, columns=inp.years)


def tables(pm: PlanningModel, sol: Solution) -> dict[str, pd.DataFrame]:
    """Emissions, sector emissions and deployment tables of an optimal solution."""
    inp = pm.inp
    years = inp.years
    proj = inp.projects
    build = pm.values(sol, "build").unstack().reindex(index=proj.index, columns=years)
    stock = pm.values(sol, "stock").unstack().reindex(index=proj.index, columns=years)
    # clean solver noise below 1e-9 of a project's potential (never changes a reported digit)
    tiny = 1e-9 * proj["max_units"].to_numpy()[:, None]
    build = build.where(build.abs() > tiny, 0.0)
    stock = stock.where(stock.abs() > tiny, 0.0)
    abatement = stock * inp.abatement
    investment = build * inp.capex
    annual = annual_costs(inp, build, stock)

    def long(df: pd.DataFrame, name: str) -> pd.Series:
        s = df.stack()
        s.index.names = ["project", "year"]
        return s.rename(name)

    deployment = pd.concat([long(build, "build_units"), long(stock, "stock_units"),
                            long(abatement, "abatement_t"), long(investment, "investment_cny"),
                            long(annual, "annual_cost_cny")], axis=1).reset_index()
    deployment["year"] = deployment["year"].astype(int)

    by_sector = abatement.groupby(proj["sector"]).sum().reindex(inp.sectors, fill_value=0.0)
    sec = pd.DataFrame({
        "bau_t": inp.bau.stack(),
        "abatement_t": by_sector.stack(),
    })
    sec.index.names = ["sector", "year"]
    sec = sec.reset_index()
    sec["emissions_t"] = sec["bau_t"] - sec["abatement_t"]
    sec["year"] = sec["year"].astype(int)

    total_ab = abatement.sum(axis=0)
    em = pd.DataFrame({
        "year": years,
        "bau_t": inp.bau_total.to_numpy(),
        "abatement_t": total_ab.to_numpy(),
    })
    em["emissions_t"] = em["bau_t"] - em["abatement_t"]
    em["cap_t"] = effective_cap(inp, pm.target).reindex(years).to_numpy()
    return {"emissions": em, "emissions_by_sector": sec, "deployment": deployment}


def dual_table(pm: PlanningModel, sol: Solution) -> pd.DataFrame:
    """All non-zero duals of named constraints, start-year CNY per row unit."""
    frames = []
    names = ["emissions_balance", *TARGET_CONSTRAINTS, "sector_floor", "exclusive_group_limit",
             "investment_budget"]
    for name in names:
        con = pm.m.component(name)
        if con is None or len(con) == 0:
            continue
        s = pm.duals(sol, name)
        s = s[s.abs() > 1e-12]
        if s.empty:
            continue
        frames.append(pd.DataFrame({"constraint": name,
                                    "index": [str(i) for i in s.index],
                                    "dual": s.to_numpy()}))
    if not frames:
        return pd.DataFrame(columns=["constraint", "index", "dual"])
    return pd.concat(frames, ignore_index=True)


def carbon_prices(pm: PlanningModel, sol: Solution, one_sided: bool = True) -> pd.DataFrame:
    """Carbon price per year, CNY of that year per tCO2.

    price[t] = dual of emissions_balance[t] / df(t): the cost of one more tonne of reduction
    in year t, whichever target rows (cap, cap path, peak, budget, …) make it costly.
    With `one_sided`, the two one-sided values are found by re-solving with BAU[t] ± δ:
    price_low (relaxing by δ saves this much per tonne) and price_high (tightening by δ costs
    this much per tonne; inf when no further reduction is possible). Where they differ the
    dual is not unique: the reported price is HiGHS's dual at the optimal basis, one valid
    value between the two.
    """
    inp = pm.inp
    years = inp.years
    df = inp.discount
    dual = pm.duals(sol, "emissions_balance").reindex(years)
    price = dual / df + 0.0  # + 0.0 turns -0.0 into 0.0
    out = pd.DataFrame({"year": years, "price_cny_per_t": price.to_numpy(),
                        "price_low_cny_per_t": price.to_numpy(),
                        "price_high_cny_per_t": price.to_numpy()})
    if not one_sided:
        return out
    delta = 1e-4 * emission_scale(inp)
    base = sol.objective
    for i, t in enumerate(years):
        sides = {}
        for sign in (+1, -1):
            pm.shift_bau(t, sign * delta)
            try:
                s2 = pm.solve()
            finally:
                pm.shift_bau(t, -sign * delta)
            if s2.status != "optimal":
                sides[sign] = math.inf
            else:
                sides[sign] = sign * (s2.objective - base) / delta / float(df[t])
        hi, lo = sides[+1], sides[-1]
        p = float(price.iloc[i])
        tol = 1e-4 * max(1.0, abs(p))
        if abs(hi - p) <= tol and abs(lo - p) <= tol:
            continue  # unique dual: keep the exact value
        out.loc[i, "price_low_cny_per_t"] = lo
        out.loc[i, "price_high_cny_per_t"] = hi
    pm.solve()  # restore the solver's basis to the unperturbed optimum
    return out


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
    years = inp.years
    rb = pm.reduced_costs(sol, "build").unstack().reindex(columns=years)
    rs = pm.reduced_costs(sol, "stock").unstack().reindex(columns=years)
    rows = []
    for p in inp.projects.index:
        L = int(inp.projects.loc[p, "lifetime_years"])
        for t in years:
            window = [u for u in years if t <= u <= t + L - 1]
            v = float(rb.loc[p, t]) + float(rs.loc[p, window].sum())
            rows.append((p, t, v + 0.0))
    return pd.DataFrame(rows, columns=["project", "year", "build_cny_per_unit"])
