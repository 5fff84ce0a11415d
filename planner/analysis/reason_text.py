"""The exact reasons (planner.analysis.reasons) in plain words, English or Chinese: the cost
per discounted tonne against the carbon value, then the largest shadow values by name."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from planner.i18n import t
from planner.model.inputs import ModelInputs

SHOWN = 3  # at most this many limit clauses per reason


def _num(v: float) -> str:
    return f"{v:,.0f}"


def _years(a: int, b: int, lang: str) -> str:
    return t("rk.years_one", lang, a=a) if a == b else t("rk.years_span", lang, a=a, b=b)


def reason_text(r: pd.Series, inp: ModelInputs, lang: str = "en",
                label: Callable[[str], str] | None = None) -> str:
    """One project's reason (`r`: a row of reasons() joined with the project's id as name)."""
    who = label or (lambda q: q)
    p = r.name
    proj = inp.projects.loc[p]
    kind = r["reason_kind"]
    if kind == "unavailable":
        return t("rk.unavailable", lang)
    cost, value = float(r["cost_cny_per_t"]), float(r["carbon_value_cny_per_t"])
    scale = max(1.0, abs(cost), abs(value))
    year = int(r["reason_year"])
    main = r.get("carbon_main_year")
    if kind == "not_used":
        head = t("rk.not_used", lang, cost=_num(cost), value=_num(value),
                 gap=_num(float(r["gap_cny_per_t"])), year=year)
    elif cost <= 0 and value > 1e-6 * scale:
        head = t("rk.start_pays", lang, year=year, cost=_num(cost))
    elif abs(value) <= 1e-6 * scale:
        head = t("rk.start_free", lang, year=year, cost=_num(cost))
    else:
        m = t("rk.main", lang, year=int(main)) if not pd.isna(main) else ""
        head = t("rk.start", lang, year=year, cost=_num(cost), value=_num(value), main=m)
    clauses: list[tuple[float, str, float]] = []  # (weight, text, shadow CNY/t)
    unit = proj["unit"]
    if (not pd.isna(r.get("rollout_binds_from")) and kind == "first_build"
            and float(r["rollout_shadow_max_cny_per_t"]) > 1e-6 * scale):
        a, b = int(r["rollout_binds_from"]), int(r["rollout_binds_to"])
        R = f"{float(proj['max_build_per_year']):g}"
        early = cost > 0 and not pd.isna(main) and year < int(main) and a <= year
        key = "rk.rollout_early" if early else "rk.rollout"
        weight = float(r["shadow_rollout_cny_per_t"]) + (scale if early else 0.0)
        clauses.append((weight, t(key, lang, value=R, unit=unit, years=_years(a, b, lang),
                                  year=int(main) if early else year),
                        float(r["shadow_rollout_cny_per_t"])))
    if not pd.isna(r.get("potential_full_from")) and float(r["shadow_potential_cny_per_t"]) > 0:
        clauses.append((float(r["shadow_potential_cny_per_t"]),
                        t("rk.potential", lang, value=f"{float(proj['max_units']):g}",
                          unit=unit, year=int(r["potential_full_from"])),
                        float(r["shadow_potential_cny_per_t"])))
    g = float(r["shadow_group_cny_per_t"])
    if g > 1e-6 * scale:
        grp = str(proj["exclusive_group"])
        other = r.get("group_partner") or ""
        text = (t("rk.group", lang, other=who(other), group=grp) if other
                else t("rk.group_alone", lang, group=grp))
        clauses.append((g, text, g))
    f = float(r["shadow_sector_floor_cny_per_t"])
    if f > 1e-6 * scale:
        clauses.append((f, t("rk.floor", lang, sector=proj["sector"]), f))
    bgt = float(r["shadow_budget_cny_per_t"])
    if bgt > 1e-6 * scale:
        by = r.get("budget_year")
        clauses.append((bgt, t("rk.budget", lang, year=int(by)) if not pd.isna(by)
                        else t("rk.budget_any", lang), bgt))
    o = float(r["shadow_other_cny_per_t"])
    if abs(o) > 1e-3 * scale:
        clauses.append((abs(o), t("rk.other", lang, value=_num(o)), 0.0))
    clauses.sort(key=lambda c: -c[0])
    parts = [head] + [text + (t("rk.shadow", lang, value=_num(sh)) if sh > 0.5 else "")
                      for _, text, sh in clauses[:SHOWN]]
    return t("report.clause_sep", lang).join(parts)


def explain(reasons: pd.DataFrame, inp: ModelInputs, lang: str = "en",
            label: Callable[[str], str] | None = None) -> pd.Series:
    """reason_text for every project of a reasons() table (index project id)."""
    return pd.Series({p: reason_text(r, inp, lang, label) for p, r in reasons.iterrows()},
                     dtype=object)
