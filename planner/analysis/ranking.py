"""Ranked project lists: the cost view (vintage-levelised cost, shared and deliverable
potentials) beside the optimiser's view (the plan, entry prices in the target year, exact
reasons), and the model-derived MAC curve.

Compute only; the files are written by :mod:`planner.outputs.ranking`.
Columns of :func:`rank` (units in the names; CNY/t are real CNY per tonne CO2):
rank, project, name, measure, sector, unit, lcoa_cny_per_t (target-year vintage, the ranking
key), lcoa_first_year_cny_per_t (vintage of first_year_available), lcoa_start_year_cny_per_t
(start-year values, the former key), lcoa_rate_low/high_cny_per_t (rate ∓ 2 points),
private-rate variants, potential_t_per_year (full, target year),
deliverable_potential_t_per_year (in the target year given earliest year, roll-out limit and
lifetime), group_role, incremental_over, bar_width_t_per_year, bar_cost_cny_per_t,
cumulative_potential_t_per_year (each physical potential once), the plan's columns, entry
and exit prices in the target year (entry_price_note: why they are missing, only when they
could not be computed), the exact-reason terms, `why`, and last the free-text columns of
projects.csv (notes, source, 备注, 说明, 来源) that it has.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.analysis.discrete_entry import discrete_entry_costs
from planner.analysis.entry_prices import entry_prices
from planner.analysis.lcoa import lcoa_table
from planner.analysis.mac_model import MacModel, mac_model_bands
from planner.analysis.parametric import two_at_a_time
from planner.analysis.potentials import deliverable_potential, full_potential, shared_bars
from planner.analysis.reason_text import explain
from planner.analysis.reasons import reasons
from planner.data import FREE_TEXT
from planner.errors import PlannerError
from planner.results import Result

USED_TOL = 1e-6  # share of a project's potential below which it counts as unused


def plan_view(res: Result) -> pd.DataFrame:
    """Per project (index project id), from the optimal plan: share deployed in the target
    year, first build year, abatement (target year, horizon, t), investment (CNY), realised
    cost per tonne (CNY/t, discounted cost over discounted abatement), reduced cost of the
    cheapest build direction (start-year CNY per unit)."""
    inp = res.inputs
    proj = inp.projects
    years = inp.years
    ty = res.target_year()
    d = res.deployment

    def wide(col: str) -> np.ndarray:
        return (d.pivot(index="project", columns="year", values=col)
                .reindex(index=proj.index, columns=years).to_numpy(float))

    build, stock, ab = wide("build_units"), wide("stock_units"), wide("abatement_t")
    cost, inv = wide("annual_cost_cny"), wide("investment_cny")
    U = proj["max_units"].to_numpy(float)
    df = inp.discount.to_numpy(float)
    built = build > USED_TOL * U[:, None]
    first = np.where(built.any(axis=1), np.array(years)[np.argmax(built, axis=1)], -1)
    disc_ab, disc_cost = ab @ df, cost @ df
    rc = (res.reduced_costs.pivot(index="project", columns="year", values="build_cny_per_unit")
          .reindex(index=proj.index, columns=years).to_numpy(float))
    allowed = np.array(years)[None, :] >= proj["earliest_year"].to_numpy(int)[:, None]
    rc_min = np.where(allowed.any(axis=1), np.where(allowed, rc, np.inf).min(axis=1), np.nan)
    iy = years.index(ty)
    with np.errstate(divide="ignore", invalid="ignore"):
        realised = np.where(disc_ab > 0, disc_cost / np.where(disc_ab > 0, disc_ab, 1), np.nan)
    return pd.DataFrame({
        "share_deployed_target_year": stock[:, iy] / U,
        "first_build_year": pd.array([int(v) if v >= 0 else None for v in first],
                                     dtype="Int64"),
        "abatement_target_year_t": ab[:, iy],
        "abatement_horizon_t": ab.sum(axis=1),
        "investment_cny": inv.sum(axis=1),
        "realised_cost_cny_per_t": realised,
        "reduced_cost_cny_per_unit": rc_min + 0.0,
    }, index=proj.index.rename(None))


@dataclass
class Ranking:
    """table: the ranked list (ranking.csv); curves: the model-derived MAC curve at the
    scenario's rate and at ∓ 2 points (None when not computed); target_abatement_t: the
    scenario's own point on it (target-year abatement beyond the no-target plan, t) and
    target_cost_cny_per_t (the curve's marginal cost there); notes: the side analyses that
    could not be computed, with the reason (the rest of the ranking stands)."""

    table: pd.DataFrame
    curves: dict[str, MacModel] | None = None
    target_abatement_t: float = math.nan
    target_cost_cny_per_t: float = math.nan
    notes: list[str] = field(default_factory=list)


REASON_COLS = ["reason_kind", "reason_year", "cost_cny_per_t", "carbon_value_cny_per_t",
               "shadow_rollout_cny_per_t", "shadow_potential_cny_per_t",
               "shadow_group_cny_per_t", "shadow_sector_floor_cny_per_t",
               "shadow_budget_cny_per_t", "shadow_other_cny_per_t", "gap_cny_per_t",
               "rollout_shadow_max_cny_per_t"]


def rank(res: Result, private_rate: float | None = None, with_entry: bool = True,
         band_pts: float = 0.02, entry: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ranked project list (ranking.csv), ascending target-year-vintage LCOA. `entry`:
    the entry-price columns when already computed (else computed here if `with_entry`)."""
    inp = res.inputs
    ty = res.target_year()
    t = lcoa_table(inp, ty, private_rate, band_pts)
    t["potential_t_per_year"] = full_potential(inp, ty)
    t["deliverable_potential_t_per_year"] = deliverable_potential(inp, ty)
    t = t.join(shared_bars(inp, t["lcoa_cny_per_t"].to_numpy(), ty))
    t = t.sort_values(["lcoa_cny_per_t", "project"], kind="mergesort", na_position="last")
    t["rank"] = np.arange(1, len(t) + 1)
    bars = t.sort_values(["bar_cost_cny_per_t", "project"], kind="mergesort",
                         na_position="last")["bar_width_t_per_year"]
    t["cumulative_potential_t_per_year"] = bars.cumsum().reindex(t.index)
    t = t.join(plan_view(res))
    if entry is not None:
        t = t.join(entry)
    elif with_entry:
        t = t.join(_entry_columns(inp, ty))
    t["used"] = t["first_build_year"].notna()
    rs = reasons(inp)
    t = t.join(rs[REASON_COLS + ["carbon_main_year", "rollout_binds_from", "rollout_binds_to",
                                 "potential_full_from", "group_partner", "budget_year"]])
    t["why"] = explain(t, inp)
    if res.unfixed_inputs is not None:  # lumpy projects: the cost of entering whole
        t = t.join(discrete_entry_costs(res))
    free = [c for c in FREE_TEXT if c in inp.projects.columns]  # projects.csv's own notes
    t = t.join(inp.projects[free].fillna("").astype(str))
    first = ["rank", "project", "name", "measure", "sector", "unit", "lcoa_cny_per_t"]
    return t[first + [c for c in t.columns if c not in first]].reset_index(drop=True)


def _entry_columns(inp, ty: int) -> pd.DataFrame:
    """The entry-price columns; when they cannot be computed (a re-solve without a trustworthy
    optimum), NaN with the reason in `entry_price_note` (a side analysis fails soft). Where
    the search's budget left a project's entry bracketed, `entry_price_note` says so."""
    try:
        ep = entry_prices(inp, ty)
    except PlannerError as exc:
        return pd.DataFrame({"entry_price_cny_per_t": math.nan,
                             "entry_price_low_cny_per_t": math.nan,
                             "entry_price_high_cny_per_t": math.nan,
                             "exit_price_cny_per_t": math.nan,
                             "used_without_price": pd.NA, "monotone": pd.NA,
                             "entry_price_note": f"entry price not computed: {exc}"},
                            index=inp.projects.index.rename(None))
    t = ep.table.drop(columns="project")
    if not ep.complete:
        lo, hi = t["entry_price_low_cny_per_t"], t["entry_price_high_cny_per_t"]
        t["entry_price_note"] = [
            f"located only between {a:,.2f} and {b:,.2f} CNY/t; the search's budget of "
            f"{ep.solves} solves for {len(t)} projects was spent" if a < b else ""
            for a, b in zip(lo, hi, strict=True)]
    return t


def _curves(inp, band_pts: float) -> dict[str, MacModel] | PlannerError:
    """The model-derived curves, or the error that stopped them."""
    try:
        return mac_model_bands(inp, band_pts)
    except PlannerError as exc:
        return exc


def _entry_notes(table: pd.DataFrame) -> list[str]:
    """One note for entry prices not computed, one for those only bracketed."""
    if "entry_price_note" not in table:
        return []
    notes = table["entry_price_note"]
    failed = sorted({n for n in notes if n.startswith("entry price not computed")})
    n_open = int((table["entry_price_low_cny_per_t"]
                  < table["entry_price_high_cny_per_t"]).sum())
    if n_open:
        failed.append(f"entry prices of {n_open} of {len(table)} projects are located only "
                      "between two prices (entry_price_low/high_cny_per_t in ranking.csv): "
                      "the search's budget of solves for this many projects was spent")
    return failed


def explain_order(table: pd.DataFrame, res: Result, lang: str = "en",
                  label: Callable[[str], str] | None = None) -> pd.Series:
    """The `why` column in `lang` from a ranking's reason columns (table indexed by project
    id); `label` names other projects, by default their ids."""
    return explain(table, res.inputs, lang, label)


def ranking(res: Result, private_rate: float | None = None, with_entry: bool = True,
            with_curve: bool = True, band_pts: float = 0.02) -> Ranking:
    """The ranked list and the model-derived MAC curve (with its discount-rate band). On a
    large model the entry prices and the curves are searched at the same time, in threads
    (each on a model of its own; the results do not change)."""
    inp = res.inputs
    parallel = with_entry and with_curve and two_at_a_time(len(inp.projects), len(inp.years))
    if not parallel:
        table = rank(res, private_rate, with_entry, band_pts)
        curves = _curves(inp, band_pts) if with_curve else None
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:  # beside this thread
            entry = pool.submit(_entry_columns, inp, res.target_year())
            curves = _curves(inp, band_pts)
            table = rank(res, private_rate, with_entry, band_pts, entry=entry.result())
    notes = _entry_notes(table)
    if not with_curve:
        return Ranking(table, notes=notes)
    if isinstance(curves, PlannerError):  # a side analysis fails soft: the list stands
        return Ranking(table, notes=[*notes, f"model-derived MAC curve not computed: {curves}"])
    c = curves["central"]
    partial = [k for k, cv in curves.items() if not cv.complete]
    if partial:
        notes.append(f"model-derived MAC curve ({', '.join(partial)}): the sweep's budget of "
                     f"solves ({c.solves} for the central curve) was spent before every "
                     "breakpoint was found; some steps span several breakpoints (their cost "
                     "is the average between two exact points)")
    ty = c.year
    e = res.emissions.set_index("year")["emissions_t"]
    x = c.no_target_t - float(e[ty])
    return Ranking(table, curves, x, c.cost_at(x), notes)
