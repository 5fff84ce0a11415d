"""New values of the sampled tables, passed to a built model without formulating it again.

Monte Carlo samples change capex, savings, abatement, BAU and the discount rate, never the
model's structure. :class:`ValueMap` records once, per built model, where these values enter the
matrix (CSR positions of the terms in ``_SAMPLED_TERMS``), the obj_cost vector and the
right-hand sides of emissions_balance and sector_floor; :meth:`ValueMap.compute` then makes the
arrays HiGHS needs from :class:`SampledValues` with a few numpy operations, and the inputs,
layout and matrix of the sample only when something asks for them (:meth:`ValueMap.inputs_of`,
:meth:`ValueMap.layout_of`). The map is checked against the full formulation of perturbed
inputs before it is used.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import sparse

from planner.model.blocks import Layout, RowBlock, Term
from planner.model.finance import annuity_weights, crf_array, flow_weights
from planner.model.formulation import fixed_cost_coeff, formulate
from planner.model.inputs import ModelInputs

#: matrix terms whose coefficients are sampled input arrays: (row family, variable) ->
#: (source array, sign); the map is checked against the full formulation before it is used
_SAMPLED_TERMS = {
    ("emissions_balance", "stock"): ("abatement", 1.0),
    ("sector_floor", "stock"): ("abatement", 1.0),
    ("sector_cap", "stock"): ("abatement", -1.0),
    ("investment_budget", "build"): ("capex", 1.0),
    ("cost_limit", "build"): ("capex_coeff", 1.0),
    ("cost_limit", "stock"): ("opex_coeff", 1.0),
    ("cost_limit", "choose"): ("fixed_cost", 1.0),
}
SAMPLED_TABLES = ("capex", "savings", "abatement", "bau")
_SAME_OBJECTS = ("projects", "dataset", "indicators", "fixed_build", "fixed_choice")
_STATIC_PROPERTIES = ("lumpy", "all_or_nothing", "free_choice", "integer_build", "gross_sectors",
                      "scope_sectors", "in_scope")


class SampledValues:
    """The inputs `base` with new values of the sampled tables (numpy arrays of the shape of
    the base tables, in their units; None: the base table) and discount rate (None: the base
    rate). The :class:`ModelInputs` they make are built on first use of :meth:`inputs`."""

    def __init__(self, base: ModelInputs, tables: dict[str, np.ndarray] | None = None,
                 rate: float | None = None, *, inputs: ModelInputs | None = None) -> None:
        self.base = base
        self.tables = dict(tables or {})
        unknown = set(self.tables) - set(SAMPLED_TABLES)
        if unknown:
            raise ValueError(f"not a sampled table: {sorted(unknown)}")
        self.rate = base.rate if rate is None else float(rate)
        self._inputs = inputs

    def table(self, name: str) -> np.ndarray:
        """The values of table `name` (the base table's when not sampled)."""
        got = self.tables.get(name)
        return getattr(self.base, name).to_numpy(dtype=float) if got is None else got

    def inputs(self) -> ModelInputs:
        """The base inputs with these values (built once)."""
        if self._inputs is None:
            base = self.base
            changes: dict = {}
            for k, a in self.tables.items():
                old = getattr(base, k)
                changes[k] = pd.DataFrame(a, index=old.index, columns=old.columns, copy=False)
            if self.rate != base.rate:
                changes["scenario"] = base.scenario.model_copy(
                    update={"discount_rate": self.rate})
            self._inputs = replace(base, **changes)
        return self._inputs


@dataclass
class Sample:
    """What one sample's values make in a built model (original units): the CSR data of the
    matrix, the coefficient of every sampled term, the emissions_balance right-hand side, the
    sector_floor upper bounds and the obj_cost vector by variable; the finance arrays the
    inputs cache."""

    values: SampledValues
    capex_coeff: np.ndarray
    weights: np.ndarray
    opex: np.ndarray
    data: np.ndarray
    coefs: list[np.ndarray]
    rhs: np.ndarray
    floor_ub: np.ndarray
    cost: dict[str, np.ndarray]


class ValueMap:
    """Where capex, savings, abatement, BAU and the discount rate enter a built model's layout
    (see the module docstring)."""

    def __init__(self, inp: ModelInputs, lay: Layout, A: sparse.csr_array) -> None:
        """`inp`, `lay`, `A`: a built model's inputs, layout and matrix (original units)."""
        self.base, self.base_layout, self.A = inp, lay, A
        self.years = list(inp.years)
        self.start = inp.start
        cols = list(inp.bau.columns)
        self.bau_years = np.array([cols.index(y) for y in self.years])
        self.scope_rows = np.array([list(inp.bau.index).index(s) for s in inp.scope_sectors],
                                   dtype=int)
        self.positive = inp.bau.to_numpy(float) > 0
        self.lifetimes = inp.projects["lifetime_years"].to_numpy(int)
        om = inp.projects["fixed_om_cny_per_unit_year"].to_numpy(float)
        self.running = om - inp.cobenefit_credit().to_numpy(float)
        self.fixed_costs = len(inp.all_or_nothing) > 0
        sec = list(inp.bau.index)
        fl = lay.rows["sector_floor"].index
        self.floor_at = (np.array([sec.index(s) for s in fl.get_level_values(0)], dtype=int),
                         np.array([cols.index(y) for y in fl.get_level_values(1)], dtype=int))
        self.floor_lb = lay.rows["sector_floor"].lb
        keys = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr)) * A.shape[1] + A.indices
        self.terms: list[tuple[str, int, str, float, np.ndarray, np.ndarray]] = []
        for name, rb in lay.rows.items():
            for k, term in enumerate(rb.terms):
                src = _SAMPLED_TERMS.get((name, term.var))
                if src is None:
                    continue
                key = ((term.row + lay.row_offset[name]) * A.shape[1]
                       + term.col + lay.col_offset[term.var])
                pos = np.searchsorted(keys, key)
                self.terms.append((name, k, src[0], src[1], pos, term.col))
        self.bounds = lay.bounds()  # (col_lb, col_ub, row_lb, row_ub), original units
        self.rows = (lay.rows_of("emissions_balance"), lay.rows_of("sector_floor"))
        self._rates: dict[float, tuple] = {}

    @classmethod
    def build(cls, inp: ModelInputs, lay: Layout, A: sparse.csr_array,
              is_mip: bool) -> ValueMap | bool:
        """The map of a built model (its inputs, layout, matrix), or False when the model is not
        one it covers (a MIP, sector caps on sectors without projects) or the map does not
        reproduce the full formulation of perturbed inputs (the formulation changed: every
        update then formulates in full)."""
        tg = inp.scenario.target
        if is_mip or set(tg.sector_cap_t) - set(inp.projects["sector"]):
            return False
        try:
            vm = cls(inp, lay, A)
        except (KeyError, ValueError):  # a year or sector the tables do not have
            return False
        rng = np.random.default_rng(0)

        def shake(df: pd.DataFrame, w: float) -> pd.DataFrame:
            return df * (1.0 + w * rng.uniform(-1.0, 1.0, size=df.shape))

        probe = replace(inp, capex=shake(inp.capex, 0.2), savings=shake(inp.savings, 0.2),
                        abatement=shake(inp.abatement, 0.2), bau=shake(inp.bau, 0.01),
                        scenario=inp.scenario.model_copy(
                            update={"discount_rate": inp.rate * 1.3 + 0.01}))
        got, ref = vm.layout(probe), formulate(probe)
        if got is None:
            return False
        lay, A = got
        B = ref.matrix()

        def close(a: np.ndarray, b: np.ndarray) -> bool:
            return a.shape == b.shape and np.allclose(a, b, rtol=1e-12, atol=0.0)

        ok = (np.array_equal(A.indptr, B.indptr) and np.array_equal(A.indices, B.indices)
              and close(A.data, B.data)
              and all(close(x, y) for x, y in zip(lay.bounds(), ref.bounds(), strict=True))
              and list(lay.objectives) == list(ref.objectives)
              and all(close(lay.objective(k), ref.objective(k)) for k in ref.objectives))
        return vm if ok else False

    # ------------------------------------------------------------ inputs -> values
    def _same_static(self, inp: ModelInputs) -> bool:
        base = self.base
        if any(getattr(inp, k) is not getattr(base, k) for k in _SAME_OBJECTS):
            return False
        a, b = dict(inp.scenario.__dict__), dict(base.scenario.__dict__)
        a.pop("discount_rate", None)
        b.pop("discount_rate", None)
        if a != b:
            return False
        for k in SAMPLED_TABLES:
            new, old = getattr(inp, k), getattr(base, k)
            for x, y in ((new.index, old.index), (new.columns, old.columns)):
                if x is not y and not x.equals(y):
                    return False
        return True

    def values_of(self, inp: ModelInputs) -> SampledValues | None:
        """`inp` as sampled values of the built inputs, or None when it differs from them in
        more than the sampled tables and the discount rate."""
        if not self._same_static(inp):
            return None
        return SampledValues(self.base, {k: getattr(inp, k).to_numpy(float)
                                         for k in SAMPLED_TABLES}, inp.rate, inputs=inp)

    # ------------------------------------------------------------ values -> model arrays
    def compute(self, v: SampledValues) -> Sample | None:
        """The model arrays of sampled values `v`, or None when their BAU changes sign
        somewhere (another structure)."""
        if v.base is not self.base:
            raise ValueError("sampled values of other inputs than the model's")
        bau = v.table("bau")
        if not np.array_equal(bau > 0, self.positive):
            return None
        rate = v.rate
        capex = v.table("capex")
        crf, annuity, weights = self._finance(rate)
        capex_coeff = capex * crf * annuity  # capex_coefficients, in its order of operations
        opex = (self.running[:, None] - v.table("savings")) * weights[None, :]
        src = {"abatement": v.table("abatement").ravel(), "capex": capex.ravel(),
               "capex_coeff": capex_coeff.ravel(), "opex_coeff": opex.ravel()}
        if self.fixed_costs:
            src["fixed_cost"] = fixed_cost_coeff(v.inputs())
        data = self.A.data.copy()
        coefs = []
        for _name, _k, source, sign, pos, col in self.terms:
            coef = sign * src[source][col]
            data[pos] = coef
            coefs.append(coef)
        rhs = bau[self.scope_rows][:, self.bau_years].sum(axis=0)
        cost = {"build": capex_coeff.ravel(), "stock": opex.ravel()}
        if self.fixed_costs:
            cost["choose"] = src["fixed_cost"]
        return Sample(v, capex_coeff, weights, opex, data, coefs, rhs, bau[self.floor_at], cost)

    def _finance(self, rate: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CRF (P, 1), annuity weights (P, T) and flow weights (T,) at `rate` (kept for the
        last few rates: a discrete rate distribution repeats them)."""
        got = self._rates.get(rate)
        if got is None:
            if len(self._rates) >= 16:
                self._rates.clear()
            got = self._rates[rate] = (
                crf_array(rate, self.lifetimes)[:, None],
                annuity_weights(rate, self.years, self.start, self.lifetimes),
                flow_weights(rate, self.years, self.start))
        return got

    def row_bounds(self, s: Sample) -> tuple[np.ndarray, np.ndarray]:
        """Every row's (lb, ub) in original units under sample `s` (target rows free)."""
        rl, ru = self.bounds[2].copy(), self.bounds[3].copy()
        bal, floor = self.rows
        rl[bal], ru[bal] = s.rhs, s.rhs
        rl[floor], ru[floor] = self.floor_lb, s.floor_ub
        return rl, ru

    def inputs_of(self, s: Sample) -> ModelInputs:
        """The inputs of sample `s`, with the finance arrays the model used cached in them (and
        the properties that only projects, fixed builds and the sign of BAU decide taken from
        the built inputs)."""
        inp = s.values.inputs()
        for key, value in (("capex_coeff", s.capex_coeff), ("weights", s.weights.copy()),
                           ("opex_coeff", s.opex),
                           *((k, self.base.__dict__[k]) for k in _STATIC_PROPERTIES
                             if k in self.base.__dict__)):
            inp.__dict__.setdefault(key, value)
        return inp

    def layout_of(self, s: Sample) -> tuple[Layout, sparse.csr_array]:
        """The layout and matrix of sample `s` (the built layout's blocks, the sampled terms,
        right-hand sides and obj_cost replaced)."""
        rows = dict(self.base_layout.rows)
        for (name, k, _source, _sign, _pos, _col), coef in zip(self.terms, s.coefs,
                                                               strict=True):
            rb = rows[name]
            if rb is self.base_layout.rows[name]:  # a new block, with its own term list
                rb = rows[name] = RowBlock(rb.name, rb.index, list(rb.terms), rb.lb, rb.ub,
                                           rb.doc)
            t = rb.terms[k]
            rb.terms[k] = Term(t.var, t.row, t.col, coef)
        for name, lb, ub in (("emissions_balance", s.rhs, s.rhs.copy()),
                             ("sector_floor", rows["sector_floor"].lb, s.floor_ub)):
            rb = rows[name]
            rows[name] = RowBlock(rb.name, rb.index, rb.terms, lb, ub, rb.doc)
        lay = Layout(self.base_layout.variables, rows)
        lay.objectives = {**self.base_layout.objectives, "obj_cost": s.cost}
        A = sparse.csr_array((s.data, self.A.indices, self.A.indptr), shape=self.A.shape)
        return lay, A

    def layout(self, inp: ModelInputs) -> tuple[Layout, sparse.csr_array] | None:
        """The layout and matrix of `inp`, or None when `inp` differs from the built inputs in
        more than the sampled values (or BAU changes sign somewhere: another structure)."""
        v = self.values_of(inp)
        s = None if v is None else self.compute(v)
        if s is None:
            return None
        self.inputs_of(s)
        return self.layout_of(s)


__all__ = ["SAMPLED_TABLES", "Sample", "SampledValues", "ValueMap"]
