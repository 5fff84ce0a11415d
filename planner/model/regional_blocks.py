"""The stacked formulation of several cities: each city's single-city blocks plus the joint rows.

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
- ``joint_shortfall`` [one per joint target and obligation row]: their elastic form (fixed at 0
  except when explaining an infeasible scenario);
- ``joint_cost_limit`` holds the total cost in lexicographic solves (the joint no-target plan).

Every right-hand side is a number fixed before the solve (+∞ where nothing applies), so one
built model (:class:`planner.model.regional.RegionalModel`) re-solves under any allocation
rule, transfer setting or coalition by changing row and column bounds only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.model.blocks import INF, Layout, RowBlock, Term, VarBlock
from planner.model.catalogue import doc
from planner.model.formulation import stock_recursion
from planner.model.regional_inputs import RegionalInputs
from planner.regions import JointTarget

#: joint target rows (re-bounded; +∞ where no joint target applies)
JOINT_ROWS = ("joint_emissions_cap", "joint_cap_path", "joint_peak_level",
              "joint_carbon_budget")
#: obligation rows (re-bounded per allocation rule; +∞ without obligations)
OBLIGATION_ROWS = ("regional_obligation", "regional_budget_obligation")


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


def _union(names: list[list[str]]) -> list[str]:
    """Every name of the lists, in order of first appearance."""
    return list(dict.fromkeys(n for ns in names for n in ns))


def stack(parts: dict[str, Layout]) -> tuple[dict[str, VarBlock], dict[str, RowBlock],
                                             dict[str, dict[str, np.ndarray]],
                                             dict[tuple[str, str], int],
                                             dict[tuple[str, str], int]]:
    """Each region's blocks, one family per block name, with a region level in front of the
    index; returns (variables, rows, objectives, col_base, row_base) where col_base[(r, v)]
    (row_base[(r, name)]) is region r's first position inside the stacked block. A family
    only some regions have (an investment budget, lumpy choices) is stacked from those."""
    regions = list(parts)
    col_base: dict[tuple[str, str], int] = {}
    row_base: dict[tuple[str, str], int] = {}
    variables: dict[str, VarBlock] = {}
    for name in _union([list(parts[r].variables) for r in regions]):
        have = [r for r in regions if name in parts[r].variables]
        blocks = [parts[r].variables[name] for r in have]
        n = 0
        for r, vb in zip(have, blocks, strict=True):
            col_base[(r, name)] = n
            n += len(vb)
        variables[name] = VarBlock(
            name, _concat_index([(r, vb.index) for r, vb in zip(have, blocks, strict=True)]),
            np.concatenate([vb.lb for vb in blocks]), np.concatenate([vb.ub for vb in blocks]),
            np.concatenate([vb.scale for vb in blocks]), blocks[0].doc)
    rows: dict[str, RowBlock] = {}
    for name in _union([list(parts[r].rows) for r in regions]):
        have = [r for r in regions if name in parts[r].rows]
        blocks = [parts[r].rows[name] for r in have]
        terms: list[Term] = []
        n = 0
        for r, rb in zip(have, blocks, strict=True):
            row_base[(r, name)] = n
            for t in rb.terms:
                terms.append(Term(t.var, t.row + n, t.col + col_base[(r, t.var)], t.coef))
            n += len(rb)
        rows[name] = RowBlock(
            name, _concat_index([(r, rb.index) for r, rb in zip(have, blocks, strict=True)]),
            terms, np.concatenate([rb.lb for rb in blocks]),
            np.concatenate([rb.ub for rb in blocks]), blocks[0].doc)
    objectives: dict[str, dict[str, np.ndarray]] = {}
    for oname in parts[regions[0]].objectives:
        obj: dict[str, np.ndarray] = {}
        for var in _union([list(parts[r].objectives[oname]) for r in regions]):
            have = [r for r in regions if var in parts[r].variables]
            obj[var] = np.concatenate([
                np.broadcast_to(np.asarray(parts[r].objectives[oname].get(var, 0.0), float),
                                (len(parts[r].variables[var]),)) for r in have])
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
    idx = pd.MultiIndex.from_product([sh.projects.index, rin.years], names=["shared", "year"])
    return stock_recursion("shared_stock_balance", "shared_stock", "shared_build",
                           sh.projects["lifetime_years"].to_numpy(int), len(rin.years), idx)


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


def joint_shortfall(rin: RegionalInputs, rows: dict[str, RowBlock]) -> VarBlock:
    """joint_shortfall[row] ≥ 0 (fixed at 0 unless elastic): one column per joint target and
    obligation row, entering it with −1 (the elastic form of the joint rows, as `shortfall`
    is of each region's own target rows)."""
    labels = [(name, str(i)) for name in (*JOINT_ROWS, *OBLIGATION_ROWS)
              for i in rows[name].index]
    off = 0
    for name in (*JOINT_ROWS, *OBLIGATION_ROWS):
        n = len(rows[name])
        rows[name].terms.append(Term("joint_shortfall", np.arange(n), off + np.arange(n),
                                     -np.ones(n)))
        off += n
    E = float(np.abs(rin.bau_scope.sum(axis=0)).max()) or 1.0
    m = len(labels)
    return VarBlock("joint_shortfall", pd.MultiIndex.from_tuples(labels, names=["row", "index"]),
                    np.zeros(m), np.zeros(m), np.full(m, E), doc("joint_shortfall"))


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
    js = joint_shortfall(rin, rows)
    variables[js.name] = js
    objectives["obj_shortfall"][js.name] = np.ones(len(js))
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


__all__ = ["JOINT_ROWS", "OBLIGATION_ROWS", "joint_bounds", "joint_level", "regional_layout",
           "stack"]
