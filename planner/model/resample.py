"""Re-solve a built model under new coefficient values: the fast path of Monte Carlo runs.

A :class:`Resampler` wraps a built :class:`planner.model.persistent.PlanningModel` (cost
objective) and changes, in its HiGHS session, what depends on the sampled inputs — costs,
abatement, BAU and the discount rate — without rebuilding the Pyomo model:

- objective: capex_coeff[p,t] on build[p,t] and opex_coeff[p,t] on stock[p,t]
  (:func:`planner.model.formulation.cost_coefficients`, here in numpy);
- matrix: a[p,t] on stock[p,t] in emissions_balance[t] and sector_floor[s,t], −a[p,t] in
  sector_cap[s,t], capex[p,t] on build[p,t] in investment_budget[t] (when that row binds
  at all, i.e. has a finite bound);
- row bounds: emissions_balance[t] = Σ_s BAU[s,t], sector_floor[s,t] ≤ BAU[s,t],
  sector_cap[s,t] ≤ cap − BAU[s,t].

Coefficients go through the compiled LP's scaling (column scale s_j, row scale r_i, objective
scale `money`), which stays that of the model as built. At construction the Resampler
recomputes every coefficient it owns from the model's own inputs and compares it with the
compiled LP; a mismatch (a formulation it does not know) raises :class:`ResampleUnsupported`,
so callers fall back to rebuilding. Inputs of another structure (projects, years, sectors,
limits, target, budget, the set of sector-floor rows) raise :class:`StructureChanged`.

After an update the Pyomo model's ``bau_total`` parameters follow the new BAU; other
coefficients live only in HiGHS (and in ``pm.inp``, which is replaced by the new inputs).
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from planner.model.catalogue import TARGET_ROWS as TARGET_CONSTRAINTS
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel

INF = math.inf
#: project columns that must not change between samples
STATIC_COLUMNS = ("sector", "max_units", "max_build_per_year", "earliest_year",
                  "lifetime_years", "exclusive_group", "fixed_om_cny_per_unit_year",
                  "so2_t_per_unit_year", "nox_t_per_unit_year", "pm25_t_per_unit_year")


class StructureChanged(ValueError):
    """The new inputs need another model structure: rebuild instead."""


class ResampleUnsupported(RuntimeError):
    """The compiled LP does not have the coefficients this module expects."""


def cost_arrays(inp: ModelInputs) -> tuple[np.ndarray, np.ndarray]:
    """(capex_coeff, opex_coeff), project x year arrays in start-year CNY per unit; the same
    formulas as :func:`planner.model.formulation.cost_coefficients`, vectorised."""
    proj = inp.projects
    credit = inp.cobenefit_credit().reindex(proj.index).to_numpy(dtype=float)
    om = proj["fixed_om_cny_per_unit_year"].to_numpy(dtype=float)
    return cost_coefficients_np(inp.rate, inp.years, proj["lifetime_years"].to_numpy(dtype=int),
                                inp.capex.to_numpy(dtype=float),
                                inp.savings.to_numpy(dtype=float), om - credit)


def cost_coefficients_np(rate: float, years: list[int], L: np.ndarray, capex: np.ndarray,
                         savings: np.ndarray, om_net: np.ndarray
                         ) -> tuple[np.ndarray, np.ndarray]:
    """capex_coeff[p,t] = capex[p,t]·CRF_p·Σ_{u=t}^{min(t+L_p−1, end)} df(u);
    opex_coeff[p,t] = df(t)·(om_net_p − savings[p,t]), om_net = fixed O&M − co-benefit credit
    (per unit; arrays project x year)."""
    t = np.asarray(years, dtype=float)
    df = (1.0 + rate) ** -(t - t[0])
    if rate == 0:
        crf = 1.0 / L
    else:
        g = (1.0 + rate) ** L.astype(float)
        crf = rate * g / (g - 1.0)
    cum = np.concatenate([[0.0], np.cumsum(df)])  # cum[k] = Σ df of the first k years
    first = np.arange(len(t))[None, :]
    last = np.minimum(first + L[:, None] - 1, len(t) - 1)
    capex_c = capex * crf[:, None] * (cum[last + 1] - cum[first])
    opex_c = df[None, :] * (om_net[:, None] - savings)
    return capex_c, opex_c


def same_structure(a: ModelInputs, b: ModelInputs) -> bool:
    """Whether one built model serves both inputs (projects and their limits, years, sectors,
    target, budget, indicators, the sign pattern of BAU; BAU of capped sectors without
    projects). Cheap when `b` was derived from `a` by :func:`dataclasses.replace`."""
    pa, pb = a.projects, b.projects
    if pa is not pb and not (pa.index.equals(pb.index)
                             and pa[list(STATIC_COLUMNS)].equals(pb[list(STATIC_COLUMNS)])):
        return False
    sa, sb = a.scenario, b.scenario
    if (a.years != b.years or list(a.bau.index) != list(b.bau.index)
            or sa.target != sb.target or sa.budget != sb.budget
            or sa.cobenefit_value_cny_per_t != sb.cobenefit_value_cny_per_t):
        return False
    if a.indicators is not b.indicators and not (
            a.indicators is not None and b.indicators is not None
            and a.indicators.equals(b.indicators)):
        return False
    ba, bb = a.bau.to_numpy(dtype=float), b.bau.to_numpy(dtype=float)
    if not np.array_equal(ba > 0, bb > 0):
        return False
    sectors = set(pa["sector"])
    for s in sa.target.sector_cap_t:
        if s not in sectors and not np.array_equal(a.bau.loc[s].to_numpy(),
                                                   b.bau.loc[s].to_numpy()):
            return False
    return True


class Resampler:
    """Changes a built model's HiGHS coefficients for new inputs of the same structure (the
    cost model, or the elastic model minimising the shortfall, whose objective is fixed)."""

    def __init__(self, pm: PlanningModel) -> None:
        if not hasattr(pm, "mode"):
            raise ResampleUnsupported("not yet ported to the vectorised model: samples rebuild")
        cost_model = pm.session.objective == "obj_cost" and not pm.mode.elastic
        shortfall_model = pm.session.objective == "obj_shortfall" and pm.mode.elastic
        if pm.mode.min_peak or not (cost_model or shortfall_model):
            raise ResampleUnsupported("only the cost model and the elastic model's shortfall "
                                      "phase can be resampled")
        #: whether the objective follows the inputs (the shortfall objective does not)
        self.costs = cost_model
        self.pm = pm
        lp, m, inp = pm.lp, pm.m, pm.inp
        self.base = inp
        P, years = list(inp.projects.index), inp.years
        nP, nT = len(P), len(years)
        self.nP, self.nT = nP, nT

        def col(v) -> int:
            return lp.col_of.get(id(v), -1)

        def row(c) -> int:
            return lp.row_of.get(id(c), -1)

        self.build_col = np.array([[col(m.build[p, t]) for t in years] for p in P])
        self.stock_col = np.array([[col(m.stock[p, t]) for t in years] for p in P])
        self.em_col = np.array([col(m.emissions[t]) for t in years])
        if (self.build_col < 0).any() or (self.stock_col < 0).any() or (self.em_col < 0).any():
            raise ResampleUnsupported("a project or emissions variable is not in the LP")
        sec_of = inp.projects["sector"].to_numpy()
        spos = {s: i for i, s in enumerate(inp.sectors)}

        # matrix entries: (row, col, table, flat index p*nT+t, sign)
        rows, cols, src, flat, sign = [], [], [], [], []

        def add(i: int, p: int, t: int, table: str, sgn: float) -> None:
            rows.append(i)
            cols.append(self.stock_col[p, t] if table == "a" else self.build_col[p, t])
            src.append(table)
            flat.append(p * nT + t)
            sign.append(sgn)

        self.eb_row = np.array([row(m.emissions_balance[t]) for t in years])
        for k in range(nT):
            for p in range(nP):
                add(self.eb_row[k], p, k, "a", 1.0)
        floor = [(i, spos[s], years.index(t)) for (s, t), c in m.sector_floor.items()
                 if (i := row(c)) >= 0]
        cap_rows = [(i, spos[s], years.index(t), c) for (s, t), c in m.sector_cap.items()
                    if (i := row(c)) >= 0]
        for i, s, k in floor:
            for p in np.flatnonzero(sec_of == inp.sectors[s]):
                add(i, p, k, "a", 1.0)
        for i, s, k, _ in cap_rows:
            for p in np.flatnonzero(sec_of == inp.sectors[s]):
                add(i, p, k, "a", -1.0)
        for k, t in enumerate(years):
            i = row(m.investment_budget[t])
            if i >= 0 and (math.isfinite(lp.row_ub[i]) or math.isfinite(lp.row_lb[i])):
                for p in range(nP):
                    add(i, p, k, "capex", 1.0)
        self.rows = np.array(rows, dtype=np.int32)
        self.cols = np.array(cols, dtype=np.int32)
        self.is_a = np.array([s == "a" for s in src])
        self.flat = np.array(flat, dtype=np.int64)
        self.sign = np.array(sign)
        self.floor = np.array([(i, s, k) for i, s, k in floor], dtype=np.int64).reshape(-1, 3)
        self.caps = np.array([(i, s, k) for i, s, k, _ in cap_rows],
                             dtype=np.int64).reshape(-1, 3)
        self.cap_value = np.array([float(pyo.value(c.upper)) for *_, c in cap_rows])

        # target rows: their bounds as built, to switch the target off and on
        self.target_rows = np.array(sorted(
            i for name in TARGET_CONSTRAINTS if (comp := m.component(name)) is not None
            for c in comp.values() if (i := row(c)) >= 0), dtype=np.int32)
        self.money = lp.money["obj_cost"]
        # static per-project values of the cost coefficients (same_structure keeps them fixed)
        self.L = inp.projects["lifetime_years"].to_numpy(dtype=int)
        self.om_net = (inp.projects["fixed_om_cny_per_unit_year"].to_numpy(dtype=float)
                       - inp.cobenefit_credit().reindex(inp.projects.index).to_numpy(dtype=float))
        self.cost = lp.costs["obj_cost"].copy()
        lp.costs["obj_cost"] = self.cost  # set_objective("obj_cost") must see new costs
        self.row_lb = lp.row_lb.copy()
        self.row_ub = lp.row_ub.copy()
        self.values = np.zeros(len(self.rows))
        self._check(inp)
        self.values = self._matrix_values(inp)

    # ------------------------------------------------------------ coefficients
    def _matrix_values(self, inp: ModelInputs) -> np.ndarray:
        lp = self.pm.lp
        a = inp.abatement.to_numpy(dtype=float).ravel()
        capex = inp.capex.to_numpy(dtype=float).ravel()
        raw = np.where(self.is_a, a[self.flat], capex[self.flat]) * self.sign
        return raw * lp.col_scale[self.cols] / lp.row_scale[self.rows]

    def _objective(self, inp: ModelInputs) -> np.ndarray:
        capex_c, opex_c = cost_coefficients_np(inp.rate, inp.years, self.L,
                                               inp.capex.to_numpy(dtype=float),
                                               inp.savings.to_numpy(dtype=float), self.om_net)
        s = self.pm.lp.col_scale
        cost = self.cost.copy()
        cost[self.build_col.ravel()] = capex_c.ravel() * s[self.build_col.ravel()] / self.money
        cost[self.stock_col.ravel()] = opex_c.ravel() * s[self.stock_col.ravel()] / self.money
        return cost

    def _bounds(self, inp: ModelInputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows, lower, upper) of the rows whose bounds follow BAU, scaled."""
        r = self.pm.lp.row_scale
        bau = inp.bau.to_numpy(dtype=float)
        total = bau.sum(axis=0)
        idx = [self.eb_row]
        lo = [total / r[self.eb_row]]
        hi = [total / r[self.eb_row]]
        if len(self.floor):
            i, s, k = self.floor.T
            idx.append(i)
            lo.append(np.full(len(i), -INF))
            hi.append(bau[s, k] / r[i])
        if len(self.caps):
            i, s, k = self.caps.T
            idx.append(i)
            lo.append(np.full(len(i), -INF))
            hi.append((self.cap_value - bau[s, k]) / r[i])
        return (np.concatenate(idx).astype(np.int32), np.concatenate(lo), np.concatenate(hi))

    def _check(self, inp: ModelInputs) -> None:
        """The coefficients recomputed from the model's own inputs equal the compiled LP's."""
        lp = self.pm.lp
        coo = lp.A.tocoo()
        have = dict(zip(zip(coo.row.tolist(), coo.col.tolist(), strict=True),
                        coo.data.tolist(), strict=True))
        mine = self._matrix_values(inp)
        got = np.array([have.get((int(i), int(j)), 0.0) for i, j in
                        zip(self.rows, self.cols, strict=True)])
        cost = self._objective(inp)
        idx, lo, hi = self._bounds(inp)
        checks = {"matrix": (mine, got), "row lower bounds": (lo, lp.row_lb[idx]),
                  "row upper bounds": (hi, lp.row_ub[idx])}
        if self.costs:
            checks["objective"] = (cost, lp.costs["obj_cost"])
        for what, (x, y) in checks.items():
            if not np.allclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True):
                raise ResampleUnsupported(f"recomputed {what} differ from the compiled LP")

    # ------------------------------------------------------------ changes
    def update(self, inp: ModelInputs) -> None:
        """Give the model the coefficients of `inp` (same structure as the built inputs)."""
        if not same_structure(self.base, inp):
            raise StructureChanged("the inputs need another model structure")
        h = self.pm.session.h
        new = self._matrix_values(inp)
        changed = np.flatnonzero(new != self.values)
        for k in changed:
            h.changeCoeff(int(self.rows[k]), int(self.cols[k]), float(new[k]))
        self.values = new
        if self.costs:
            cost = self._objective(inp)
            self.cost[:] = cost
            h.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
        idx, lo, hi = self._bounds(inp)
        self.row_lb[idx] = lo
        self.row_ub[idx] = hi
        h.changeRowsBounds(len(idx), idx, lo, hi)
        self.pm.lp.row_lb[idx] = lo
        self.pm.lp.row_ub[idx] = hi
        param = self.pm.m.bau_total
        for t, v in zip(inp.years, inp.bau.to_numpy(dtype=float).sum(axis=0).tolist(),
                        strict=True):
            param[t] = v
        self.pm.inp = inp

    def targets(self, on: bool) -> None:
        """Switch every target row off (free) or back on (the bounds of the current inputs)."""
        i = self.target_rows
        if not len(i):
            return
        if on:
            lo, hi = self.row_lb[i], self.row_ub[i]
        else:
            lo, hi = np.full(len(i), -INF), np.full(len(i), INF)
        self.pm.session.h.changeRowsBounds(len(i), i, lo, hi)


__all__ = ["Resampler", "ResampleUnsupported", "StructureChanged", "cost_arrays",
           "cost_coefficients_np", "same_structure"]
