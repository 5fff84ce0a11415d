"""Several cities under a joint target: burden sharing, transfers, gains from coordination.

Compute only (DataFrames and dataclasses). On one built :class:`RegionalModel`:

- the joint no-target plan e0 (fixes the joint peak level and each city's own levels);
- the joint least-cost plan (joint rows on, no obligations) — the efficient plan;
- per allocation rule: obligations A[r,t] summing to the joint level J[t] (and shares B_r of a
  joint budget), solved in autarky (no transfers) and with the scenario's transfer setting;
- the coalition game: v(S) = Σ_{r∈S} autarky_r − cost of S trading freely inside S (others in
  autarky); Shapley shares over the 2^n − 1 coalitions and whether they are in the core.

Money: NPV, CNY at the start of the start year. Tonnes: tCO2. A city's transfer payment is
Σ_t price_t·q[r,t] with price_t = −dual of transfer_balance[t] (start-year CNY per tonne);
payments add up to zero.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.analysis.economics import achieved_peak_year
from planner.analysis.region_diagnosis import diagnose_regions
from planner.analysis.shortfall import RegionDiagnosis
from planner.model.blocks import INF
from planner.model.highs import Solution
from planner.model.regional import (
    RegionalInputs,
    RegionalModel,
    RegionPriceView,
    joint_bounds,
    joint_level,
)
from planner.regions import RULES
from planner.results import (
    Result,
    carbon_prices,
    cut_to_reported,
    dual_table,
    reduced_cost_table,
    tables,
)

#: a cost difference below this share of the largest cost is noise (CNY)
REL_TOL = 1e-7


# ---------------------------------------------------------------- allocation rules

def _share_fill(J: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """A[r,t] = shares[r,t]·J[t] where J is finite, +∞ elsewhere."""
    fin = np.isfinite(J)
    return np.where(fin[None, :], shares * np.where(fin, J, 0.0)[None, :], INF)


def _effort_fill(J: np.ndarray, bau: np.ndarray, k: np.ndarray) -> np.ndarray:
    """A[r,t] = BAU[r,t]·(1 − λ_t·k[r,t]) with λ_t such that Σ_r A[r,t] = J[t]."""
    fin = np.isfinite(J)
    need = bau.sum(axis=0) - np.where(fin, J, 0.0)
    den = (bau * k).sum(axis=0)
    lam = np.divide(need, den, out=np.zeros_like(need), where=den != 0)
    return np.where(fin[None, :], bau * (1.0 - lam[None, :] * k), INF)


def allocate(rule: str, rin: RegionalInputs, J: np.ndarray, target_year: int,
             efficient: np.ndarray | None = None) -> np.ndarray:
    """(R, T) obligations A[r,t] (tCO2; +∞ where J is) under `rule`; Σ_r A = J.

    equal_effort: the same % below BAU; grandfathering: start-year BAU shares; per_capita:
    shares moving linearly from start-year BAU shares to population shares by `target_year`;
    gdp_capacity: % below BAU proportional to relative GDP per capita (richer cities do more);
    intensity: the same CO2/GDP relative to each city's start-year BAU intensity;
    least_cost: the efficient plan's own emissions (`efficient`)."""
    bau = rin.bau_scope
    years = np.asarray(rin.years)
    if rule == "equal_effort":
        return _effort_fill(J, bau, np.ones_like(bau))
    if rule == "grandfathering":
        s0 = bau[:, 0] / bau[:, 0].sum()
        return _share_fill(J, np.repeat(s0[:, None], len(years), axis=1))
    if rule == "per_capita":
        pop = rin.indicator("population")
        s0 = bau[:, 0] / bau[:, 0].sum()
        span = max(target_year - years[0], 1)
        wgt = np.clip((years - years[0]) / span, 0.0, 1.0)
        shares = (1 - wgt)[None, :] * s0[:, None] + wgt[None, :] * pop / pop.sum(axis=0)
        return _share_fill(J, shares)
    if rule == "gdp_capacity":
        gdp, pop = rin.indicator("gdp_cny"), rin.indicator("population")
        pc = gdp / pop
        avg = gdp.sum(axis=0) / pop.sum(axis=0)
        return _effort_fill(J, bau, pc / avg[None, :])
    if rule == "intensity":
        gdp = rin.indicator("gdp_cny")
        base = bau[:, 0] / gdp[:, 0]
        w = base[:, None] * gdp
        return _share_fill(J, w / w.sum(axis=0))
    if rule == "least_cost":
        if efficient is None:
            raise ValueError("least_cost needs the efficient plan's emissions")
        return np.where(np.isfinite(J)[None, :], efficient, INF)
    raise ValueError(f"unknown allocation rule {rule!r}")


def allocate_budget(rule: str, rin: RegionalInputs, budget: float | None, target_year: int,
                    efficient: np.ndarray | None = None) -> np.ndarray | None:
    """(R,) shares B_r of a joint carbon budget: the rule applied to the budget spread over the
    years in proportion to joint BAU, summed over the years (least_cost: the efficient plan's
    cumulative emissions)."""
    if budget is None:
        return None
    bau = rin.bau_scope
    if rule == "least_cost":
        assert efficient is not None
        return efficient.sum(axis=1)
    tot = bau.sum(axis=0)
    J = budget * tot / tot.sum()
    return allocate(rule, rin, J, target_year).sum(axis=1)


# ---------------------------------------------------------------- one solve, read

@dataclass
class RegionRun:
    """One solve of the joint model. Arrays over regions (R) and optimised years (T)."""

    label: str
    rule: str
    transfers: str
    status: str
    obligation_t: np.ndarray | None = None
    emissions_t: np.ndarray | None = None
    transfer_t: np.ndarray | None = None
    price: np.ndarray | None = None  # start-year CNY per t, per year (NaN without trading)
    cost_cny: np.ndarray | None = None
    payment_cny: np.ndarray | None = None
    solution: Solution | None = None

    @property
    def optimal(self) -> bool:
        """True when the solve found an optimum."""
        return self.status == "optimal"

    @property
    def total_cost_cny(self) -> float:
        """The regions' NPV costs summed, start-year CNY (NaN unless optimal)."""
        return float(self.cost_cny.sum()) if self.optimal else math.nan

    @property
    def net_cost_cny(self) -> np.ndarray:
        """(R,) NPV cost plus transfer payment of each region, start-year CNY."""
        return self.cost_cny + self.payment_cny


def _read(rm: RegionalModel, sol: Solution, label: str, rule: str, transfers: str,
          A: np.ndarray | None, trading: bool) -> RegionRun:
    if sol.status != "optimal":
        return RegionRun(label, rule, transfers, sol.status, obligation_t=A)
    q = rm.transfers(sol).copy()
    scale = np.abs(rm.rin.bau_scope).max(axis=1, keepdims=True)
    q[np.abs(q) <= 1e-9 * scale] = 0.0
    price = rm.transfer_price(sol) if trading else np.full(len(rm.rin.years), np.nan)
    pay = (q * np.nan_to_num(price)[None, :]).sum(axis=1) if trading else np.zeros(len(q))
    return RegionRun(label, rule, transfers, "optimal", A, rm.emissions(sol), q, price,
                     rm.city_costs(sol), pay, sol)


# ---------------------------------------------------------------- the whole analysis

@dataclass
class Agglomeration:
    """Everything `planner run` reports for a region scenario."""

    rin: RegionalInputs
    model: RegionalModel
    joint: RegionRun  # the efficient plan (joint rows on, no obligations)
    scenario_run: RegionRun  # the scenario's rule and transfer setting
    autarky: dict[str, RegionRun] = field(default_factory=dict)  # rule -> no transfers
    traded: dict[str, RegionRun] = field(default_factory=dict)  # rule -> scenario transfers
    coalitions: dict[str, dict[tuple[str, ...], float]] = field(default_factory=dict)
    joint_bounds: dict[str, np.ndarray] = field(default_factory=dict)
    no_target_cost_cny: np.ndarray | None = None
    #: (J, joint budget, target year, efficient emissions) the rules are solved with
    settings: tuple = ()
    #: why the scenario's run is infeasible (None when it is optimal)
    diagnosis: RegionDiagnosis | None = None

    @property
    def names(self) -> list[str]:
        """The region names, in scenario order."""
        return self.rin.names

    @property
    def status(self) -> str:
        """The solver status of the scenario's own run ('optimal', 'infeasible', ...)."""
        return self.scenario_run.status

    @property
    def target_year(self) -> int:
        """The joint target's peak year, or the last reported year when it has none."""
        jt = self.rin.scenario.target.joint
        return jt.peak_year or self.rin.report_end


def _transfer_limits(rin: RegionalInputs, A: np.ndarray, mode: str
                     ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(free per region, |q| limit) for a transfer setting; trading only where A is finite."""
    R = len(rin.names)
    if mode == "none":
        return None, None
    fin = np.isfinite(A)
    if mode == "unlimited":
        return np.ones(R, bool), np.where(fin, INF, 0.0)
    lim = rin.scenario.transfer_limit
    return np.ones(R, bool), np.where(fin, lim * np.abs(np.where(fin, A, 0.0)), 0.0)


def configure_rule(rm: RegionalModel, rule: str, transfers: str, J: np.ndarray,
                   budget: float | None, target_year: int, efficient: np.ndarray | None,
                   coalition: np.ndarray | None = None) -> tuple[np.ndarray, bool]:
    """Set `rule`'s obligations and the transfer setting `transfers` (none | unlimited | limit;
    `coalition`: only these regions may trade, unlimited among themselves) on `rm`; returns
    (A, whether any region may trade)."""
    rin = rm.rin
    A = allocate(rule, rin, J, target_year, efficient)
    B = allocate_budget(rule, rin, budget, target_year,
                        None if efficient is None else efficient)
    rm.set_joint(None)  # obligations imply the joint target (Σ_r A = J)
    rm.set_obligations(A, B)
    if coalition is not None:
        rm.set_transfers(coalition, None)
        return A, bool(coalition.sum() > 1)
    free, lim = _transfer_limits(rin, A, transfers)
    rm.set_transfers(free, lim)
    return A, free is not None


def solve_rule(rm: RegionalModel, rule: str, transfers: str, J: np.ndarray,
               budget: float | None, target_year: int, efficient: np.ndarray | None,
               coalition: np.ndarray | None = None, label: str = "") -> RegionRun:
    """Solve under `rule`'s obligations with transfer setting `transfers` (see
    :func:`configure_rule`)."""
    A, trading = configure_rule(rm, rule, transfers, J, budget, target_year, efficient,
                                coalition)
    sol = rm.solve()
    return _read(rm, sol, label or f"{rule}/{transfers}", rule, transfers, A, trading)


def agglomeration(rin: RegionalInputs, *, rules: tuple[str, ...] | None = None,
                  coalitions: bool = True, diagnose: bool = True) -> Agglomeration:
    """Build the joint model once and solve: the efficient plan, each rule in autarky and with
    the scenario's transfer setting, and the coalition game of each rule. When the scenario's
    own run is infeasible (and `diagnose`), its elastic form explains why."""
    rs = rin.scenario
    rm = RegionalModel(rin)
    nt = rm.no_target
    rm.apply_city_targets()
    years = rin.years
    jt = rs.target.joint
    e0_joint = nt.emissions_t.sum(axis=0) if np.all(np.isfinite(nt.emissions_t)) else None
    jb = joint_bounds(jt, years, rin.report_end, e0_joint)
    J = joint_level(jb)
    budget = jt.carbon_budget_t
    ty = jt.peak_year or rin.report_end
    # the efficient plan: joint rows on, no obligations, transfers free (they do nothing)
    rm.set_obligations(None)
    rm.set_joint(jb)
    rm.set_transfers(np.ones(len(rin.names), bool), None)
    joint = _read(rm, rm.solve(), "joint least cost", "least_cost", "unlimited", None, False)
    if joint.optimal:
        joint.price = _joint_row_price(rm, joint.solution)
    efficient = joint.emissions_t if joint.optimal else None
    mode = rs.transfer_mode
    ag = Agglomeration(rin, rm, joint, joint, joint_bounds=jb,
                       no_target_cost_cny=(rm.city_costs(Solution("optimal", nt.objective_cny,
                                                                  nt.x, np.zeros(0),
                                                                  np.zeros(0), 0, 0))
                                           if np.isfinite(nt.objective_cny) else None))
    for rule in rules or RULES:
        if rule == "least_cost" and efficient is None:
            continue
        if rule != rs.allocation and rule in ("per_capita", "gdp_capacity", "intensity") and \
                any(inp.indicators is None for inp in rin.cities.values()):
            continue
        ag.autarky[rule] = solve_rule(rm, rule, "none", J, budget, ty, efficient)
        ag.traded[rule] = solve_rule(rm, rule, mode, J, budget, ty, efficient)
        if coalitions and ag.autarky[rule].optimal:
            ag.coalitions[rule] = coalition_costs(rm, rule, J, budget, ty, efficient)
    ag.scenario_run = ag.traded.get(rs.allocation) or solve_rule(
        rm, rs.allocation, mode, J, budget, ty, efficient)
    ag.settings = (J, budget, ty, efficient)
    if not ag.scenario_run.optimal and diagnose:
        use_scenario_run(ag)
        ag.diagnosis = diagnose_regions(rm)
    return ag


def use_scenario_run(ag: Agglomeration) -> None:
    """Put the scenario's rule and transfer setting back on the model (after other solves)."""
    rs = ag.rin.scenario
    configure_rule(ag.model, rs.allocation, rs.transfer_mode, *ag.settings)


def _joint_row_price(rm: RegionalModel, sol: Solution) -> np.ndarray:
    """(T,) the efficient plan's joint price: −Σ duals of the annual joint rows, and the budget
    row's dual spread over every year; start-year CNY per t."""
    p = np.zeros(len(rm.rin.years))
    for name in ("joint_emissions_cap", "joint_cap_path", "joint_peak_level"):
        p -= sol.row_dual[rm.layout.rows_of(name)]
    p -= sol.row_dual[rm.layout.rows_of("joint_carbon_budget")][0]
    return p + 0.0


def coalition_costs(rm: RegionalModel, rule: str, J: np.ndarray, budget: float | None,
                    ty: int, efficient: np.ndarray | None) -> dict[tuple[str, ...], float]:
    """Total cost (all regions, CNY) when the regions of each coalition trade freely among
    themselves and every other region meets its own obligation; key: the coalition's names
    (the 2^n − 1 non-empty coalitions; singletons are autarky). NaN: infeasible."""
    names = rm.names
    out: dict[tuple[str, ...], float] = {}
    for k in range(1, len(names) + 1):
        for members in itertools.combinations(range(len(names)), k):
            mask = np.zeros(len(names), bool)
            mask[list(members)] = True
            run = solve_rule(rm, rule, "coalition", J, budget, ty, efficient, coalition=mask)
            out[tuple(names[i] for i in members)] = run.total_cost_cny
    return out


def shapley(names: list[str], autarky: np.ndarray, cost: dict[tuple[str, ...], float]
            ) -> tuple[float, np.ndarray, bool]:
    """(total gain, Shapley shares, in the core) of the game v(S) = Σ_{r∈S} autarky_r −
    (cost(S) − Σ_{r∉S} autarky_r), i.e. what coalition S saves by trading inside itself."""
    n = len(names)
    total_aut = float(np.sum(autarky))

    def v(members: tuple[int, ...]) -> float:
        if not members:
            return 0.0
        return total_aut - cost[tuple(names[i] for i in members)]

    phi = np.zeros(n)
    for i in range(n):
        others = [j for j in range(n) if j != i]
        for k in range(n):
            wgt = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
            for S in itertools.combinations(others, k):
                with_i = tuple(sorted((*S, i)))
                phi[i] += wgt * (v(with_i) - v(S))
    grand = v(tuple(range(n)))
    tol = REL_TOL * max(1.0, float(np.abs(autarky).max()))
    core = all(phi[list(S)].sum() >= v(S) - tol
               for k in range(1, n + 1) for S in itertools.combinations(range(n), k))
    return grand, phi, core


# ---------------------------------------------------------------- tables

def _reported(rin: RegionalInputs) -> np.ndarray:
    return np.asarray(rin.years) <= rin.report_end


def region_summary(ag: Agglomeration) -> pd.DataFrame:
    """Per rule and city: obligation, emissions, domestic abatement, NPV cost, marginal cost,
    transfers, payment at the joint price, net cost, autarky cost, gain against autarky.

    Tonnes in the target year (`*_target_year_t`) and summed over the reported years
    (`*_total_t`); money NPV (CNY at the start of the start year); the marginal cost is the
    city's carbon price in the target year (CNY of that year per t)."""
    rin = ag.rin
    rep = _reported(rin)
    iy = rin.years.index(ag.target_year)
    bau = rin.bau_scope
    rows: list[dict[str, Any]] = []
    for rule, run in ag.traded.items():
        aut = ag.autarky[rule]
        prices = _city_prices(ag.model, run) if run.optimal else None
        for j, r in enumerate(rin.names):
            A = run.obligation_t[j] if run.obligation_t is not None else None
            row: dict[str, Any] = {
                "rule": rule, "transfers": run.transfers, "region": r, "status": run.status,
                "obligation_target_year_t": A[iy] if A is not None and np.isfinite(A[iy])
                else np.nan,
                "obligation_total_t": float(A[rep].sum()) if A is not None
                and np.isfinite(A[rep]).all() else np.nan,
            }
            if run.optimal:
                e = run.emissions_t[j]
                row |= {
                    "emissions_target_year_t": e[iy],
                    "emissions_total_t": float(e[rep].sum()),
                    "domestic_abatement_total_t": float((bau[j] - e)[rep].sum()),
                    "cost_cny": run.cost_cny[j],
                    "marginal_cost_cny_per_t": prices[j, iy],
                    "transfers_target_year_t": run.transfer_t[j, iy],
                    "transfers_total_t": float(run.transfer_t[j][rep].sum()),
                    "transfer_payment_cny": run.payment_cny[j],
                    "net_cost_cny": run.net_cost_cny[j],
                }
            if aut.optimal:
                row["autarky_cost_cny"] = aut.cost_cny[j]
                if run.optimal:
                    row["gain_vs_autarky_cny"] = aut.cost_cny[j] - run.net_cost_cny[j]
            rows.append(row)
    cols = ["rule", "transfers", "region", "status", "obligation_target_year_t",
            "obligation_total_t", "emissions_target_year_t", "emissions_total_t",
            "domestic_abatement_total_t", "cost_cny", "marginal_cost_cny_per_t",
            "transfers_target_year_t", "transfers_total_t", "transfer_payment_cny",
            "net_cost_cny", "autarky_cost_cny", "gain_vs_autarky_cny"]
    return pd.DataFrame(rows).reindex(columns=cols)


def _city_prices(rm: RegionalModel, run: RegionRun) -> np.ndarray:
    """(R, T) each city's carbon price: dual of its emissions_balance / w(t), CNY of year t."""
    w = rm.rin.weights
    return np.vstack([run.solution.row_dual[rm.region_rows(r, "emissions_balance")] / w + 0.0
                      for r in rm.names])


def transfers_table(ag: Agglomeration) -> pd.DataFrame:
    """Per city and year of the scenario's run: obligation, emissions, transfer (> 0 bought),
    the joint price (CNY of year t per t) and the payment (CNY of year t)."""
    run = ag.scenario_run
    rin = ag.rin
    rep = _reported(rin)
    years = np.asarray(rin.years)[rep]
    if not run.optimal:
        return pd.DataFrame(columns=["region", "year", "obligation_t", "emissions_t",
                                     "transfer_t", "price_cny_per_t", "payment_cny"])
    w = rin.weights[rep]
    price = run.price[rep] / w if run.price is not None else np.full(len(years), np.nan)
    frames = []
    for j, r in enumerate(rin.names):
        q = run.transfer_t[j][rep]
        A = run.obligation_t[j][rep]
        frames.append(pd.DataFrame({
            "region": r, "year": years, "obligation_t": np.where(np.isfinite(A), A, np.nan),
            "emissions_t": run.emissions_t[j][rep], "transfer_t": q,
            "price_cny_per_t": price, "payment_cny": q * np.nan_to_num(price)}))
    return pd.concat(frames, ignore_index=True)


def coordination_gains(ag: Agglomeration) -> pd.DataFrame:
    """Per rule and city: autarky cost, the joint (grand-coalition) cost, the total gain of
    coordination (Σ autarky − joint), the city's Shapley share, and whether the Shapley split
    is in the core (every coalition gets at least what it could save on its own)."""
    rows = []
    for rule, cost in ag.coalitions.items():
        aut = ag.autarky[rule].cost_cny
        total, phi, core = shapley(ag.names, aut, cost)
        grand = cost[tuple(ag.names)]
        for j, r in enumerate(ag.names):
            rows.append({"rule": rule, "region": r, "autarky_cost_cny": aut[j],
                         "joint_cost_cny": grand, "coordination_gain_cny": total,
                         "shapley_share_cny": phi[j], "in_core": core})
    return pd.DataFrame(rows, columns=["rule", "region", "autarky_cost_cny", "joint_cost_cny",
                                       "coordination_gain_cny", "shapley_share_cny", "in_core"])


def coalition_table(ag: Agglomeration) -> pd.DataFrame:
    """Every coalition's total cost and gain against autarky, per rule."""
    rows = []
    for rule, cost in ag.coalitions.items():
        aut = float(ag.autarky[rule].cost_cny.sum())
        for members, c in cost.items():
            rows.append({"rule": rule, "coalition": "+".join(members), "size": len(members),
                         "total_cost_cny": c, "gain_cny": aut - c})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- per-city results

def city_prices(ag: Agglomeration, one_sided: bool = True) -> dict[str, pd.DataFrame]:
    """Each city's carbon price in the scenario's run, as :func:`planner.results.carbon_prices`
    gives one city's: the dual of its emissions_balance / w(t), and with `one_sided` the
    one-sided values where HiGHS's ranging does not show the dual unique (the city's BAU ± δ
    re-solved in the joint model). Empty when the run is not optimal."""
    if not ag.scenario_run.optimal:
        return {}
    rm = ag.model
    use_scenario_run(ag)
    sol = rm.solve()  # the run again: its basis for ranging and the ± δ re-solves
    return {r: carbon_prices(RegionPriceView(rm, r), sol, one_sided=one_sided)
            for r in ag.names}


def city_results(ag: Agglomeration, run: RegionRun | None = None, *,
                 one_sided_prices: bool = True) -> dict[str, Result]:
    """Each city's single-city :class:`Result` of a joint run (its slice of the joint
    solution): emissions (with the shared projects' abatement), deployment, prices (one-sided
    where the dual is not unique, for the scenario's own run), duals."""
    run = run or ag.scenario_run
    rm = ag.model
    out: dict[str, Result] = {}
    priced = city_prices(ag, one_sided_prices) if run is ag.scenario_run else {}
    for j, r in enumerate(ag.names):
        inp = rm.rin.cities[r]
        res = Result(inputs=inp, status=run.status, solve_seconds=0.0, solver="HiGHS (joint)")
        if ag.no_target_cost_cny is not None:
            res.no_target_objective_cny = float(ag.no_target_cost_cny[j])
        if not run.optimal:
            out[r] = res
            continue
        view = rm.city_view(r)
        sol = rm.city_solution(run.solution, r, float(run.cost_cny[j]))
        res.objective_cny = float(run.cost_cny[j])
        full = tables(view, sol)
        shared = rm.shared_abatement(run.solution)[j]
        em = full["emissions"]
        em["shared_abatement_t"] = shared
        em["abatement_t"] = em["abatement_t"] + shared
        em["emissions_t"] = run.emissions_t[j]
        res.duals = dual_table(view, sol)
        res.reduced_costs = reduced_cost_table(view, sol)
        dual = sol.row_dual[view.layout.rows_of("emissions_balance")]
        p = dual / inp.weights + 0.0
        prices = priced.get(r)
        if prices is None:
            prices = pd.DataFrame({"year": inp.years, "price_cny_per_t": p,
                                   "price_low_cny_per_t": p, "price_high_cny_per_t": p,
                                   "dual_unique": pd.NA})
        res.headlines = {"achieved_peak_year": achieved_peak_year(inp.years, em["emissions_t"]
                                                                  .to_numpy())}
        if np.isfinite(res.no_target_objective_cny):
            res.headlines["target_cost_cny"] = res.objective_cny - res.no_target_objective_cny
        for name, df in cut_to_reported(inp, {**full, "carbon_price": prices,
                                              "reduced_costs": res.reduced_costs}).items():
            setattr(res, name, df)
        out[r] = res
    return out


def whole_emissions(ag: Agglomeration, run: RegionRun | None = None) -> pd.DataFrame:
    """The agglomeration's emissions per year: BAU, emissions, the joint level, the no-target
    plan (sums over the cities), tCO2, reported years."""
    run = run or ag.scenario_run
    rin = ag.rin
    rep = _reported(rin)
    J = joint_level(ag.joint_bounds)
    nt = ag.model.no_target.emissions_t.sum(axis=0)
    df = pd.DataFrame({"year": np.asarray(rin.years)[rep],
                       "bau_t": rin.bau_scope.sum(axis=0)[rep],
                       "emissions_t": run.emissions_t.sum(axis=0)[rep] if run.optimal
                       else np.nan,
                       "cap_t": np.where(np.isfinite(J), J, np.nan)[rep],
                       "no_target_t": nt[rep]})
    df["abatement_t"] = df["bau_t"] - df["emissions_t"]
    return df


def compare_rules(ag: Agglomeration) -> pd.DataFrame:
    """One row per allocation rule: total cost with and without transfers, the coordination
    gain, and the spread of the cities' net costs."""
    rows = []
    for rule, run in ag.traded.items():
        aut = ag.autarky[rule]
        rows.append({"rule": rule, "transfers": run.transfers,
                     "autarky_cost_cny": aut.total_cost_cny,
                     "cost_with_transfers_cny": run.total_cost_cny,
                     "joint_least_cost_cny": ag.joint.total_cost_cny,
                     "gain_cny": aut.total_cost_cny - run.total_cost_cny,
                     **{f"net_cost_{r}_cny": (run.net_cost_cny[j] if run.optimal else np.nan)
                        for j, r in enumerate(ag.names)}})
    return pd.DataFrame(rows)


__all__ = ["Agglomeration", "RegionRun", "agglomeration", "allocate", "allocate_budget",
           "city_prices", "city_results", "coalition_table", "compare_rules", "configure_rule",
           "coordination_gains", "region_summary", "shapley", "transfers_table",
           "use_scenario_run", "whole_emissions"]
