"""The report's headline section of an optimal plan: what the target costs against the plan
without a target, its average and marginal cost per discounted tonne, the uniform carbon
price that would deliver it, the achieved peak (plateau), the ratchet premium of the strict
peak form and what that form holds back, and the conventions (scope, peak form, money and
time base). All numbers come from ``Result.headlines`` (planner.analysis.economics) and the
summary; display units 亿元 (100 million CNY), Mt CO₂ and CNY per discounted tonne
(planner.units). Rendered by :class:`planner.report.html.Page`."""

from __future__ import annotations

import math
from typing import Any

from planner.analysis.economics import PRICE_CEILING
from planner.report.markup import PageBase
from planner.units import mt, num, pct, yi

#: the analysis' reasons for a missing headline (English, fixed) -> translation keys
_REASONS = {
    "the target has no tonne-valued level": "report.why.no_level",
    "the target does not bind": "report.why.not_binding",
    "no target": "report.why.no_target",
}


def reason(page: PageBase, note: str | None) -> str:
    """A headline's missing-value reason in the page's language."""
    if not note:
        return ""
    if note in _REASONS:
        return page.tr(_REASONS[note])
    if note.startswith("no uniform carbon price up to"):
        return page.tr("report.why.no_uniform", value=num(PRICE_CEILING))
    return note


def per_t(page: PageBase, v: Any) -> str:
    """A CNY/t headline value: the number, "n/a" for None, "infeasible" for +inf."""
    if v is None:
        return page.tr("report.kpi.na")
    if isinstance(v, float) and math.isinf(v):
        return page.tr("report.kpi.tighter_infeasible")
    return num(v)


def economics_cards(page: PageBase) -> list[tuple[str, str, str, str]]:
    """label, value, unit, note of the target's economics (empty without a target)."""
    res, inp = page.res, page.inp
    h = res.headlines
    if "target_cost_cny" not in h or inp.scenario.target.is_bau:
        return []
    u_yi, u_dt = page.tr("report.unit.yi"), page.tr("report.unit.per_dt")
    mc = h.get("marginal_cost_cny_per_t") or {}
    tighten, loosen = mc.get("tighten"), mc.get("loosen")
    mc_note = (page.tr("report.kpi.mc_loosen", value=per_t(page, loosen))
               if tighten is not None or loosen is not None
               else reason(page, h.get("marginal_cost_note")))
    avg = h.get("average_cost_cny_per_t")
    cards = [
        (page.tr("report.kpi.target_cost"), yi(h["target_cost_cny"]), u_yi,
         page.tr("report.kpi.target_cost_note", value=yi(h.get("no_target_objective_cny")))),
        (page.tr("report.kpi.average_cost"), per_t(page, avg), u_dt if avg is not None else "",
         page.tr("report.kpi.average_cost_note") if avg is not None
         else page.tr("report.why.nothing_avoided")),
        (page.tr("report.kpi.marginal_cost"), per_t(page, tighten),
         u_dt if tighten is not None and math.isfinite(tighten) else "", mc_note),
    ]
    if "uniform_price_cny_per_t" in h:
        p = h["uniform_price_cny_per_t"]
        cards.append((page.tr("report.kpi.uniform_price"),
                      num(p) if p is not None else page.tr("report.kpi.none"),
                      page.tr("report.unit.price") if p is not None else "",
                      page.tr("report.kpi.uniform_price_note") if p is not None
                      else reason(page, h.get("uniform_price_note"))))
    if h.get("ratchet_premium_cny") is not None:
        cards.append((page.tr("report.kpi.ratchet"), yi(h["ratchet_premium_cny"]), u_yi,
                      page.tr("report.kpi.ratchet_note")))
    return cards


def plateau_card(page: PageBase) -> tuple[str, str, str, str] | None:
    """The KPI card of the achieved peak (plateau) year; None when the headlines have none."""
    y = page.res.headlines.get("achieved_peak_year")
    if y is None:
        return None
    return (page.tr("report.kpi.plateau"), str(y), "", page.tr("report.kpi.plateau_note"))


def economics_lead(page: PageBase) -> list[str]:
    """Sentences on the target's cost and prices (empty without a target)."""
    res = page.res
    h = res.headlines
    if "target_cost_cny" not in h or page.inp.scenario.target.is_bau:
        return []
    out = [page.tr("report.lead.target_cost", value=yi(h["target_cost_cny"]),
                   base=yi(h.get("no_target_objective_cny")))]
    avg = h.get("average_cost_cny_per_t")
    tighten = (h.get("marginal_cost_cny_per_t") or {}).get("tighten")
    if avg is not None and tighten is not None and math.isfinite(tighten):
        out.append(page.tr("report.lead.avg_marginal", avg=num(avg), mc=num(tighten)))
    p = h.get("uniform_price_cny_per_t")
    if p is not None:
        out.append(page.tr("report.lead.uniform", value=num(p)))
    elif "uniform_price_cny_per_t" in h:
        out.append(reason(page, h.get("uniform_price_note")) + page.tr("report.full_stop"))
    y = h.get("achieved_peak_year")
    if y is not None and res.peak_year is not None and y != res.peak_year:
        out.append(page.tr("report.lead.plateau", year=y, peak=res.peak_year))
    return out


def strict_lines(page: PageBase) -> list[str]:
    """Under the strict peak form: its premium and what it holds back against the level
    form (from planner.analysis.peak_forms)."""
    hb = page.rep.held_back
    if hb is None:
        return []
    tg = page.inp.scenario.target
    out = [page.tr("report.strict.premium", year=tg.peak_year, value=yi(hb.premium_cny))]
    if hb.years:
        big = hb.by_year.loc[hb.by_year["held_back_t"].idxmax()]
        out.append(page.tr("report.strict.held_back", total=mt(hb.total_t),
                           years=page.span(hb.years), top=mt(big["held_back_t"]),
                           year=int(big["year"])))
        moved = hb.projects.head(3)
        if len(moved):
            sep = page.tr("report.list_sep")
            items = sep.join(page.tr("report.strict.project", name=page.rep.project(r.project),
                                     value=num(r.held_back_units, 1))
                             for r in moved.itertuples(index=False))
            out.append(page.tr("report.strict.projects", year=page.res.target_year(),
                               items=items))
    if hb.lower_years:
        out.append(page.tr("report.strict.lower", total=mt(hb.lower_t),
                           years=page.span(hb.lower_years)))
    if not hb.years and not hb.lower_years:
        out.append(page.tr("report.strict.nothing"))
    return out


def conventions(page: PageBase) -> str:
    """The scope, peak form, money base and time base used, in one paragraph."""
    inp = page.inp
    tg = inp.scenario.target
    parts = [page.tr(f"report.conv.scope_{tg.scope}"),
             page.tr(f"report.conv.peak_{tg.peak_form}") if tg.peak_year is not None else "",
             page.tr("report.conv.money", start=inp.start),
             page.tr("report.conv.time"),
             page.tr("report.conv.tonnes", rate=pct(inp.rate, 0))]
    return page.join(*[p for p in parts if p])


def changes_note(page: PageBase) -> str:
    """What changed in this version of planner's economics, and why."""
    return page.tr("report.changed")


__all__ = ["changes_note", "conventions", "economics_cards", "economics_lead", "plateau_card",
           "reason", "strict_lines"]
