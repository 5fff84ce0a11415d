"""The linear programme — the one place for the maths, in the order of docs/formulation.md.

Each function below builds one family of variables or rows as numpy arrays (see
:mod:`planner.model.blocks`); :func:`formulate` puts them together. Component names, sets and
equations are those of :mod:`planner.model.catalogue`. Units: build and stock in project
units, emissions in tCO2, money in CNY at the start of the start year.

Target rows exist for every year (and every target row family) whether a target applies or
not; their right-hand sides come from :func:`target_bounds`, +∞ where no target applies, so one
built model re-solves under another target by changing row bounds only. Every right-hand side
is a number fixed before the solve: no year's own emissions loosen another year's bound.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.model.blocks import INF, Layout, RowBlock, Term, VarBlock
from planner.model.catalogue import TARGET_ROWS, doc
from planner.model.inputs import ModelInputs
from planner.scenario import Target

SCALAR = pd.Index(["total"])


def emission_scale(inp: ModelInputs) -> float:
    """E: the largest |BAU total| over the horizon (tCO2), used to scale emission variables."""
    e = float(inp.bau_total.abs().max())
    return e if e > 0 else 1.0


def _pt_index(inp: ModelInputs) -> pd.MultiIndex:
    return pd.MultiIndex.from_product([inp.projects.index, inp.years], names=["project", "year"])


def _years(inp: ModelInputs) -> pd.Index:
    return pd.Index(inp.years, name="year")


# ---------------------------------------------------------------- variables

def project_variables(inp: ModelInputs) -> list[VarBlock]:
    """build[p,t] ∈ [0, R_p] (0 before Y_p; fixed where `fixed_build` says), stock ∈ [0, U_p]."""
    proj = inp.projects
    P, T = len(proj), len(inp.years)
    years = np.asarray(inp.years)
    U = proj["max_units"].to_numpy(float)
    R = proj["max_build_per_year"].to_numpy(float)
    early = years[None, :] < proj["earliest_year"].to_numpy(int)[:, None]
    b_ub = np.where(early, 0.0, np.broadcast_to(R[:, None], (P, T)))
    b_lb = np.zeros((P, T))
    if inp.fixed_build is not None:
        fixed = inp.fixed_build.reindex(index=proj.index, columns=inp.years).to_numpy(float)
        given = ~np.isnan(fixed)
        b_lb = np.where(given, fixed, b_lb)
        b_ub = np.where(given, fixed, b_ub)
    scale = np.repeat(np.maximum(U, 1e-12), T)
    integer = inp.integer_build
    whole = np.repeat(inp.lumpy == "integer", T)
    b_scale = np.where(whole, 1.0, scale)  # HiGHS sees whole units of integer projects
    idx = _pt_index(inp)
    return [VarBlock("build", idx, b_lb.ravel(), b_ub.ravel(), b_scale, doc("build"),
                     integer.ravel() if integer.any() else None),
            VarBlock("stock", idx, np.zeros(P * T), np.repeat(U, T), scale.copy(),
                     doc("stock"))]


def choice_variables(inp: ModelInputs) -> VarBlock | None:
    """choose[p] ∈ {0, 1} for all_or_nothing projects (fixed where `fixed_choice` says);
    None when there is none."""
    a = inp.all_or_nothing
    if len(a) == 0:
        return None
    ids = inp.projects.index[a]
    lb, ub = np.zeros(len(a)), np.ones(len(a))
    if inp.fixed_choice is not None:
        fixed = inp.fixed_choice.reindex(ids).to_numpy(float)
        given = ~np.isnan(fixed)
        lb = np.where(given, fixed, lb)
        ub = np.where(given, fixed, ub)
    return VarBlock("choose", pd.Index(ids, name="project"), lb, ub, np.ones(len(a)),
                    doc("choose"), inp.free_choice.copy())


def emission_variables(inp: ModelInputs, targets: dict[str, pd.Index]) -> list[VarBlock]:
    """emissions[t] (free), shortfall[row] (fixed at 0 unless elastic), max_emissions (free)."""
    E = emission_scale(inp)
    T = len(inp.years)
    labels = [(name, str(i)) for name, idx in targets.items() for i in idx]
    sidx = pd.MultiIndex.from_tuples(labels, names=["row", "index"]) if labels else \
        pd.MultiIndex.from_tuples([], names=["row", "index"])
    n = len(labels)
    return [
        VarBlock("emissions", _years(inp), np.full(T, -INF), np.full(T, INF), np.full(T, E),
                 doc("emissions")),
        VarBlock("shortfall", sidx, np.zeros(n), np.zeros(n), np.full(n, E), doc("shortfall")),
        VarBlock("max_emissions", SCALAR, np.array([-INF]), np.array([INF]), np.array([E]),
                 doc("max_emissions")),
    ]


# ---------------------------------------------------------------- project limits

def stock_balance(inp: ModelInputs) -> RowBlock:
    """stock[p,t] − stock[p,t−1] − build[p,t] + build[p,t−L_p] = 0."""
    return stock_recursion("stock_balance", "stock", "build",
                           inp.projects["lifetime_years"].to_numpy(int), len(inp.years),
                           _pt_index(inp))


def stock_recursion(name: str, stock: str, build: str, lifetimes: np.ndarray, n_years: int,
                    index: pd.Index) -> RowBlock:
    """The rows stock[p,t] − stock[p,t−1] − build[p,t] + build[p,t−L_p] = 0 of variable
    families `stock` and `build` ((P, T) row-major, lifetimes L_p in years)."""
    P, T = len(lifetimes), n_years
    k = np.arange(P * T)
    p, t = np.divmod(k, T)
    prev = t > 0
    ret = t - lifetimes[p] >= 0
    terms = [Term(stock, k, k, np.ones(P * T)),
             Term(stock, k[prev], k[prev] - 1, -np.ones(prev.sum())),
             Term(build, k, k, -np.ones(P * T)),
             Term(build, k[ret], k[ret] - lifetimes[p[ret]], np.ones(ret.sum()))]
    z = np.zeros(P * T)
    return RowBlock(name, index, terms, z, z.copy(), doc(name))


def exclusive_group_limit(inp: ModelInputs) -> RowBlock:
    """Σ_{p∈g} stock[p,t] / U_p ≤ 1."""
    proj = inp.projects
    T = len(inp.years)
    groups = sorted({g for g in proj["exclusive_group"] if g})
    gpos = {g: i for i, g in enumerate(groups)}
    member = np.flatnonzero(proj["exclusive_group"].astype(bool).to_numpy())
    g_of = np.array([gpos[g] for g in proj["exclusive_group"].to_numpy()[member]], dtype=int)
    U = proj["max_units"].to_numpy(float)
    rows = (g_of[:, None] * T + np.arange(T)[None, :]).ravel()
    cols = (member[:, None] * T + np.arange(T)[None, :]).ravel()
    coef = np.repeat(1.0 / U[member], T)
    idx = pd.MultiIndex.from_product([groups, inp.years], names=["group", "year"])
    n = len(idx)
    return RowBlock("exclusive_group_limit", idx, [Term("stock", rows, cols, coef)],
                    np.full(n, -INF), np.ones(n), doc("exclusive_group_limit"))


def _sector_terms(inp: ModelInputs, pairs: list[tuple[str, int]], sign: float,
                  projects_mask: np.ndarray | None = None) -> Term:
    """Terms sign·a[p,t]·stock[p,t] for p in sector s, one local row per (s, t) in `pairs`."""
    proj = inp.projects
    T = len(inp.years)
    ypos = {y: i for i, y in enumerate(inp.years)}
    sec = proj["sector"].to_numpy()
    a = inp.abatement.to_numpy(float)
    rows, cols, coef = [], [], []
    by_sector = {s: np.flatnonzero((sec == s) & (projects_mask if projects_mask is not None
                                                 else True)) for s, _ in pairs}
    for r, (s, y) in enumerate(pairs):
        ps = by_sector[s]
        t = ypos[y]
        rows.append(np.full(len(ps), r))
        cols.append(ps * T + t)
        coef.append(sign * a[ps, t])
    if not rows:
        return Term("stock", np.zeros(0, int), np.zeros(0, int), np.zeros(0))
    return Term("stock", np.concatenate(rows), np.concatenate(cols), np.concatenate(coef))


def sector_floor(inp: ModelInputs) -> RowBlock:
    """Σ_{p∈s} a[p,t]·stock[p,t] ≤ BAU[s,t], where BAU[s,t] > 0 and s has projects."""
    has = set(inp.projects["sector"])
    pairs = [(s, t) for s in inp.sectors if s in has for t in inp.years
             if inp.bau.loc[s, t] > 0]
    ub = np.array([float(inp.bau.loc[s, t]) for s, t in pairs], dtype=float)
    idx = pd.MultiIndex.from_tuples(pairs, names=["sector", "year"]) if pairs else \
        pd.MultiIndex.from_tuples([], names=["sector", "year"])
    return RowBlock("sector_floor", idx, [_sector_terms(inp, pairs, 1.0)],
                    np.full(len(pairs), -INF), ub, doc("sector_floor"))


def investment_budget(inp: ModelInputs) -> RowBlock | None:
    """Σ_p capex[p,t]·build[p,t] ≤ max_investment_cny_per_year (only when a budget is set)."""
    cap = inp.scenario.budget.max_investment_cny_per_year
    if cap is None:
        return None
    P, T = len(inp.projects), len(inp.years)
    k = np.arange(P * T)
    terms = [Term("build", k % T, k, inp.capex.to_numpy(float).ravel())]
    return RowBlock("investment_budget", _years(inp), terms, np.full(T, -INF),
                    np.full(T, float(cap)), doc("investment_budget"))


def choice_rows(inp: ModelInputs) -> list[RowBlock]:
    """For all_or_nothing projects p: stock[p,t] − U_p·choose[p] ≤ 0 (choice_capacity) and
    Σ_{t ≤ target year} build[p,t] − m_p·U_p·choose[p] ≥ 0 (choice_minimum)."""
    a = inp.all_or_nothing
    if len(a) == 0:
        return []
    T = len(inp.years)
    n = len(a)
    U = inp.projects["max_units"].to_numpy(float)[a]
    share = inp.projects["min_share"].to_numpy(float)[a]
    k = np.arange(n * T)
    i = k // T
    cap = RowBlock("choice_capacity",
                   pd.MultiIndex.from_product([inp.projects.index[a], inp.years],
                                              names=["project", "year"]),
                   [Term("stock", k, a[i] * T + k % T, np.ones(n * T)),
                    Term("choose", k, i, -np.repeat(U, T))],
                   np.full(n * T, -INF), np.zeros(n * T), doc("choice_capacity"))
    upto = np.flatnonzero(np.asarray(inp.years) <= inp.target_year)
    m = len(upto)
    rows = np.repeat(np.arange(n), m)
    cols = (a[:, None] * T + upto[None, :]).ravel()
    low = RowBlock("choice_minimum", pd.Index(inp.projects.index[a], name="project"),
                   [Term("build", rows, cols, np.ones(n * m)),
                    Term("choose", np.arange(n), np.arange(n), -share * U)],
                   np.zeros(n), np.full(n, INF), doc("choice_minimum"))
    return [cap, low]


def fixed_cost_coeff(inp: ModelInputs) -> np.ndarray:
    """Objective coefficient of choose[p]: fixed_cost_cny·df(max(Y_p, start)), CNY at the start
    of the start year (the fixed cost is paid once, at the start of the project's earliest
    year, and is not annuitised)."""
    a = inp.all_or_nothing
    proj = inp.projects
    when = np.maximum(proj["earliest_year"].to_numpy(int)[a], inp.start)
    df = (1.0 + inp.rate) ** (-(when - inp.start).astype(float))
    return proj["fixed_cost_cny"].to_numpy(float)[a] * df


# ---------------------------------------------------------------- emissions

def emissions_balance(inp: ModelInputs) -> RowBlock:
    """emissions[t] + Σ_{p∈P_scope} a[p,t]·stock[p,t] = Σ_{s∈S_scope} BAU[s,t]."""
    T = len(inp.years)
    t = np.arange(T)
    ps = np.flatnonzero(inp.in_scope)
    a = inp.abatement.to_numpy(float)
    cols = (ps[:, None] * T + t[None, :]).ravel()
    rows = np.tile(t, len(ps))
    terms = [Term("emissions", t, t, np.ones(T)),
             Term("stock", rows, cols, a[ps].ravel())]
    rhs = np.array(inp.bau_scope.reindex(inp.years).to_numpy(float), dtype=float)
    return RowBlock("emissions_balance", _years(inp), terms, rhs, rhs.copy(),
                    doc("emissions_balance"))


# ---------------------------------------------------------------- targets

def target_indices(inp: ModelInputs) -> dict[str, pd.Index]:
    """The index of every target row family (structure: fixed when the model is built)."""
    tg = inp.scenario.target
    yrs = _years(inp)
    sec = [(s, t) for s, caps in tg.sector_cap_t.items() for t in caps]
    return {
        "emissions_cap": yrs, "cap_path": yrs, "per_capita_cap": yrs, "peak_level": yrs,
        "non_increasing_after_peak": pd.Index(inp.years[:-1], name="year"),
        "no_target_guard": yrs, "carbon_budget": SCALAR,
        "intensity_target": pd.RangeIndex(len(tg.intensity), name="k"),
        "sector_cap": (pd.MultiIndex.from_tuples(sec, names=["sector", "year"]) if sec
                       else pd.MultiIndex.from_tuples([], names=["sector", "year"])),
    }


def _gdp(inp: ModelInputs, year: int, key: str) -> float:
    ind = inp.dataset.indicators
    if ind is not None:
        row = ind.loc[ind["year"] == year, "gdp_cny"]
        if len(row):
            return float(row.iloc[0])
    raise InputError(inp.dataset.folder / "indicators.csv", "column 'year'",
                     f"no row for year {year}", f"GDP for the year named by {key}")


def intensity_ratio(inp: ModelInputs, k: int) -> float:
    """(1 − red_k)·GDP[y]/GDP[b] of intensity target k."""
    it = inp.scenario.target.intensity[k]
    key = f"target.intensity.{k}"
    return (1.0 - it.reduction) * _gdp(inp, it.year, key) / _gdp(inp, it.base_year, key)


def target_rows(inp: ModelInputs, indices: dict[str, pd.Index]) -> list[RowBlock]:
    """The target rows, each with its shortfall column; right-hand sides +∞ (set later)."""
    ypos = {y: i for i, y in enumerate(inp.years)}
    tg = inp.scenario.target
    out, s_off = [], 0
    for name in TARGET_ROWS:
        idx = indices[name]
        n = len(idx)
        r = np.arange(n)
        terms: list[Term] = []
        if name in ("emissions_cap", "cap_path", "per_capita_cap", "peak_level",
                    "no_target_guard"):
            cols = np.array([ypos[y] for y in idx], dtype=int)
            terms.append(Term("emissions", r, cols, np.ones(n)))
        elif name == "non_increasing_after_peak":
            cols = np.array([ypos[y] for y in idx], dtype=int)
            terms += [Term("emissions", r, cols + 1, np.ones(n)),
                      Term("emissions", r, cols, -np.ones(n))]
        elif name == "carbon_budget":
            T = len(inp.years)
            terms.append(Term("emissions", np.zeros(T, int), np.arange(T), np.ones(T)))
        elif name == "intensity_target":
            for k, it in enumerate(tg.intensity):
                terms.append(Term("emissions", np.array([k]), np.array([ypos[it.year]]),
                                  np.ones(1)))
                if it.base == "plan":
                    terms.append(Term("emissions", np.array([k]),
                                      np.array([ypos[it.base_year]]),
                                      np.array([-intensity_ratio(inp, k)])))
        elif name == "sector_cap":
            terms.append(_sector_terms(inp, list(idx), -1.0))
            _check_sector_caps(inp, list(idx))
        terms.append(Term("shortfall", r, s_off + r, -np.ones(n)))
        s_off += n
        out.append(RowBlock(name, idx, terms, np.full(n, -INF), np.full(n, INF), doc(name)))
    return out


def _check_sector_caps(inp: ModelInputs, pairs: list[tuple[str, int]]) -> None:
    """A cap on a sector no project reduces must hold by itself (else it is an input error)."""
    sc = inp.scenario
    has = set(inp.projects["sector"])
    for s, t in pairs:
        cap = sc.target.sector_cap_t[s][t]
        bau = float(inp.bau.loc[s, t])
        if s not in has and bau > cap:
            raise InputError(sc.source_of("target", "sector_cap_t", s, t),
                             f"key 'target.sector_cap_t.{s}.{t}'",
                             f"cap {cap:.6g} t is below the sector's BAU {bau:.6g} t and no "
                             f"project reduces sector {s!r}", "a cap the sector's projects can "
                             "reach")


def target_bounds(inp: ModelInputs, target: Target, e0: np.ndarray | None,
                  scale: float = 1.0) -> dict[str, np.ndarray]:
    """Upper bounds of every target row for `target` (+∞: no target), tCO2.

    `e0` is the no-target plan's emissions per optimised year (needed by the level and strict
    peak forms and by intensity targets based on it). `scale` multiplies every tonne-valued
    level (the marginal cost of the target moves it by 1 ± δ); the strict guard is not scaled.
    Optimised years beyond years.end hold the level of years.end.
    """
    years = inp.years
    T = len(years)
    yr = np.asarray(years)
    out: dict[str, np.ndarray] = {}
    cap = target.cap_t
    out["emissions_cap"] = np.full(T, INF if cap is None else cap * scale)
    out["cap_path"] = np.array([target.cap_path_t.get(t, INF) for t in years]) * scale
    pop = (inp.indicators["population"] if inp.indicators is not None and target.per_capita_t
           else None)
    out["per_capita_cap"] = np.array([
        target.per_capita_t[t] * float(pop[t]) if t in target.per_capita_t and pop is not None
        else INF for t in years]) * scale
    Y = target.peak_year
    level = np.full(T, INF)
    strict = np.full(T - 1, INF)
    guard = np.full(T, INF)
    if Y is not None:
        if e0 is None:
            raise ValueError("the peak target needs the no-target plan's emissions")
        iy = years.index(Y)
        if target.peak_form == "level":
            L = e0[iy] if cap is None else min(cap, e0[iy])
            after = yr >= Y
            level[after] = L * scale * (1.0 - target.decline_after_peak) ** (yr[after] - Y)
        else:
            strict[yr[:-1] >= Y] = 0.0
            guard = np.asarray(e0, float).copy()
    out["peak_level"] = level
    out["non_increasing_after_peak"] = strict
    out["no_target_guard"] = guard
    budget = target.carbon_budget_t
    out["carbon_budget"] = np.array([INF if budget is None else budget * scale])
    inten = []
    for k, it in enumerate(target.intensity):
        if it.base == "plan":
            inten.append(0.0)
            continue
        if it.base_emissions_t is not None:
            Eb = it.base_emissions_t
        else:
            if e0 is None:
                raise ValueError("the intensity target needs the no-target plan's emissions")
            Eb = float(e0[years.index(it.base_year)])
        inten.append(intensity_ratio(inp, k) * Eb * scale)
    out["intensity_target"] = np.array(inten, dtype=float)
    out["sector_cap"] = np.array([target.sector_cap_t[s][t] * scale - float(inp.bau.loc[s, t])
                                  for s, caps in target.sector_cap_t.items() for t in caps],
                                 dtype=float)
    end = inp.report_end
    if end < years[-1]:  # extension years hold the last reported year's level
        ie = years.index(end)
        for name in ("emissions_cap", "cap_path", "per_capita_cap", "peak_level"):
            out[name][ie + 1:] = out[name][ie]
    return out


def needs_no_target_plan(target: Target) -> bool:
    """True when a target's bounds depend on the no-target plan's emissions."""
    return target.peak_year is not None or any(
        it.base == "no_target" and it.base_emissions_t is None for it in target.intensity)


# ---------------------------------------------------------------- auxiliary rows

def cost_limit(inp: ModelInputs) -> RowBlock:
    """Σ obj_cost coefficients·x ≤ cost_max (+∞ until an analysis holds the cost)."""
    P, T = len(inp.projects), len(inp.years)
    k = np.arange(P * T)
    z = np.zeros(P * T, int)
    terms = [Term("build", z, k, inp.capex_coeff.ravel()),
             Term("stock", z.copy(), k, inp.opex_coeff.ravel())]
    n = len(inp.all_or_nothing)
    if n:
        terms.append(Term("choose", np.zeros(n, int), np.arange(n), fixed_cost_coeff(inp)))
    return RowBlock("cost_limit", SCALAR, terms, np.array([-INF]), np.array([INF]),
                    doc("cost_limit"))


def max_emissions_bound(inp: ModelInputs) -> RowBlock:
    """emissions[t] − max_emissions ≤ 0."""
    T = len(inp.years)
    t = np.arange(T)
    terms = [Term("emissions", t, t, np.ones(T)),
             Term("max_emissions", t, np.zeros(T, int), -np.ones(T))]
    return RowBlock("max_emissions_bound", _years(inp), terms, np.full(T, -INF),
                    np.zeros(T), doc("max_emissions_bound"))


# ---------------------------------------------------------------- objectives

def objectives(inp: ModelInputs) -> dict[str, dict[str, np.ndarray]]:
    """obj_cost (NPV, CNY), obj_shortfall, obj_emissions (Σ_t emissions), obj_peak."""
    T = len(inp.years)
    cost = {"build": inp.capex_coeff.ravel(), "stock": inp.opex_coeff.ravel()}
    if len(inp.all_or_nothing):
        cost["choose"] = fixed_cost_coeff(inp)
    return {
        "obj_cost": cost,
        "obj_shortfall": {"shortfall": 1.0},
        "obj_emissions": {"emissions": np.ones(T)},
        "obj_peak": {"max_emissions": np.ones(1)},
    }


def formulate(inp: ModelInputs) -> Layout:
    """The whole LP for `inp`, target rows free (+∞): sets, variables, project limits,
    emissions, targets, auxiliary rows, objectives — in reading order. With lumpy projects
    (integer builds, all_or_nothing choices) it is a mixed-integer programme; without, the
    choice block and rows are absent and the LP is exactly the continuous one."""
    tidx = target_indices(inp)
    variables = project_variables(inp) + emission_variables(inp, tidx) + [
        choice_variables(inp)]
    rows = [stock_balance(inp), exclusive_group_limit(inp), sector_floor(inp),
            investment_budget(inp), *choice_rows(inp), emissions_balance(inp),
            *target_rows(inp, tidx), cost_limit(inp), max_emissions_bound(inp)]
    layout = Layout({v.name: v for v in variables if v is not None},
                    {r.name: r for r in rows if r is not None})
    layout.objectives = objectives(inp)
    return layout


__all__ = ["emission_scale", "formulate", "needs_no_target_plan", "target_bounds",
           "target_indices"]
