"""Several cities in one LP: each city's single-city blocks, stacked, plus the joint rows.

Each region's blocks come from :func:`planner.model.formulation.formulate` unchanged; stacking
adds a ``region`` level in front of every block's index (``build[region, project, year]``,
``emissions[region, year]``, …) and offsets each term's rows and columns. The joint components
(catalogued in :mod:`planner.model.catalogue`, documented in docs/formulation.md, "Several
regions") are built below, one function per family:

- shared projects: ``shared_build``, ``shared_stock`` [S × T], ``shared_stock_balance``; their
  abatement enters each region's ``emissions_balance`` and ``sector_floor`` rows with the
  region's abatement key; their cost is in ``obj_cost`` (shared among regions by the cost key
  for accounting only);
- obligations and transfers: ``transfer[r,t]`` (q, bounded by the transfer setting),
  ``regional_obligation``: emissions[r,t] − q[r,t] ≤ A[r,t], ``regional_budget_obligation``:
  Σ_t emissions[r,t] − Σ_t q[r,t] ≤ B_r, ``transfer_balance``: Σ_r q[r,t] = 0 (its dual is the
  joint price);
- joint targets on ``joint_emissions[t]`` = Σ_r emissions[r,t] (``joint_emissions_balance``):
  ``joint_emissions_cap``, ``joint_cap_path``, ``joint_peak_level``, ``joint_carbon_budget``;
- ``joint_cost_limit`` holds the total cost in lexicographic solves (the joint no-target plan).

Every right-hand side is a number fixed before the solve (+∞ where nothing applies), so one
built model re-solves under any allocation rule, transfer setting or coalition by changing
row and column bounds only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from planner.errors import InputError, raise_all
from planner.model.blocks import INF, Layout, RowBlock, Term, VarBlock, to_pyomo
from planner.model.catalogue import TARGET_ROWS, doc
from planner.model.finance import capex_coefficients, flow_weights
from planner.model.formulation import formulate, needs_no_target_plan, target_bounds
from planner.model.highs import HighsSession, Solution, scale_layout
from planner.model.inputs import ModelInputs, bind
from planner.model.persistent import COST_HOLD, NoTargetPlan, PlanningModel
from planner.regions import JointTarget, Regions, in_region
from planner.scenario import Target

#: joint target rows (re-bounded; +∞ where no joint target applies)
JOINT_ROWS = ("joint_emissions_cap", "joint_cap_path", "joint_peak_level",
              "joint_carbon_budget")
#: obligation rows (re-bounded per allocation rule; +∞ without obligations)
OBLIGATION_ROWS = ("regional_obligation", "regional_budget_obligation")


# ---------------------------------------------------------------- inputs

@dataclass(frozen=True)
class SharedInputs:
    """Shared projects as arrays over the optimised years (constant over the years).

    abatement: (S, T) tCO2 per unit-yr; capex_coeff / opex_coeff: (S, T) objective
    coefficients (as :class:`ModelInputs`); ab_key / cost_key: (S, R) shares."""

    projects: pd.DataFrame
    abatement: np.ndarray
    capex: np.ndarray
    capex_coeff: np.ndarray
    opex_coeff: np.ndarray
    ab_key: np.ndarray
    cost_key: np.ndarray


@dataclass(frozen=True)
class RegionalInputs:
    """Each region's :class:`ModelInputs` (in scenario order) and the shared projects."""

    regions: Regions
    cities: dict[str, ModelInputs]
    shared: SharedInputs | None = None

    @property
    def scenario(self):
        return self.regions.scenario

    @property
    def names(self) -> list[str]:
        return list(self.cities)

    @property
    def first(self) -> ModelInputs:
        return next(iter(self.cities.values()))

    @property
    def years(self) -> list[int]:
        return self.first.years

    @property
    def report_end(self) -> int:
        return self.first.report_end

    @property
    def weights(self) -> np.ndarray:
        return self.first.weights

    @cached_property
    def bau_scope(self) -> np.ndarray:
        """(R, T) Σ_{s in scope} BAU[s,t] per region, tCO2."""
        return np.vstack([inp.bau_scope.reindex(inp.years).to_numpy(float)
                          for inp in self.cities.values()])

    def indicator(self, column: str) -> np.ndarray:
        """(R, T) `gdp_cny` or `population` per region (InputError naming the region when a
        region has no indicators.csv)."""
        out, errors = [], []
        for r, inp in self.cities.items():
            if inp.indicators is None:
                errors.append(InputError(inp.dataset.folder / "indicators.csv",
                                         f"region {r!r}, file", "not found",
                                         f"GDP and population of every region (the allocation "
                                         f"rule {self.scenario.allocation!r} needs them)"))
                continue
            out.append(inp.indicators[column].reindex(inp.years).to_numpy(float))
        raise_all(errors)
        return np.vstack(out)


def bind_regions(rg: Regions) -> RegionalInputs:
    """Bind every region's scenario to its dataset (errors name the region)."""
    cities, errors = {}, []
    for r in rg.names:
        try:
            cities[r] = bind(rg.cities[r], rg.datasets[r])
        except InputError as exc:
            errors.append(in_region(exc, r))
    raise_all(errors)
    shared = _bind_shared(rg, cities) if rg.shared is not None else None
    return RegionalInputs(rg, cities, shared)


def _bind_shared(rg: Regions, cities: dict[str, ModelInputs]) -> SharedInputs:
    sp = rg.shared
    assert sp is not None
    first = next(iter(cities.values()))
    years = first.years
    proj = sp.projects
    T = len(years)
    capex = np.repeat(proj["capex_cny_per_unit"].to_numpy(float)[:, None], T, axis=1)
    L = proj["lifetime_years"].to_numpy(int)
    rate = first.rate
    w = flow_weights(rate, years, first.start)
    om = proj["fixed_om_cny_per_unit_year"].to_numpy(float)
    sav = proj["savings_cny_per_unit_year"].to_numpy(float)
    v = rg.scenario.cobenefit_value_cny_per_t
    credit = (proj["so2_t_per_unit_year"].to_numpy(float) * v.so2
              + proj["nox_t_per_unit_year"].to_numpy(float) * v.nox
              + proj["pm25_t_per_unit_year"].to_numpy(float) * v.pm25)
    return SharedInputs(
        projects=proj,
        abatement=np.repeat(proj["abatement_t_per_unit_year"].to_numpy(float)[:, None], T, 1),
        capex=capex,
        capex_coeff=capex_coefficients(rate, years, first.start, capex, L),
        opex_coeff=(om - sav - credit)[:, None] * w[None, :],
        ab_key=sp.abatement_key.reindex(columns=rg.names).to_numpy(float),
        cost_key=sp.cost_key.reindex(columns=rg.names).to_numpy(float))


# ---------------------------------------------------------------- stacking

def _region_index(region: str, idx: pd.Index) -> list[np.ndarray]:
    """The level arrays of `idx` with a region level in front."""
    levels = [np.asarray(idx.get_level_values(i), dtype=object) for i in range(idx.nlevels)]
    return [np.full(len(idx), region, dtype=object), *levels]


def _concat_index(parts: list[tuple[str, pd.Index]]) -> pd.MultiIndex:
    first = parts[0][1]
    names = ["region", *[n or "index" for n in first.names]]
    arrays = [_region_index(r, idx) for r, idx in parts]
    cols = [np.concatenate([a[k] for a in arrays]) for k in range(len(names))]
    return pd.MultiIndex.from_arrays(cols, names=names)


def stack(parts: dict[str, Layout]) -> tuple[dict[str, VarBlock], dict[str, RowBlock],
                                             dict[str, dict[str, np.ndarray]],
                                             dict[tuple[str, str], int],
                                             dict[tuple[str, str], int]]:
    """Each region's blocks, one family per block name, with a region level in front of the
    index; returns (variables, rows, objectives, col_base, row_base) where col_base[(r, v)]
    (row_base[(r, name)]) is region r's first position inside the stacked block."""
    regions = list(parts)
    first = parts[regions[0]]
    col_base: dict[tuple[str, str], int] = {}
    row_base: dict[tuple[str, str], int] = {}
    variables: dict[str, VarBlock] = {}
    for name in first.variables:
        blocks = [parts[r].variables[name] for r in regions]
        n = 0
        for r, vb in zip(regions, blocks, strict=True):
            col_base[(r, name)] = n
            n += len(vb)
        variables[name] = VarBlock(
            name, _concat_index([(r, vb.index) for r, vb in zip(regions, blocks, strict=True)]),
            np.concatenate([vb.lb for vb in blocks]), np.concatenate([vb.ub for vb in blocks]),
            np.concatenate([vb.scale for vb in blocks]), blocks[0].doc)
    rows: dict[str, RowBlock] = {}
    for name in first.rows:
        blocks = [parts[r].rows[name] for r in regions]
        terms: list[Term] = []
        n = 0
        for r, rb in zip(regions, blocks, strict=True):
            row_base[(r, name)] = n
            for t in rb.terms:
                terms.append(Term(t.var, t.row + n, t.col + col_base[(r, t.var)], t.coef))
            n += len(rb)
        rows[name] = RowBlock(
            name, _concat_index([(r, rb.index) for r, rb in zip(regions, blocks, strict=True)]),
            terms, np.concatenate([rb.lb for rb in blocks]),
            np.concatenate([rb.ub for rb in blocks]), blocks[0].doc)
    objectives: dict[str, dict[str, np.ndarray]] = {}
    for oname in first.objectives:
        obj: dict[str, np.ndarray] = {}
        for var in {v for r in regions for v in parts[r].objectives[oname]}:
            obj[var] = np.concatenate([
                np.broadcast_to(np.asarray(parts[r].objectives[oname].get(var, 0.0), float),
                                (len(parts[r].variables[var]),)) for r in regions])
        objectives[oname] = obj
    return variables, rows, objectives, col_base, row_base


# ---------------------------------------------------------------- joint families

def _rt_index(names: list[str], years: list[int]) -> pd.MultiIndex:
    return pd.MultiIndex.from_product([names, years], names=["region", "year"])


def shared_variables(rin: RegionalInputs) -> list[VarBlock]:
    """shared_build[s,t] ∈ [0, R_s] (0 before Y_s), shared_stock[s,t] ∈ [0, U_s]."""
    sh = rin.shared
    assert sh is not None
    proj = sh.projects
    years = np.asarray(rin.years)
    S, T = len(proj), len(years)
    U = proj["max_units"].to_numpy(float)
    R = proj["max_build_per_year"].to_numpy(float)
    early = years[None, :] < proj["earliest_year"].to_numpy(int)[:, None]
    b_ub = np.where(early, 0.0, np.broadcast_to(R[:, None], (S, T)))
    idx = pd.MultiIndex.from_product([proj.index, rin.years], names=["shared", "year"])
    scale = np.repeat(np.maximum(U, 1e-12), T)
    return [VarBlock("shared_build", idx, np.zeros(S * T), b_ub.ravel(), scale,
                     doc("shared_build")),
            VarBlock("shared_stock", idx, np.zeros(S * T), np.repeat(U, T), scale.copy(),
                     doc("shared_stock"))]


def shared_stock_balance(rin: RegionalInputs) -> RowBlock:
    """shared_stock[s,t] − shared_stock[s,t−1] − shared_build[s,t] + shared_build[s,t−L_s] = 0."""
    sh = rin.shared
    assert sh is not None
    S, T = len(sh.projects), len(rin.years)
    L = sh.projects["lifetime_years"].to_numpy(int)
    k = np.arange(S * T)
    p, t = np.divmod(k, T)
    prev = t > 0
    ret = t - L[p] >= 0
    terms = [Term("shared_stock", k, k, np.ones(S * T)),
             Term("shared_stock", k[prev], k[prev] - 1, -np.ones(prev.sum())),
             Term("shared_build", k, k, -np.ones(S * T)),
             Term("shared_build", k[ret], k[ret] - L[p[ret]], np.ones(ret.sum()))]
    z = np.zeros(S * T)
    idx = pd.MultiIndex.from_product([sh.projects.index, rin.years], names=["shared", "year"])
    return RowBlock("shared_stock_balance", idx, terms, z, z.copy(), doc("shared_stock_balance"))


def shared_abatement_terms(rin: RegionalInputs, parts: dict[str, Layout],
                           row_base: dict[tuple[str, str], int]
                           ) -> tuple[list[Term], list[Term]]:
    """Terms key[s,r]·a[s,t]·shared_stock[s,t] in region r's emissions_balance rows (when the
    project's sector is in r's scope) and in its sector_floor rows."""
    sh = rin.shared
    assert sh is not None
    T = len(rin.years)
    sec = sh.projects["sector"].to_numpy()
    bal: list[Term] = []
    floor: list[Term] = []
    for j, (r, inp) in enumerate(rin.cities.items()):
        for s in range(len(sec)):
            key = sh.ab_key[s, j]
            if key <= 0:
                continue
            cols = s * T + np.arange(T)
            coef = key * sh.abatement[s]
            if sec[s] in inp.scope_sectors:
                rows = row_base[(r, "emissions_balance")] + np.arange(T)
                bal.append(Term("shared_stock", rows, cols, coef))
            fidx = parts[r].rows["sector_floor"].index
            pos = {lab: i for i, lab in enumerate(fidx)}
            hit = [(i, pos[(sec[s], y)]) for i, y in enumerate(rin.years) if (sec[s], y) in pos]
            if hit:
                ti, fi = (np.array(x, dtype=int) for x in zip(*hit, strict=True))
                floor.append(Term("shared_stock", row_base[(r, "sector_floor")] + fi, cols[ti],
                                  coef[ti]))
    return bal, floor


def transfer_variables(rin: RegionalInputs) -> list[VarBlock]:
    """transfer[r,t] (q: > 0 bought, < 0 sold; fixed at 0 until a transfer setting frees it)
    and joint_emissions[t] (free)."""
    names, years = rin.names, rin.years
    R, T = len(names), len(years)
    E = np.repeat([max(float(np.abs(inp.bau_total).max()), 1.0)
                   for inp in rin.cities.values()], T)
    Ej = float(np.abs(rin.bau_scope.sum(axis=0)).max()) or 1.0
    return [VarBlock("transfer", _rt_index(names, years), np.zeros(R * T), np.zeros(R * T), E,
                     doc("transfer")),
            VarBlock("joint_emissions", pd.Index(years, name="year"), np.full(T, -INF),
                     np.full(T, INF), np.full(T, Ej), doc("joint_emissions"))]


def regional_obligation(rin: RegionalInputs, col_base: dict[tuple[str, str], int]) -> RowBlock:
    """emissions[r,t] − transfer[r,t] ≤ A[r,t] (+∞ until an allocation sets A)."""
    R, T = len(rin.names), len(rin.years)
    k = np.arange(R * T)
    e_cols = np.concatenate([col_base[(r, "emissions")] + np.arange(T) for r in rin.names])
    terms = [Term("emissions", k, e_cols, np.ones(R * T)),
             Term("transfer", k, k, -np.ones(R * T))]
    return RowBlock("regional_obligation", _rt_index(rin.names, rin.years), terms,
                    np.full(R * T, -INF), np.full(R * T, INF), doc("regional_obligation"))


def regional_budget_obligation(rin: RegionalInputs,
                               col_base: dict[tuple[str, str], int]) -> RowBlock:
    """Σ_t emissions[r,t] − Σ_t transfer[r,t] ≤ B_r (a share of a joint carbon budget)."""
    R, T = len(rin.names), len(rin.years)
    rows = np.repeat(np.arange(R), T)
    e_cols = np.concatenate([col_base[(r, "emissions")] + np.arange(T) for r in rin.names])
    terms = [Term("emissions", rows, e_cols, np.ones(R * T)),
             Term("transfer", rows, np.arange(R * T), -np.ones(R * T))]
    return RowBlock("regional_budget_obligation", pd.Index(rin.names, name="region"), terms,
                    np.full(R, -INF), np.full(R, INF), doc("regional_budget_obligation"))


def transfer_balance(rin: RegionalInputs) -> RowBlock:
    """Σ_r transfer[r,t] = 0: what one city buys, others sell."""
    R, T = len(rin.names), len(rin.years)
    k = np.arange(R * T)
    terms = [Term("transfer", k % T, k, np.ones(R * T))]
    z = np.zeros(T)
    return RowBlock("transfer_balance", pd.Index(rin.years, name="year"), terms, z, z.copy(),
                    doc("transfer_balance"))


def joint_emissions_balance(rin: RegionalInputs,
                            col_base: dict[tuple[str, str], int]) -> RowBlock:
    """joint_emissions[t] − Σ_r emissions[r,t] = 0."""
    R, T = len(rin.names), len(rin.years)
    t = np.arange(T)
    e_cols = np.concatenate([col_base[(r, "emissions")] + t for r in rin.names])
    terms = [Term("joint_emissions", t, t, np.ones(T)),
             Term("emissions", np.tile(t, R), e_cols, -np.ones(R * T))]
    z = np.zeros(T)
    return RowBlock("joint_emissions_balance", pd.Index(rin.years, name="year"), terms, z,
                    z.copy(), doc("joint_emissions_balance"))


def joint_target_rows(rin: RegionalInputs) -> list[RowBlock]:
    """joint_emissions_cap / joint_cap_path / joint_peak_level: joint_emissions[t] ≤ level_t;
    joint_carbon_budget: Σ_t joint_emissions[t] ≤ budget (all +∞ until set)."""
    T = len(rin.years)
    t = np.arange(T)
    yrs = pd.Index(rin.years, name="year")
    out = [RowBlock(name, yrs, [Term("joint_emissions", t, t, np.ones(T))], np.full(T, -INF),
                    np.full(T, INF), doc(name))
           for name in ("joint_emissions_cap", "joint_cap_path", "joint_peak_level")]
    out.append(RowBlock("joint_carbon_budget", pd.Index(["total"]),
                        [Term("joint_emissions", np.zeros(T, int), t, np.ones(T))],
                        np.array([-INF]), np.array([INF]), doc("joint_carbon_budget")))
    return out


def joint_cost_limit(layout_vars: dict[str, VarBlock],
                     objectives: dict[str, dict[str, np.ndarray]]) -> RowBlock:
    """Σ obj_cost coefficients·x ≤ cost_max over every region and shared project."""
    terms = []
    for var, coef in objectives["obj_cost"].items():
        c = np.broadcast_to(np.asarray(coef, float), (len(layout_vars[var]),))
        nz = np.flatnonzero(c)
        terms.append(Term(var, np.zeros(len(nz), int), nz, c[nz]))
    return RowBlock("joint_cost_limit", pd.Index(["total"]), terms, np.array([-INF]),
                    np.array([INF]), doc("joint_cost_limit"))


def regional_layout(rin: RegionalInputs, parts: dict[str, Layout]
                    ) -> tuple[Layout, dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """The joint LP: stacked regions, shared projects, obligations, transfers, joint targets,
    in reading order."""
    variables, rows, objectives, col_base, row_base = stack(parts)
    if rin.shared is not None:
        for vb in shared_variables(rin):
            variables[vb.name] = vb
        sh = rin.shared
        objectives["obj_cost"]["shared_build"] = sh.capex_coeff.ravel()
        objectives["obj_cost"]["shared_stock"] = sh.opex_coeff.ravel()
        bal, floor = shared_abatement_terms(rin, parts, row_base)
        rows["emissions_balance"].terms.extend(bal)
        rows["sector_floor"].terms.extend(floor)
    for vb in transfer_variables(rin):
        variables[vb.name] = vb
    extra = ([shared_stock_balance(rin)] if rin.shared is not None else []) + [
        regional_obligation(rin, col_base), regional_budget_obligation(rin, col_base),
        transfer_balance(rin), joint_emissions_balance(rin, col_base),
        *joint_target_rows(rin), joint_cost_limit(variables, objectives)]
    for rb in extra:
        rows[rb.name] = rb
    layout = Layout(variables, rows)
    layout.objectives = objectives
    return layout, col_base, row_base


# ---------------------------------------------------------------- joint target levels

def joint_bounds(jt: JointTarget, years: list[int], report_end: int,
                 e0_joint: np.ndarray | None) -> dict[str, np.ndarray]:
    """Upper bounds of the joint target rows, tCO2 (+∞: none). The level L = min(cap,
    e0_joint[Y]) of the peak form is fixed before the solve from the joint no-target plan."""
    T = len(years)
    yr = np.asarray(years)
    out = {"joint_emissions_cap": np.full(T, INF if jt.cap_t is None else jt.cap_t),
           "joint_cap_path": np.array([jt.cap_path_t.get(t, INF) for t in years], float)}
    level = np.full(T, INF)
    if jt.peak_year is not None:
        if e0_joint is None:
            raise ValueError("the joint peak target needs the joint no-target plan")
        iy = years.index(jt.peak_year)
        L = e0_joint[iy] if jt.cap_t is None else min(jt.cap_t, e0_joint[iy])
        after = yr >= jt.peak_year
        level[after] = L * (1.0 - jt.decline_after_peak) ** (yr[after] - jt.peak_year)
    out["joint_peak_level"] = level
    out["joint_carbon_budget"] = np.array([INF if jt.carbon_budget_t is None
                                           else jt.carbon_budget_t])
    if report_end < years[-1]:
        ie = years.index(report_end)
        for name in ("joint_emissions_cap", "joint_cap_path", "joint_peak_level"):
            out[name][ie + 1:] = out[name][ie]
    return out


def joint_level(bounds: dict[str, np.ndarray]) -> np.ndarray:
    """J[t]: the tightest annual joint bound (cap, cap path, peak level), +∞ where none."""
    return np.vstack([bounds[k] for k in JOINT_ROWS[:3]]).min(axis=0)


# ---------------------------------------------------------------- the built model

class CityView(PlanningModel):
    """One region of a solved joint model, seen as a single-city PlanningModel (its own layout,
    target bounds and no-target plan) so that the single-city result tables can be built from
    the region's slice of the joint solution. It cannot solve."""

    def __init__(self, inp: ModelInputs, layout: Layout, ub: dict[str, np.ndarray],
                 no_target: NoTargetPlan, target: Target) -> None:  # noqa: D107
        self.inp = inp
        self.layout = layout
        self._ub = ub
        self._no_target = no_target
        self.target = target
        self.level_scale = 1.0
        self._pyomo = None
        self._indices = {}

    def solve(self) -> Solution:
        raise NotImplementedError("a region of a joint model is solved with the joint model")


class RegionalModel:
    """The joint LP of a region scenario, built once, re-solvable under any allocation rule,
    transfer setting or coalition (bounds only)."""

    def __init__(self, rin: RegionalInputs) -> None:
        self.rin = rin
        self.parts = {r: formulate(inp) for r, inp in rin.cities.items()}
        self.layout, self.col_base, self.row_base = regional_layout(rin, self.parts)
        self.lp = scale_layout(self.layout)
        self.session = HighsSession(self.lp, "obj_cost", rin.scenario.solver.time_limit_s)
        self._ub = {name: np.full(len(self.layout.rows[name]), INF)
                    for name in (*TARGET_ROWS, *JOINT_ROWS, *OBLIGATION_ROWS)}
        self._no_target: NoTargetPlan | None = None
        self.e0: np.ndarray | None = None

    @property
    def names(self) -> list[str]:
        return self.rin.names

    def pyomo(self):
        """The Pyomo model of the joint LP (components named as the blocks)."""
        return to_pyomo(self.layout, self.rin.scenario.name)

    # ---------------------------------------------------------------- maps
    def region_cols(self, r: str, name: str) -> np.ndarray:
        """Global column numbers of region r's part of variable family `name`."""
        start = self.layout.col_offset[name] + self.col_base[(r, name)]
        return start + np.arange(len(self.parts[r].variables[name]))

    def region_rows(self, r: str, name: str) -> np.ndarray:
        start = self.layout.row_offset[name] + self.row_base[(r, name)]
        return start + np.arange(len(self.parts[r].rows[name]))

    @cached_property
    def col_map(self) -> dict[str, np.ndarray]:
        """Per region: the joint column of each column of its own single-city layout."""
        return {r: np.concatenate([self.region_cols(r, n) for n in self.parts[r].variables])
                for r in self.names}

    @cached_property
    def row_map(self) -> dict[str, np.ndarray]:
        return {r: np.concatenate([self.region_rows(r, n) for n in self.parts[r].rows])
                for r in self.names}

    # ---------------------------------------------------------------- bounds
    def _set_ub(self, name: str, new: np.ndarray) -> None:
        new = np.asarray(new, float)
        changed = np.flatnonzero(new != self._ub[name])
        if len(changed):
            rows = self.layout.row_offset[name] + changed
            self.session.set_row_bounds(rows, np.full(len(changed), -INF), new[changed])
            self._ub[name] = new.copy()

    def set_city_targets(self, r: str, ubs: dict[str, np.ndarray]) -> None:
        """Region r's own target rows (upper bounds from target_bounds)."""
        for name in TARGET_ROWS:
            full = self._ub[name].copy()
            base = self.row_base[(r, name)]
            full[base:base + len(ubs[name])] = ubs[name]
            self._set_ub(name, full)

    def city_ub(self, r: str) -> dict[str, np.ndarray]:
        out = {}
        for name in TARGET_ROWS:
            base = self.row_base[(r, name)]
            out[name] = self._ub[name][base:base + len(self.parts[r].rows[name])].copy()
        return out

    def set_joint(self, bounds: dict[str, np.ndarray] | None) -> None:
        """Joint target rows on (bounds from :func:`joint_bounds`) or off (None)."""
        for name in JOINT_ROWS:
            self._set_ub(name, bounds[name] if bounds is not None
                         else np.full(len(self._ub[name]), INF))

    def set_obligations(self, A: np.ndarray | None, B: np.ndarray | None = None) -> None:
        """Obligations A[r,t] (R, T) and budget obligations B[r] (R,), tCO2; None: off."""
        R, T = len(self.names), len(self.rin.years)
        self._set_ub("regional_obligation", np.full(R * T, INF) if A is None
                     else np.asarray(A, float).ravel())
        self._set_ub("regional_budget_obligation", np.full(R, INF) if B is None
                     else np.asarray(B, float))

    def set_transfers(self, free: np.ndarray | None, limit: np.ndarray | None = None) -> None:
        """Bounds of transfer[r,t]: free (R,) bool per region may trade; `limit` (R, T)
        tonnes bounds |q| (None: unlimited). free=None: no transfers at all."""
        R, T = len(self.names), len(self.rin.years)
        lo, hi = np.zeros((R, T)), np.zeros((R, T))
        if free is not None:
            cap = np.full((R, T), INF) if limit is None else np.abs(np.asarray(limit, float))
            hi = np.where(np.asarray(free, bool)[:, None], cap, 0.0)
            lo = -hi
        sl = self.layout.cols("transfer")
        self.session.set_col_bounds(np.arange(sl.start, sl.stop), lo.ravel(), hi.ravel())

    # ---------------------------------------------------------------- solves
    def solve(self) -> Solution:
        return self.session.solve()

    def free_all(self) -> dict[str, np.ndarray]:
        """Free every target and obligation row; return the saved bounds."""
        saved = {k: v.copy() for k, v in self._ub.items()}
        for name in self._ub:
            self._set_ub(name, np.full(len(self._ub[name]), INF))
        return saved

    def restore(self, saved: dict[str, np.ndarray]) -> None:
        for name, ub in saved.items():
            self._set_ub(name, ub)

    @property
    def no_target(self) -> NoTargetPlan:
        """The joint no-target plan: every target and obligation row removed, least cost, and
        among least-cost plans the lowest Σ_r Σ_t emissions. emissions_t is (R, T)."""
        if self._no_target is None:
            saved = self.free_all()
            sol = self.solve()
            R, T = len(self.names), len(self.rin.years)
            if sol.status != "optimal":
                self._no_target = NoTargetPlan(float("nan"), np.full((R, T), INF), sol.x)
            else:
                row = self.layout.row_offset["joint_cost_limit"]
                gross = float(np.abs(self.layout.objective("obj_cost")
                                     * self.layout.bounds()[1].clip(max=1e12)).sum())
                tol = COST_HOLD * max(1.0, abs(sol.objective), gross)
                self.session.set_row_bounds([row], [-INF], [sol.objective + tol])
                self.session.set_objective("obj_emissions")
                try:
                    sol2 = self.solve()
                finally:
                    self.session.set_row_bounds([row], [-INF], [INF])
                    self.session.set_objective("obj_cost")
                self._no_target = NoTargetPlan(sol.objective, self.emissions(sol2), sol2.x)
            self.restore(saved)
        return self._no_target

    def apply_city_targets(self) -> None:
        """Each region's own targets, with the levels its no-target plan fixes (the region's
        part of the joint no-target plan)."""
        e0 = self.no_target.emissions_t
        for j, (r, inp) in enumerate(self.rin.cities.items()):
            target = inp.scenario.target
            self.set_city_targets(r, target_bounds(
                inp, target, e0[j] if needs_no_target_plan(target) else None))

    # ---------------------------------------------------------------- read
    def emissions(self, sol: Solution) -> np.ndarray:
        """(R, T) emissions in each region's target scope, tCO2."""
        return np.vstack([sol.x[self.region_cols(r, "emissions")] for r in self.names])

    def transfers(self, sol: Solution) -> np.ndarray:
        """(R, T) transfer[r,t] (> 0 bought), tCO2."""
        sl = self.layout.cols("transfer")
        return sol.x[sl].reshape(len(self.names), len(self.rin.years))

    def transfer_price(self, sol: Solution) -> np.ndarray:
        """(T,) the joint price: −dual of transfer_balance[t], CNY at the start of the start
        year per tonne (Σ_t price·q[r,t] is a city's transfer payment, NPV)."""
        return -sol.row_dual[self.layout.rows_of("transfer_balance")] + 0.0

    def city_costs(self, sol: Solution) -> np.ndarray:
        """(R,) NPV cost of each region: its own projects plus its cost-key share of the
        shared projects, CNY at the start of the start year."""
        c = self.layout.objective("obj_cost") * sol.x
        own = np.array([c[self.region_cols(r, "build")].sum() + c[self.region_cols(r, "stock")]
                        .sum() for r in self.names])
        if self.rin.shared is not None:
            sh = self.rin.shared
            T = len(self.rin.years)
            per = (c[self.layout.cols("shared_build")] + c[self.layout.cols("shared_stock")]
                   ).reshape(len(sh.projects), T).sum(axis=1)
            own = own + per @ sh.cost_key
        return own

    def shared_abatement(self, sol: Solution) -> np.ndarray:
        """(R, T) tonnes each region gets from the shared projects (all sectors)."""
        R, T = len(self.names), len(self.rin.years)
        if self.rin.shared is None:
            return np.zeros((R, T))
        sh = self.rin.shared
        stock = sol.x[self.layout.cols("shared_stock")].reshape(len(sh.projects), T)
        ab = stock * sh.abatement
        return sh.ab_key.T @ ab

    def city_solution(self, sol: Solution, r: str, objective: float) -> Solution:
        """Region r's slice of a joint solution, in its own single-city column/row order."""
        cm, rm = self.col_map[r], self.row_map[r]
        return Solution(sol.status, objective, sol.x[cm], sol.row_dual[rm], sol.col_dual[cm],
                        sol.seconds, sol.iterations)

    def city_view(self, r: str) -> CityView:
        j = self.names.index(r)
        nt = self.no_target
        inp = self.rin.cities[r]
        return CityView(inp, self.parts[r], self.city_ub(r),
                        NoTargetPlan(float("nan"), nt.emissions_t[j], nt.x[self.col_map[r]]),
                        inp.scenario.target)


__all__ = ["JOINT_ROWS", "OBLIGATION_ROWS", "CityView", "RegionalInputs", "RegionalModel",
           "bind_regions", "joint_bounds", "joint_level", "regional_layout", "stack"]
