"""Reference LP: planner's formulation written straight to HiGHS from numpy arrays.

Independent of planner's code: reads the scenario YAML and the dataset CSVs with yaml/pandas,
builds the constraint matrix as a scipy.sparse CSC matrix from numpy index arrays and passes it
to ``highspy.Highs().passModel(HighsLp)``. Used by bench/perf.py (timing floor and objective
check) and by bench/synth.py (feasibility of the synthetic cap).

Units: build/stock in project units, emissions in tCO2, money in CNY; the objective is the NPV
in CNY at the start of the start year (annual flows fall at the end of each year).

Supported scenario keys: name, data, years {start, end}, discount_rate, target {cap_t}.

    python bench/reference.py path/to/scenario.yaml
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp
import yaml

INF = highspy.kHighsInf
_SUPPORTED = {"name", "data", "years", "discount_rate", "target"}


@dataclass
class Case:
    """A scenario as arrays. Money in CNY, emissions in tCO2, stocks in project units."""

    years: np.ndarray  # (T,) int
    rate: float  # real discount rate, 1/yr
    cap_t: float | None  # emissions cap, tCO2 per year (None = no target)
    projects: list[str]  # (P,)
    sectors: list[str]  # (S,)
    bau: np.ndarray  # (S, T) BAU emissions, tCO2/yr
    proj_sector: np.ndarray  # (P,) int index into sectors
    max_units: np.ndarray  # (P,) units
    max_build: np.ndarray  # (P,) units/yr
    earliest: np.ndarray  # (P,) int year
    life: np.ndarray  # (P,) int years
    fixed_om: np.ndarray  # (P,) CNY/unit/yr
    capex: np.ndarray  # (P, T) CNY/unit, by build year
    savings: np.ndarray  # (P, T) CNY/unit/yr, by operating year
    abatement: np.ndarray  # (P, T) tCO2/unit/yr, by operating year
    group: np.ndarray  # (P,) int index into groups, -1 = none
    groups: list[str] = field(default_factory=list)


@dataclass
class RefResult:
    """Outcome of one reference solve; times in seconds (wall), objective in CNY."""

    status: str
    objective: float
    read_s: float  # YAML + CSV -> arrays
    build_s: float  # arrays -> CSC matrix + HighsLp + passModel
    highs_s: float  # wall time of h.run()
    highs_runtime_s: float  # HiGHS's own clock (getRunTime difference) over h.run()
    total_s: float
    num_col: int
    num_row: int
    nnz: int


def read_case(scenario: str | Path, cap_t: float | None | str = "scenario") -> Case:
    """Read a scenario YAML and its dataset into arrays (cap_t overrides the target if given)."""
    path = Path(scenario)
    sc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(sc) - _SUPPORTED
    if unknown:
        raise NotImplementedError(f"reference: unsupported scenario keys {sorted(unknown)}")
    target = sc.get("target") or {}
    if set(target) - {"cap_t"}:
        raise NotImplementedError(f"reference: only target.cap_t is supported, got {target}")
    folder = (path.parent / sc["data"]).resolve()
    start, end = int(sc["years"]["start"]), int(sc["years"]["end"])
    years = np.arange(start, end + 1)
    T = len(years)
    cap = target.get("cap_t") if cap_t == "scenario" else cap_t

    base = pd.read_csv(folder / "baseline.csv", dtype={"sector": str}, keep_default_na=False)
    base = base[(base["year"] >= start) & (base["year"] <= end)]
    sectors = list(dict.fromkeys(base["sector"]))
    si = pd.Index(sectors).get_indexer(base["sector"])
    bau = np.full((len(sectors), T), np.nan)
    bau[si, base["year"].to_numpy(np.int64) - start] = base["emissions_t"].to_numpy(float)
    if np.isnan(bau).any():
        raise ValueError("baseline.csv: some sector lacks a year of the horizon")

    text = {c: str for c in ("project", "name", "measure", "sector", "unit", "exclusive_group")}
    pr = pd.read_csv(folder / "projects.csv", dtype=text, keep_default_na=False)
    P = len(pr)
    projects = list(pr["project"])
    proj_sector = pd.Index(sectors).get_indexer(pr["sector"])
    if (proj_sector < 0).any():
        raise ValueError("projects.csv: a project names a sector not in baseline.csv")
    col = {c: pr[c].to_numpy(float) for c in (
        "max_units", "max_build_per_year", "capex_cny_per_unit", "fixed_om_cny_per_unit_year",
        "savings_cny_per_unit_year", "abatement_t_per_unit_year")}
    grp = pr["exclusive_group"].str.strip() if "exclusive_group" in pr else pd.Series([""] * P)
    groups = sorted(set(grp) - {""})
    group = np.where(grp.to_numpy() == "", -1, pd.Index(groups).get_indexer(grp))

    capex = np.repeat(col["capex_cny_per_unit"][:, None], T, axis=1)
    savings = np.repeat(col["savings_cny_per_unit_year"][:, None], T, axis=1)
    abatement = np.repeat(col["abatement_t_per_unit_year"][:, None], T, axis=1)
    py_path = folder / "project_years.csv"
    if py_path.exists():
        py = pd.read_csv(py_path, dtype={"project": str})
        py = py[(py["year"] >= start) & (py["year"] <= end)]
        pi = pd.Index(projects).get_indexer(py["project"])
        if (pi < 0).any():
            raise ValueError("project_years.csv: unknown project")
        ti = py["year"].to_numpy(np.int64) - start
        for name, arr in (("capex_cny_per_unit", capex), ("savings_cny_per_unit_year", savings),
                          ("abatement_t_per_unit_year", abatement)):
            if name in py:
                v = py[name].to_numpy(float)
                ok = ~np.isnan(v)
                arr[pi[ok], ti[ok]] = v[ok]

    return Case(years=years, rate=float(sc.get("discount_rate", 0.0)),
                cap_t=None if cap is None else float(cap), projects=projects, sectors=sectors,
                bau=bau, proj_sector=proj_sector, max_units=col["max_units"],
                max_build=col["max_build_per_year"], earliest=pr["earliest_year"].to_numpy(int),
                life=pr["lifetime_years"].to_numpy(int), fixed_om=col["fixed_om_cny_per_unit_year"],
                capex=capex, savings=savings, abatement=abatement, group=group, groups=groups)


def cost_coefficients(case: Case) -> tuple[np.ndarray, np.ndarray]:
    """(capex_coeff, opex_coeff), each (P, T), in CNY at the start of the start year per unit.

    capex_coeff[p,t] = capex[p,t]·CRF_p·Σ_{u=t}^{min(t+L_p−1,end)} df(u) / (1+r)  (per unit built)
    opex_coeff[p,t]  = df(t)/(1+r)·(fixed_om_p − savings[p,t])                   (per unit in stock)
    """
    r, T = case.rate, len(case.years)
    k = np.arange(T)
    df = (1.0 + r) ** (-k.astype(float))
    L = case.life.astype(float)
    if r == 0:
        crf = 1.0 / L
    else:
        g = (1.0 + r) ** L
        crf = r * g / (g - 1.0)
    cum = np.concatenate([[0.0], np.cumsum(df)])  # cum[j] = Σ_{k<j} df(k)
    last = np.minimum(k[None, :] + case.life[:, None], T)  # exclusive end index, (P, T)
    ann = cum[last] - cum[k][None, :]
    capex_c = case.capex * crf[:, None] * ann / (1.0 + r)
    opex_c = (df / (1.0 + r))[None, :] * (case.fixed_om[:, None] - case.savings)
    return capex_c, opex_c


def build_lp(case: Case) -> highspy.HighsLp:
    """The LP as a HighsLp (columns: build[p,t], stock[p,t], emissions[t]; rows as below).

    Rows: stock_balance[p,t] (= 0), exclusive_group_limit[g,t] (≤ 1),
    sector_floor[s,t] (≤ BAU[s,t], where BAU[s,t] > 0 and s has projects),
    emissions_balance[t] (= Σ_{s∈S+} BAU[s,t]), emissions_cap[t] (≤ cap_t).
    """
    P, T, S = len(case.projects), len(case.years), len(case.sectors)
    nb = P * T
    pp, tt = np.divmod(np.arange(nb), T)  # project and year index of each (p,t), p-major
    bcol = np.arange(nb)  # build[p,t]
    scol = nb + bcol  # stock[p,t]
    ecol = 2 * nb + np.arange(T)  # emissions[t]
    a = case.abatement.ravel()

    rows, cols, vals, lo, hi = [], [], [], [], []
    nrow = 0

    def add(r: np.ndarray, c: np.ndarray, v: np.ndarray) -> None:
        rows.append(r)
        cols.append(c)
        vals.append(np.asarray(v, float))

    # stock_balance: stock[p,t] − stock[p,t−1] − build[p,t] + build[p,t−L] = 0
    r0 = nrow + bcol
    add(r0, scol, np.ones(nb))
    add(r0, bcol, -np.ones(nb))
    m = tt > 0
    add(r0[m], scol[m] - 1, -np.ones(m.sum()))
    Lp = case.life[pp]
    m = tt - Lp >= 0
    add(r0[m], bcol[m] - Lp[m], np.ones(m.sum()))
    lo.append(np.zeros(nb))
    hi.append(np.zeros(nb))
    nrow += nb

    # exclusive_group_limit[g,t]: Σ_{p∈g} stock[p,t]/max_units_p ≤ 1
    G = len(case.groups)
    if G:
        g = case.group[pp]
        m = g >= 0
        add(nrow + g[m] * T + tt[m], scol[m], 1.0 / case.max_units[pp[m]])
        lo.append(np.full(G * T, -INF))
        hi.append(np.ones(G * T))
        nrow += G * T

    # sector_floor[s,t]: Σ_{p∈s} a[p,t]·stock[p,t] ≤ BAU[s,t]  (BAU[s,t] > 0, s has projects)
    has_proj = np.zeros(S, bool)
    has_proj[case.proj_sector] = True
    floor = (case.bau > 0) & has_proj[:, None]  # (S, T)
    frow = np.full((S, T), -1)
    frow[floor] = nrow + np.arange(floor.sum())
    fr = frow[case.proj_sector[pp], tt]
    m = fr >= 0
    add(fr[m], scol[m], a[m])
    lo.append(np.full(floor.sum(), -INF))
    hi.append(case.bau[floor])
    nrow += int(floor.sum())

    # emissions_balance[t]: emissions[t] + Σ_{p∈P+} a[p,t]·stock[p,t] = Σ_{s∈S+} BAU[s,t]
    splus = (case.bau > 0).any(axis=1)  # gross scope
    pplus = splus[case.proj_sector][pp]
    add(nrow + np.arange(T), ecol, np.ones(T))
    add(nrow + tt[pplus], scol[pplus], a[pplus])
    bau_plus = case.bau[splus].sum(axis=0)
    lo.append(bau_plus)
    hi.append(bau_plus)
    nrow += T

    # emissions_cap[t]: emissions[t] ≤ cap_t
    cap = INF if case.cap_t is None else case.cap_t
    add(nrow + np.arange(T), ecol, np.ones(T))
    lo.append(np.full(T, -INF))
    hi.append(np.full(T, cap))
    nrow += T

    ncol = 2 * nb + T
    A = sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                      shape=(nrow, ncol))
    A.sum_duplicates()
    A.sort_indices()

    capex_c, opex_c = cost_coefficients(case)
    build_ub = np.where(case.years[None, :] < case.earliest[:, None], 0.0,
                        case.max_build[:, None]).ravel()
    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = nrow
    lp.col_cost_ = np.concatenate([capex_c.ravel(), opex_c.ravel(), np.zeros(T)])
    lp.col_lower_ = np.concatenate([np.zeros(2 * nb), np.full(T, -INF)])
    lp.col_upper_ = np.concatenate([build_ub, np.repeat(case.max_units, T), np.full(T, INF)])
    lp.row_lower_ = np.concatenate(lo)
    lp.row_upper_ = np.concatenate(hi)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    lp.a_matrix_.num_col_ = ncol
    lp.a_matrix_.num_row_ = nrow
    return lp


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence C-level stdout (HiGHS prints a banner when first constructed)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved, devnull = os.dup(fd), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(devnull)
        os.close(saved)


def new_highs() -> highspy.Highs:
    """A quiet single-threaded HiGHS with the options planner uses."""
    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.setOptionValue("dual_feasibility_tolerance", 1e-9)
    return h


def solve(scenario: str | Path, cap_t: float | None | str = "scenario") -> RefResult:
    """Read, build, pass and solve; objective in CNY (nan unless status is 'optimal')."""
    t0 = time.perf_counter()
    case = read_case(scenario, cap_t)
    t1 = time.perf_counter()
    lp = build_lp(case)
    h = new_highs()
    h.passModel(lp)
    t2 = time.perf_counter()
    rt0 = h.getRunTime()
    h.run()
    t3 = time.perf_counter()
    highs_rt = h.getRunTime() - rt0
    status = h.getModelStatus()
    S = highspy.HighsModelStatus
    if status == S.kUnboundedOrInfeasible:  # decide which, without presolve
        h.setOptionValue("presolve", "off")
        h.run()
        status = h.getModelStatus()
    name = {S.kOptimal: "optimal", S.kInfeasible: "infeasible"}.get(
        status, h.modelStatusToString(status))
    obj = float(h.getInfo().objective_function_value) if name == "optimal" else math.nan
    return RefResult(status=name, objective=obj, read_s=t1 - t0, build_s=t2 - t1,
                     highs_s=t3 - t2, highs_runtime_s=highs_rt, total_s=t3 - t0,
                     num_col=lp.num_col_, num_row=lp.num_row_, nnz=len(lp.a_matrix_.value_))


if __name__ == "__main__":
    res = solve(sys.argv[1])
    print(res)
