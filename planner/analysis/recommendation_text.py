"""The recommendations (planner.analysis.recommendations) in plain words, English or Chinese:
every sentence is a template of planner/i18n/strings.csv (keys rec.*) filled with numbers
planner computed for the scenario; names come from the dataset's labels (planner.labels)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from planner.analysis.economics import PRICE_CEILING
from planner.analysis.entry_prices import MAX_PRICE
from planner.analysis.recommendations import Recommendations
from planner.i18n import t
from planner.labels import NO_LABELS, Labels
from planner.units import mt, num, pct, yi

Label = Callable[[str, object], str]  # (kind, id) -> display name


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v))


def _years(a: object, b: object, lang: str) -> str:
    a, b = int(a), int(b)  # type: ignore[arg-type]
    return t("rec.years_one", lang, a=a) if a == b else t("rec.years_span", lang, a=a, b=b)


def _sentence(parts: list[str], lang: str) -> str:
    text = t("report.clause_sep", lang).join(p for p in parts if p)
    return text + ("。" if lang == "zh" else ".")


def money(v: float, lang: str) -> str:
    """CNY in 亿 (100 million) from 0.01 亿 up, in 万 (10,000) below, with the unit."""
    if abs(float(v)) >= 1e6:
        return t("rec.money.yi", lang, value=yi(v))
    return t("rec.money.wan", lang, value=num(v, 1, 1e4))


def _delay(r: pd.Series, lang: str) -> str:
    y = r["first_build_year"]
    if _missing(y):
        return ""
    if bool(r["delay_infeasible"]):
        return t("rec.p.delay_infeasible", lang, year=int(y))
    if _missing(r["delay_cost_cny"]):
        return ""
    return t("rec.p.delay_cost", lang, year=int(y), money=money(r["delay_cost_cny"], lang))


def _price_clauses(target: dict, lang: str) -> list[str]:
    out = []
    u = target.get("uniform_price_cny_per_t")
    if not _missing(u):
        out.append(t("rec.p.uniform", lang, value=num(u)))
    elif target.get("has_target"):
        out.append(t("rec.p.no_uniform", lang, value=num(PRICE_CEILING)))
    mc = target.get("marginal_cost_tighten_cny_per_t")
    if not _missing(mc):
        out.append(t("rec.p.marginal", lang, value=num(mc)))
    return out


def _build_years(r: pd.Series, lang: str) -> str:
    return _years(r["first_build_year"], r["last_build_year"], lang)


def project_text(r: pd.Series, target: dict, lang: str = "en") -> str:
    """The recommendation of one project (a row of Recommendations.projects)."""
    cls = r["class"]
    year = int(r["vintage_year"])
    lcoa = num(r["lcoa_cny_per_t"])
    if cls == "none":
        return _sentence([t("rec.p.unavailable" if not r["available"] else "rec.p.none",
                            lang)], lang)
    if cls == "not_a_priority":
        lo, hi = r.get("entry_price_low_cny_per_t"), r.get("entry_price_high_cny_per_t")
        if not _missing(lo) and not _missing(hi) and lo < hi:  # bracketed by the search
            parts = [t("rec.p.not_a_priority_bracket", lang, year=target["target_year"],
                       low=num(lo), high=num(hi), lcoa=lcoa)]
        elif r.get("entry_price_note"):  # not computed: say so, never "does not enter"
            parts = [t("rec.p.not_a_priority_unknown", lang, year=target["target_year"],
                       lcoa=lcoa, reason=r["entry_price_note"])]
        elif _missing(r["entry_price_cny_per_t"]):
            parts = [t("rec.p.not_a_priority_never", lang, year=target["target_year"],
                       max=num(MAX_PRICE), lcoa=lcoa)]
        else:
            parts = [t("rec.p.not_a_priority", lang, year=target["target_year"],
                       entry=num(r["entry_price_cny_per_t"]), lcoa=lcoa)]
            if not _missing(r["exit_price_cny_per_t"]):
                parts.append(t("rec.p.exit", lang, value=num(r["exit_price_cny_per_t"])))
        return _sentence(parts, lang)
    if cls == "co_benefit_led":
        return _sentence([t("rec.p.co_benefit_led", lang, share=pct(
            r["cobenefit_dependent_share"], 0), year=year, lcoa=lcoa,
            net=num(r["lcoa_with_cobenefits_cny_per_t"]))], lang)
    if cls == "finance_gap":
        inv = yi(r["investment_per_build_year_cny"])
        if not _missing(r["breakeven_rate"]):
            parts = [t("rec.p.finance_private", lang, year=year, rate=pct(r["discount_rate"]),
                       lcoa=lcoa, prate=pct(r["private_discount_rate"]),
                       plcoa=num(r["lcoa_private_cny_per_t"]), rbe=pct(r["breakeven_rate"]),
                       inv=inv, years=_build_years(r, lang))]
        else:
            by = r["budget_year"]
            parts = [t("rec.p.finance_budget", lang,
                       years=_years(by, by, lang) if not _missing(by) else "",
                       shadow=num(r["shadow_budget_cny_per_t"]), inv=inv,
                       build_years=_build_years(r, lang))]
        return _sentence(parts, lang)
    if cls == "long_lead_time":
        parts = [t("rec.p.long_lead_time", lang, year=year, support=num(r["support_cny_per_t"]),
                   main=int(r["carbon_main_year"]), rollout=f"{r['rollout_units_per_year']:g}",
                   unit=r["unit"],
                   years=_years(r["rollout_binds_from"], r["rollout_binds_to"], lang)),
                 _delay(r, lang)]
        return _sentence(parts, lang)
    if cls == "needs_price_signal":
        parts = [t("rec.p.needs_price_signal", lang, year=year,
                   support=num(r["support_cny_per_t"])), *_price_clauses(target, lang)]
        return _sentence(parts, lang)
    if cls == "no_regret_capacity_limited":
        parts = [t("rec.p.no_regret_capacity_limited", lang, year=year, lcoa=lcoa,
                   rollout=f"{r['rollout_units_per_year']:g}", unit=r["unit"],
                   years=_years(r["rollout_binds_from"], r["rollout_binds_to"], lang),
                   shadow=num(r["rollout_shadow_max_cny_per_t"])), _delay(r, lang)]
        return _sentence(parts, lang)
    return _sentence([t("rec.p.pays_unconstrained", lang, year=year, lcoa=lcoa)], lang)


def measure_text(m: pd.Series, rec: Recommendations, lang: str, label: Label) -> str:
    """The recommendation of one measure (a row of Recommendations.measures)."""
    sep = t("report.list_sep", lang)
    names = sep.join(label("project", p) for p in str(m["projects"]).split(";") if p)
    if m["class"] == "none":
        return _sentence([t("rec.m.none", lang, n=int(m["n_projects"]))], lang)
    if int(m["n_used"]) == 0:
        return _sentence([t("rec.m.unused", lang, n=int(m["n_projects"]), projects=names)],
                         lang)
    em = rec.tracking["year"]
    return _sentence([t("rec.m.used", lang, used=int(m["n_used"]), n=int(m["n_projects"]),
                        ab=mt(m["abatement_horizon_t"]), start=int(em.iloc[0]),
                        end=int(em.iloc[-1]), inv=yi(m["investment_cny"]),
                        cls=t(f"rec.class.{m['class']}", lang), projects=names)], lang)


def target_texts(rec: Recommendations, lang: str = "en") -> list[tuple[str, str]]:
    """(class, text) of the target-level recommendations, in order."""
    f = rec.target
    out: list[tuple[str, str]] = []
    if not f["has_target"]:
        out.append(("target_cost", _sentence([t("rec.t.no_target", lang,
                                                 npv=yi(f["objective_cny"]))], lang)))
    else:
        mc = f.get("marginal_cost_tighten_cny_per_t")
        lo = f.get("marginal_cost_loosen_cny_per_t")
        if _missing(mc):
            text = t("rec.t.cost_no_mc", lang, cost=yi(f["target_cost_cny"]),
                     note=f.get("marginal_cost_note", ""))
        else:
            value = num(mc) if _missing(lo) or abs(lo - mc) <= 0.5 else \
                f"{num(lo)}–{num(mc)}"
            avg = f.get("average_cost_cny_per_t")
            text = t("rec.t.cost", lang, cost=yi(f["target_cost_cny"]),
                     avg=num(avg) if not _missing(avg) else "—", mc=value)
        out.append(("target_cost", _sentence([text], lang)))
        u = f.get("uniform_price_cny_per_t")
        out.append(("uniform_price", _sentence([
            t("rec.t.uniform", lang, value=num(u)) if not _missing(u)
            else t("rec.t.uniform_none", lang, value=num(PRICE_CEILING))], lang)))
        if "earliest_peak_year" in f:
            y, own = f["earliest_peak_year"], f["peak_year"]
            if y is None:
                text = t("rec.t.earliest_none", lang, year=own)
            elif y == own:
                text = t("rec.t.earliest_same", lang, year=y, min=mt(f["earliest_peak_min_t"]))
            else:
                text = t("rec.t.earliest", lang, year=y, min=mt(f["earliest_peak_min_t"]),
                         cost=yi(f["earliest_peak_target_cost_cny"]),
                         extra=yi(f["earliest_peak_objective_cny"] - f["objective_cny"]),
                         own=own)
            out.append(("earliest_peak", _sentence([text], lang)))
    items = t("report.list_sep", lang).join(t(f"rec.ind.{k}", lang) for k in rec.tracked)
    out.append(("track_indicators", _sentence([t("rec.t.track", lang, items=items)], lang)))
    return out


def labeller(labels: Labels, lang: str) -> Label:
    """A Label giving the display name of (kind, id) in `lang` from `labels`."""
    return lambda kind, ident: labels.display(kind, ident, lang)


TARGET_COLS = ["target_cost_cny", "average_cost_cny_per_t", "marginal_cost_tighten_cny_per_t",
               "marginal_cost_loosen_cny_per_t", "uniform_price_cny_per_t",
               "earliest_peak_year", "earliest_peak_min_t", "earliest_peak_target_cost_cny"]


def recommendation_table(rec: Recommendations, lang: str = "en",
                         labels: Labels = NO_LABELS) -> pd.DataFrame:
    """recommendations.csv: one row per target-level item, measure and project — level,
    id, name, class, class_name, recommendation (in `lang`), other_classes, then the
    evidence columns (docs/recommendations.md)."""
    label = labeller(labels, lang)
    rows = []
    for cls, text in target_texts(rec, lang):
        rows.append({"level": "target", "id": cls, "name": t(f"rec.class.{cls}", lang),
                     "class": cls, "class_name": t(f"rec.class.{cls}", lang),
                     "recommendation": text,
                     **{k: rec.target.get(k) for k in TARGET_COLS}})
    for m, r in rec.measures.iterrows():
        rows.append({"level": "measure", "id": m, "name": label("measure", m),
                     "class": r["class"], "class_name": t(f"rec.class.{r['class']}", lang),
                     "recommendation": measure_text(r, rec, lang, label),
                     **r.drop(labels=["measure", "class"]).to_dict()})
    for p, r in rec.projects.iterrows():
        rows.append({"level": "project", "id": p, "name": label("project", p),
                     "class": r["class"], "class_name": t(f"rec.class.{r['class']}", lang),
                     "recommendation": project_text(r, rec.target, lang),
                     **r.drop(labels=["name", "class"]).to_dict()})
    out = pd.DataFrame(rows)
    out = out.rename(columns={"projects": "projects_of_class"})
    return out
