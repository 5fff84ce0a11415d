"""Ranked project lists: levelised cost of abatement (MAC order) beside what the optimiser does.

Two views of the same projects (Vogt-Schilb & Hallegatte, Energy Policy 66, 2014):
- the cost view: LCOA = (CRF·capex + fixed O&M − savings) / abatement, per unit and year, at
  start-year values, sorted ascending — the usual MAC curve;
- the optimiser's view: from the optimal plan (share deployed, first build year, realised cost
  per tonne, reduced cost) and the carbon price at which the optimiser first uses each project
  as the price of CO2 rises from zero (`entry_price_cny_per_t`).
`why` says in plain words where and why the plan departs from cost order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from planner.model.finance import crf
from planner.i18n import t
from planner.model.inputs import ModelInputs
from planner.model.formulation import Mode
from planner.model.persistent import PlanningModel
from planner.results import Result
from planner.scenario import Target

USED_TOL = 1e-6  # share of a project's potential below which it counts as unused


def lcoa_table(inp: ModelInputs, private_rate: float | None = None) -> pd.DataFrame:
    """Per project, start-year values: lcoa_cny_per_t (social rate), potential, investment,
    payback; with `private_rate`, lcoa_private_cny_per_t and breakeven_carbon_price_cny_per_t.
    """
    proj = inp.projects
    y0 = inp.start
    capex = inp.capex[y0]
    ab = inp.abatement[y0]
    sav = inp.savings[y0]
    om = proj["fixed_om_cny_per_unit_year"]
    credit = inp.cobenefit_credit()
    L = proj["lifetime_years"].astype(int)

    def lcoa(rate: float, with_credit: bool) -> pd.Series:
        f = pd.Series({p: crf(rate, int(L[p])) for p in proj.index})
        net = f * capex + om - sav - (credit if with_credit else 0.0)
        return (net / ab.replace(0.0, np.nan)).astype(float)

    out = pd.DataFrame({
        "project": proj.index,
        "name": proj["name"].to_numpy(),
        "measure": proj["measure"].to_numpy(),
        "sector": proj["sector"].to_numpy(),
        "unit": proj["unit"].to_numpy(),
        "lcoa_cny_per_t": lcoa(inp.rate, False).to_numpy(),
    }, index=proj.index.rename(None))
    if float(credit.abs().sum()) > 0:
        out["lcoa_with_cobenefits_cny_per_t"] = lcoa(inp.rate, True).to_numpy()
    if private_rate is not None:
        priv = lcoa(private_rate, False)
        out["lcoa_private_cny_per_t"] = priv.to_numpy()
        out["breakeven_carbon_price_cny_per_t"] = priv.clip(lower=0.0).to_numpy()
    out["potential_t_per_year"] = (proj["max_units"] * ab).to_numpy()
    out["investment_full_cny"] = (proj["max_units"] * capex).to_numpy()
    margin = sav - om
    out["simple_payback_years"] = np.where(margin > 0, capex / margin.where(margin > 0), np.nan)
    return out


def plan_view(res: Result) -> pd.DataFrame:
    """Per project, from the optimal plan: share deployed in the target year, first build year,
    abatement (target year, horizon), investment, realised cost per tonne, reduced cost."""
    inp = res.inputs
    proj = inp.projects
    d = res.deployment
    ty = res.target_year()
    df = inp.discount
    g = d.assign(df=d["year"].map(df))
    rows = []
    rc = res.reduced_costs.set_index(["project", "year"])["build_cny_per_unit"]
    for p in proj.index:
        dp = g[g["project"] == p].set_index("year")
        U = float(proj.loc[p, "max_units"])
        built = dp[dp["build_units"] > USED_TOL * U]
        disc_ab = float((dp["abatement_t"] * dp["df"]).sum())
        disc_cost = float((dp["annual_cost_cny"] * dp["df"]).sum())
        allowed = [t for t in inp.years if t >= int(proj.loc[p, "earliest_year"])]
        rows.append({
            "project": p,
            "share_deployed_target_year": float(dp.loc[ty, "stock_units"]) / U,
            "first_build_year": int(built.index.min()) if len(built) else None,
            "abatement_target_year_t": float(dp.loc[ty, "abatement_t"]),
            "abatement_horizon_t": float(dp["abatement_t"].sum()),
            "investment_cny": float(dp["investment_cny"].sum()),
            "realised_cost_cny_per_t": disc_cost / disc_ab if disc_ab > 0 else math.nan,
            "reduced_cost_cny_per_unit": (float(min(rc.loc[(p, t)] for t in allowed)) + 0.0
                                          if allowed else math.nan),
        })
    out = pd.DataFrame(rows)
    out.index = pd.Index(out["project"].to_list())
    out["first_build_year"] = out["first_build_year"].astype("Int64")
    return out


def entry_prices(inp: ModelInputs, grid: int = 40, refine: int = 18) -> pd.DataFrame:
    """The carbon price (CNY/t, the same in every year's money) at which the optimiser first
    uses each project beyond what it uses without any price, starting from no target.

    Re-solves one persistent model with cost + price·Σ_t df(t)·emissions[t]; prices on a grid
    up to twice the highest LCOA (at least 2,000 CNY/t), then bisection. Returns project,
    entry_price_cny_per_t (0: used without a price; NaN: not used on the grid), used_in_bau.
    """
    bau_inp = replace(inp, scenario=inp.scenario.model_copy(update={"target": Target()}))
    pm = PlanningModel(bau_inp, Mode())
    emis = [pm.m.emissions[t] for t in inp.years]
    weights = inp.discount.to_numpy()
    proj = inp.projects
    U = proj["max_units"].to_numpy()

    def usage(price: float) -> np.ndarray:
        pm.session.set_extra_costs(emis, price * weights)
        sol = pm.solve()
        if sol.status != "optimal":
            return np.full(len(U), np.nan)
        stock = pm.values(sol, "stock").unstack().reindex(index=proj.index)
        return stock.max(axis=1).to_numpy() / U

    base = usage(0.0)
    top = max(2000.0, 2.0 * float(np.nanmax(lcoa_table(inp)["lcoa_cny_per_t"].to_numpy())))
    prices = np.linspace(0.0, top, grid + 1)[1:]
    entry = np.full(len(U), np.nan)
    lo = np.zeros(len(U))
    for price in prices:
        use = usage(price)
        new = np.isnan(entry) & (use > base + USED_TOL)
        entry[new] = price
        if not np.isnan(entry).any():
            break
        lo[np.isnan(entry)] = price
    for i in np.flatnonzero(~np.isnan(entry)):  # bisection between lo and entry
        a, b = lo[i], entry[i]
        for _ in range(refine):
            mid = 0.5 * (a + b)
            if usage(mid)[i] > base[i] + USED_TOL:
                b = mid
            else:
                a = mid
        entry[i] = b
    pm.session.set_extra_costs(emis, 0.0 * weights)
    used_bau = base > USED_TOL
    return pd.DataFrame({"project": proj.index,
                         "entry_price_cny_per_t": np.where(used_bau, 0.0, entry),
                         "used_in_bau": used_bau}, index=list(proj.index))


def _limit_note(inp: ModelInputs, res: Result, p: str, lang: str = "en") -> str | None:
    """Why project p could not do more: roll-out, potential, earliest year, group."""
    proj = inp.projects
    d = res.deployment[res.deployment["project"] == p].set_index("year")
    U, R = float(proj.loc[p, "max_units"]), float(proj.loc[p, "max_build_per_year"])
    unit = proj.loc[p, "unit"]
    if int(proj.loc[p, "earliest_year"]) > inp.start:
        first = int(proj.loc[p, "earliest_year"])
        if not (d.loc[d.index >= first, "build_units"] > USED_TOL * U).any():
            return t("why.note_available", lang, year=first)
    if (d["build_units"] >= R * (1 - 1e-6)).any():
        return t("why.note_rollout", lang, value=f"{R:g}", unit=unit)
    if (d["stock_units"] >= U * (1 - 1e-6)).any():
        return t("why.note_potential", lang, value=f"{U:g}", unit=unit)
    g = proj.loc[p, "exclusive_group"]
    if g:
        return t("why.note_group", lang, group=g)
    return None


def _entry_note(inp: ModelInputs, r: pd.Series, lang: str = "en") -> str | None:
    """Why the optimiser's entry price differs from the start-year LCOA, if it does."""
    e, lc = r.get("entry_price_cny_per_t"), r["lcoa_cny_per_t"]
    if e is None or pd.isna(e) or e == 0 or abs(e - lc) <= max(20.0, 0.1 * abs(lc)):
        return None
    p = r["project"]
    if inp.abatement.loc[p].nunique() > 1:
        cause = "why.cause_abatement"
    elif inp.capex.loc[p].nunique() > 1 or inp.savings.loc[p].nunique() > 1:
        cause = "why.cause_costs"
    else:
        cause = "why.cause_limits"
    return t("why.entry", lang, entry=f"{e:,.0f}", lcoa=f"{lc:,.0f}", cause=t(cause, lang))


def explain_order(table: pd.DataFrame, res: Result, lang: str = "en",
                  label: Callable[[str], str] | None = None) -> pd.Series:
    """A short plain-language reason wherever the plan departs from cost order, in `lang`
    (table: the ranking indexed by project id, in ranking order; `label` names other
    projects, by default their ids)."""
    inp = res.inputs
    proj = inp.projects
    ty = res.target_year()
    who = label or (lambda q: q)
    sep = t("report.clause_sep", lang)
    why = {}
    order = list(table.index)
    for i, p in enumerate(order):
        r = table.loc[p]
        cheaper = order[:i]
        first = r["first_build_year"]
        unit = proj.loc[p, "unit"]
        R = float(proj.loc[p, "max_build_per_year"])
        if int(proj.loc[p, "earliest_year"]) > inp.end:
            why[p] = t("why.unavailable", lang)
            continue
        if bool(r.get("used_in_bau", False)):
            full = r["share_deployed_target_year"] >= 1 - 1e-6
            text = t("why.bau", lang, used=t("why.fully_used" if full else "why.used", lang),
                     reason=t("why.negative_cost" if r["lcoa_cny_per_t"] < 0 else "why.pays",
                              lang))
            if not full:
                share = t("why.share", lang, year=ty,
                          pct=f"{r['share_deployed_target_year']:.0%}")
                note = _limit_note(inp, res, p, lang)
                text += sep + share + (t("why.held", lang, note=note) if note else "")
            why[p] = text
            continue
        if pd.isna(first):
            text = t("why.not_used", lang)
        else:
            later = [q for q in cheaper if not bool(table.loc[q].get("used_in_bau", False))
                     and (pd.isna(table.loc[q, "first_build_year"])
                          or table.loc[q, "first_build_year"] > first)]
            short = [q for q in cheaper if table.loc[q, "share_deployed_target_year"] < 1 - 1e-3]
            d = res.deployment[res.deployment["project"] == p]
            if later:
                text = t("why.starts_before", lang, year=first, other=who(later[0]))
                if (d["build_units"] >= R * (1 - 1e-6)).any():
                    text += t("why.rollout_early", lang, value=f"{R:g}", unit=unit)
            elif short:
                q = short[0]
                note = _limit_note(inp, res, q, lang)
                text = t("why.before_full", lang, other=who(q), year=ty) + (
                    t("why.held_back", lang, note=note) if note else "")
            else:
                text = t("why.cost_order", lang)
        note = _entry_note(inp, r, lang)
        why[p] = text + (sep + note if note else "")
    return pd.Series(why)


def rank(res: Result, private_rate: float | None = None, with_entry: bool = True
         ) -> pd.DataFrame:
    """The ranked project list (ranking.csv), ascending levelised cost of abatement."""
    inp = res.inputs
    t = lcoa_table(inp, private_rate)
    t = t.sort_values(["lcoa_cny_per_t", "project"], kind="mergesort")
    t["rank"] = np.arange(1, len(t) + 1)
    t["cumulative_potential_t_per_year"] = t["potential_t_per_year"].cumsum()
    t = t.join(plan_view(res).drop(columns="project"))
    if with_entry:
        t = t.join(entry_prices(inp).drop(columns="project"))
    t["used"] = t["first_build_year"].notna()
    t["why"] = explain_order(t, res)
    first = ["rank", "project", "name", "measure", "sector", "unit", "lcoa_cny_per_t"]
    return t[first + [c for c in t.columns if c not in first]].reset_index(drop=True)


def ranking_writers(res: Result, private_rate: float | None = None,
                    table: pd.DataFrame | None = None, lang: str = "en") -> dict:
    """ranking.csv/.xlsx/.md and the MAC curve (mac_curve.png + .svg) of an optimal result."""
    from planner.labels import load_labels
    from planner.outputs.folder import write_csv
    from planner.outputs.xlsx import write_xlsx
    from planner.plot.mac import mac_curve
    from planner.plot.save import save_figure
    from planner.text import to_markdown

    if not res.optimal:
        return {}
    t = table if table is not None else rank(res, private_rate)
    price = res.price_in(res.target_year())

    def mac(path):
        fig = mac_curve(t, price, lang, labels=load_labels(res.inputs.dataset.folder))
        save_figure(fig, path.parent, path.stem)

    md_cols = ["rank", "project", "name", "measure", "lcoa_cny_per_t", "potential_t_per_year",
               "share_deployed_target_year", "first_build_year", "entry_price_cny_per_t", "why"]
    return {
        "ranking.csv": lambda p: write_csv(t, p),
        "ranking.xlsx": lambda p: write_xlsx({"ranking": t}, p),
        "ranking.md": lambda p: p.write_text(
            f"# Ranked key projects — {res.scenario.name}\n\n"
            f"Levelised cost of abatement at {res.inputs.rate:.0%} (start-year values); carbon "
            f"price in {res.target_year()}: {price:,.0f} CNY/t.\n\n"
            + to_markdown(t[[c for c in md_cols if c in t.columns]]), encoding="utf-8"),
        "mac_curve.png": mac,
    }
