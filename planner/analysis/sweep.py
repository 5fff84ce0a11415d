"""Target stringency: solve one scenario over a grid of caps and peak years.

One model is built per peak year and re-solved for every cap by changing the right-hand sides
of its target rows (HiGHS keeps its basis), loosest cap first. Infeasible or failed points are
recorded and the sweep goes on. Peak years are independent and may run in parallel processes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd

from planner.analysis.economics import Marginal, marginal_cost
from planner.analysis.narrator import shortfall_summary
from planner.analysis.shortfall import min_shortfall
from planner.errors import PlannerError
from planner.model.inputs import ModelInputs
from planner.model.lumpy import fixed_integer_model
from planner.model.persistent import PlanningModel
from planner.results import peak_of, price_range

SWEEP_COLUMNS = ["cap_t", "peak_year", "status", "objective_cny", "target_cost_cny",
                 "marginal_cost_tighten_cny_per_t", "marginal_cost_loosen_cny_per_t",
                 "carbon_price_cny_per_t", "carbon_price_low_cny_per_t",
                 "carbon_price_high_cny_per_t", "target_year", "peak_emissions_t",
                 "actual_peak_year",
                 "projects_used", "n_projects_used", "investment_cny", "reason"]


def parse_caps(spec: str) -> list[float]:
    """'FROM:TO:STEPS' (tCO2) -> STEPS caps from FROM to TO inclusive; or one number."""
    parts = spec.split(":")
    try:
        if len(parts) == 1:
            return [float(parts[0])]
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        raise ValueError(f"found {spec!r}; expected FROM:TO:STEPS such as 4.2e7:3.8e7:21") from None
    if n < 1 or len(parts) != 3:
        raise ValueError(f"found {spec!r}; expected FROM:TO:STEPS with STEPS >= 1")
    return [float(x) for x in np.linspace(lo, hi, n)]


def parse_years(spec: str) -> list[int]:
    """'2023..2030' or '2025' or '2023,2025' -> list of years."""
    try:
        if ".." in spec:
            a, b = spec.split("..")
            return list(range(int(a), int(b) + 1))
        return [int(x) for x in spec.split(",")]
    except ValueError:
        raise ValueError(f"found {spec!r}; expected a year, Y1..Y2 or Y1,Y2,…") from None


def _point(pm: PlanningModel, cap: float | None, peak_year: int | None) -> dict:
    inp = pm.inp
    target = inp.scenario.target.model_copy(update={"cap_t": cap, "peak_year": peak_year})
    pm.set_target(target)
    ty = peak_year or inp.report_end
    rec = {"cap_t": cap, "peak_year": peak_year, "target_year": ty}
    try:
        sol = pm.solve()
    except PlannerError as exc:
        return rec | {"status": "error", "reason": str(exc)}
    if sol.status not in ("optimal", "time_limit"):  # time_limit: a MIP's incumbent
        return rec | {"status": sol.status, "reason": infeasible_reason(pm)}
    stock = pm.values(sol, "stock").unstack().reindex(index=inp.projects.index)
    build = pm.values(sol, "build").unstack().reindex(index=inp.projects.index,
                                                      columns=inp.years)
    U = inp.projects["max_units"]
    used = [p for p in inp.projects.index if stock.loc[p].max() > 1e-6 * U[p]]
    emissions = pm.values(sol, "emissions").reindex(inp.years)
    price_pm, price_sol = pm, sol
    if pm.is_mip:  # lumpy projects: prices from the LP with the integer choices fixed
        price_pm = fixed_integer_model(pm, sol)
        price_sol = price_pm.solve()
    notes = []
    try:  # the target year's price and, where the dual is not unique, its one-sided values
        price, low, high, _ = price_range(price_pm, ty)
    except PlannerError as exc:  # a side analysis fails soft: the point itself is optimal
        dual = float(price_pm.duals(price_sol, "emissions_balance")[ty])
        price = dual / float(inp.weights[inp.years.index(ty)]) + 0.0
        low = high = math.nan
        notes.append(f"one-sided prices not computed: {exc}")
    try:
        mc = marginal_cost(price_pm, price_sol)
    except PlannerError as exc:  # a side analysis fails soft: the point itself is optimal
        mc = Marginal(math.nan, math.nan)
        notes.append(f"marginal cost not computed: {exc}")
    py, pv = peak_of(pd.DataFrame({"year": inp.years, "emissions_t": emissions.to_numpy()}))
    investment = float((build * inp.capex).to_numpy().sum())
    return rec | {
        "status": sol.status, "objective_cny": sol.objective,
        "target_cost_cny": sol.objective - pm.no_target.objective_cny,
        "marginal_cost_tighten_cny_per_t": mc.tighten,
        "marginal_cost_loosen_cny_per_t": mc.loosen,
        "carbon_price_cny_per_t": price, "carbon_price_low_cny_per_t": low,
        "carbon_price_high_cny_per_t": high,
        "peak_emissions_t": pv, "actual_peak_year": py,
        "projects_used": " ".join(used), "n_projects_used": len(used),
        "investment_cny": investment, "reason": "; ".join(notes),
    }


def infeasible_reason(pm: PlanningModel) -> str:
    """Why `pm`'s current target cannot be met: its minimum shortfall, in words."""
    try:
        _, short = min_shortfall(pm)
    except PlannerError as exc:
        return f"no plan meets this target; its shortfall could not be computed: {exc}"
    return shortfall_summary(short)


def sweep_peak_year(inp: ModelInputs, peak_year: int | None, caps: Sequence[float | None],
                    tick: Callable[[], None] | None = None) -> list[dict]:
    """All caps for one peak year, on one persistent model, loosest cap first."""
    pm = PlanningModel(inp)
    order = sorted(caps, key=lambda c: -math.inf if c is None else -c)
    out = []
    for cap in order:
        out.append(_point(pm, cap, peak_year))
        if tick:
            tick()
    return out


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which terminates them (no tracebacks from each)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker(args) -> list[dict]:
    inp, peak_year, caps = args
    return sweep_peak_year(inp, peak_year, caps)


def sweep(inp: ModelInputs, caps: Sequence[float | None], peak_years: Sequence[int | None],
          jobs: int = 1, progress: bool = False) -> pd.DataFrame:
    """The sweep table (sweep.csv): one row per (peak year, cap)."""
    from tqdm import tqdm

    total = len(caps) * len(peak_years)
    bar = tqdm(total=total, unit="point", disable=not progress, desc="sweep")
    rows: list[dict] = []
    try:
        if jobs <= 1 or len(peak_years) == 1:
            for y in peak_years:
                rows += sweep_peak_year(inp, y, caps, tick=lambda: bar.update(1))
        else:
            ex = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint)
            try:
                for res in ex.map(_worker, [(inp, y, list(caps)) for y in peak_years]):
                    rows += res
                    bar.update(len(res))
            except BaseException:
                # Ctrl-C (or a failure): stop the workers now rather than after their year
                for proc in list((ex._processes or {}).values()):
                    proc.terminate()
                ex.shutdown(wait=False, cancel_futures=True)
                raise
            ex.shutdown()
    finally:
        bar.close()
    df = pd.DataFrame(rows).reindex(columns=SWEEP_COLUMNS)
    df = df.sort_values(["peak_year", "cap_t"], ascending=[True, False], na_position="first")
    return df.reset_index(drop=True)


def project_entry(sweep_df: pd.DataFrame, inp: ModelInputs) -> pd.DataFrame:
    """For each project and peak year: the loosest cap at which it is first used, and the
    marginal cost of the target there (CNY per discounted tonne, to tighten) — the optimiser's
    ranking (project_entry.csv)."""
    rows = []
    for py, g in sweep_df.groupby(sweep_df["peak_year"].fillna(-1), sort=True):
        ok = g[g["status"] == "optimal"].sort_values("cap_t", ascending=False)
        for p in inp.projects.index:
            used = ok["projects_used"].astype(object).fillna("").astype(str).str.split()
            hit = ok[used.apply(lambda s, p=p: p in s)]
            first = hit.iloc[0] if len(hit) else None
            rows.append({
                "project": p, "name": inp.projects.loc[p, "name"],
                "peak_year": None if py == -1 else int(py),
                "entry_cap_t": None if first is None else first["cap_t"],
                "marginal_cost_cny_per_t": None if first is None
                else first["marginal_cost_tighten_cny_per_t"],
                "used_at_loosest_cap": bool(first is not None and len(ok)
                                            and first["cap_t"] == ok["cap_t"].iloc[0]),
            })
    out = pd.DataFrame(rows)
    return out.sort_values(["peak_year", "entry_cap_t", "project"],
                           ascending=[True, False, True], na_position="last").reset_index(
        drop=True)


def with_target(inp: ModelInputs, **changes) -> ModelInputs:
    """The same inputs under a changed target (e.g. cap_t=None)."""
    sc = inp.scenario
    return replace(inp, scenario=sc.model_copy(update={"target": sc.target.model_copy(
        update=changes)}))
