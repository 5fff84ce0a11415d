"""The report's Excel workbook: one sheet per table, translated headers with units, numbers
kept as numbers with an Excel number format per column (the file is written by
:func:`planner.outputs.xlsx.write_xlsx`)."""

from __future__ import annotations

import math
import re

import pandas as pd

from planner.analysis.mac_model import mac_model_table
from planner.i18n import t, t_or
from planner.labels import Labels, display
from planner.report.content import Report, target_lines
from planner.text import diagnosis_text, limit_text

_INT_COLS = {"year", "rank", "n_projects_used"}
_POLLUTANT = re.compile(r"^(so2|nox|pm25)(_avoided)?_t$")


def excel_format(col: str) -> str | None:
    """The Excel number format of a column of a planner table, from its name."""
    if col in _INT_COLS or col.endswith("_year") and not col.startswith("share"):
        return "0"
    if col.startswith(("share", "change_", "intensity_change")):
        return "0.0%"
    if col == "co2_per_10k_cny_gdp" or col == "bau_co2_per_10k_cny_gdp":
        return "0.000"
    if col == "per_capita_t":
        return "0.00"
    if col == "simple_payback_years":
        return "0.0"
    if _POLLUTANT.match(col):
        return "#,##0.0"
    if col.endswith("_units"):
        return "#,##0.00"
    if col.endswith(("_t", "_cny", "_t_per_year", "_cny_per_t", "_cny_per_unit")) \
            or col in ("population", "gdp_cny"):
        return "#,##0"
    if re.fullmatch(r"cap_\d+_t|cost_\d+_cny", col):
        return "#,##0"
    return None


def column_header(col: str, lang: str, labels: Labels | None = None) -> str:
    """The workbook header of a column (with its unit) in `lang`."""
    if col.startswith("share_") and not t_or(f"report.col.{col}", lang, ""):
        return t("report.col.share_sector", lang, sector=display("sector", col[6:], lang, labels))
    m = re.fullmatch(r"(cap|cost)_(\d+)_(t|cny)", col)
    if m:
        return t(f"report.col.{m[1]}_share_{m[3]}", lang, pct=m[2])
    key = "unit_of_project" if col == "unit" else col
    return t_or(f"report.col.{key}", lang, col)


def _translated(df: pd.DataFrame, rep: Report) -> pd.DataFrame:
    """Categorical values (sector, measure, status, level, why, limit) in the report's
    language; numbers untouched."""
    lang = rep.lang
    out = df.copy()
    if "sector" in out:
        out["sector"] = out["sector"].map(rep.sector)
    if "measure" in out:
        out["measure"] = out["measure"].map(rep.measure)
    if "status" in out:
        out["status"] = out["status"].map(
            lambda s: t_or(f"status.{s}", lang, "" if pd.isna(s) else str(s)))
    if "class" in out and "share_used" in out:  # the robust project list
        out["class"] = out["class"].map(
            lambda c: t_or(f"report.uq.class.{c}", lang, "" if pd.isna(c) else str(c)))
    if "limit" in out and "kind" in out:
        out["limit"] = [limit_text(r, lang) for r in out.itertuples(index=False)]
    if "constraint" in out:
        out["constraint"] = out["constraint"].map(
            lambda s: t_or(f"report.group.{s}", lang, str(s)))
    if "level" in out and "name" in out:  # the decomposition
        def name(r) -> str:
            if r["level"] == "city":
                return t("report.city_total", lang)
            return rep.label(str(r["level"]), r["name"])

        out["name"] = out.apply(name, axis=1)
        out["level"] = out["level"].map(lambda s: t_or(f"report.level.{s}", lang, str(s)))
        out = out.rename(columns={"name": "group"})
    return out


def headline_rows(rep: Report) -> list[tuple[str, object, str]]:
    """item key, value, unit of the target's economics (Result.headlines) and conventions."""
    res, lang = rep.res, rep.lang
    h = res.headlines
    inp = res.inputs
    u_cny = t("report.u.cny_start", lang, start=inp.start)
    u_dt = t("report.u.cny_per_dt", lang)
    rows: list[tuple[str, object, str]] = []
    if "target_cost_cny" in h:
        mc = h.get("marginal_cost_cny_per_t") or {}

        def value(v: object) -> object:
            if v is None:
                return t("report.kpi.na", lang)
            if isinstance(v, float) and math.isinf(v):
                return t("report.kpi.tighter_infeasible", lang)
            return v

        rows += [("target_cost", h["target_cost_cny"], u_cny),
                 ("no_target_objective", h.get("no_target_objective_cny"), u_cny),
                 ("average_cost", value(h.get("average_cost_cny_per_t")), u_dt),
                 ("marginal_tighten", value(mc.get("tighten")), u_dt),
                 ("marginal_loosen", value(mc.get("loosen")), u_dt)]
        if h.get("marginal_cost_note"):
            rows.append(("marginal_note", h["marginal_cost_note"], ""))
        if "uniform_price_cny_per_t" in h:
            rows.append(("uniform_price", value(h["uniform_price_cny_per_t"]),
                         t("report.u.cny_per_t", lang)))
            if h.get("uniform_price_note"):
                rows.append(("uniform_note", h["uniform_price_note"], ""))
        if h.get("ratchet_premium_cny") is not None:
            rows.append(("ratchet_premium", h["ratchet_premium_cny"], u_cny))
    if h.get("achieved_peak_year") is not None:
        rows.append(("achieved_peak_year", h["achieved_peak_year"], ""))
    conv = res.summary["conventions"]
    rows += [("target_scope", inp.scenario.target.scope, ""),
             ("peak_form", inp.scenario.target.peak_form, ""),
             ("money", conv["money"], ""), ("time_base", conv["time_base"], ""),
             ("discounted_tonnes", conv["discounted_tonnes"], "")]
    return rows


def summary_sheet(rep: Report) -> pd.DataFrame:
    """Item, value, unit: the headline numbers (numbers stay numbers)."""
    res, lang = rep.res, rep.lang
    inp = res.inputs
    s = res.summary
    sc = inp.scenario
    u_t, u_price = t("report.u.t", lang), t("report.u.cny_per_t", lang)
    u_cny = t("report.u.cny", lang)
    rows: list[tuple[str, object, str]] = [
        ("scenario", s["scenario"], ""),
        ("scenario_file", s["scenario_file"] or "", ""),
        ("status", t_or(f"status.{res.status}", lang, res.status), ""),
        ("start", inp.start, ""),
        ("end", inp.report_end, ""),
        ("discount_rate", inp.rate, t("report.u.fraction", lang)),
        ("target", t("report.clause_sep", lang).join(target_lines(res, lang, rep.labels)), ""),
    ]
    b = sc.budget.max_investment_cny_per_year
    rows.append(("budget", b, u_cny) if b is not None
                else ("budget", t("report.a.no_budget", lang), ""))
    if res.optimal:
        rows += [
            ("peak_year", res.peak_year, ""),
            ("peak_emissions", res.peak_emissions_t, u_t),
            ("bau_peak_year", s["bau_peak_year"], ""),
            ("bau_peak_emissions", s["bau_peak_emissions_t"], u_t),
            ("objective", res.objective_cny, t("report.u.cny_start", lang, start=inp.start)),
            ("investment", res.total_investment_cny, u_cny),
            ("target_year", res.target_year(), ""),
        ]
        rows += headline_rows(rep)
        rows.append(("price", res.price_in(res.target_year()), u_price))
    else:
        rows += [("bau_peak_year", s["bau_peak_year"], ""),
                 ("bau_peak_emissions", s["bau_peak_emissions_t"], u_t),
                 ("diagnosis", diagnosis_text(res, lang, rep.labels), "")]
    mc = rep.uncertainty
    if mc is not None:
        u_n = t("report.u.samples", lang)
        n_inf = int((mc.samples()["status"] == "infeasible").sum())
        rows += [("uq_samples", mc.n, u_n), ("uq_optimal", mc.n_optimal, u_n),
                 ("uq_infeasible", n_inf, u_n)]
    rows += [("solver", res.solver, ""),
             ("solve_seconds", round(res.solve_seconds, 4), t("report.u.seconds", lang))]
    return pd.DataFrame([(t(f"report.item.{k}", lang), v, u) for k, v, u in rows],
                        columns=[t(f"report.col.{c}", lang) for c in ("item", "value", "unit")])


def workbook(rep: Report) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """The sheets of report.xlsx (translated names and headers) and their number formats."""
    res, lang = rep.res, rep.lang
    raw: dict[str, pd.DataFrame] = {}
    files = res.summary["input_sha256"]
    raw["inputs"] = pd.DataFrame({"file": list(files), "sha256": list(files.values())})
    if res.optimal:
        raw["emissions"] = res.emissions
        raw["emissions_by_sector"] = res.emissions_by_sector
        raw["deployment"] = res.deployment
        raw["carbon_price"] = res.carbon_price
        raw["ranking"] = rep.ranking
        if rep.rk is not None and rep.rk.curves is not None:
            raw["mac_model"] = mac_model_table(rep.rk.curves)
        if rep.held_back is not None:
            raw["held_back"] = rep.held_back.by_year
        raw["indicators"] = rep.indicators
        raw["co_benefits"] = rep.co_benefits
        raw["decomposition"] = rep.decomposition
    elif res.diagnosis is not None:
        d = res.diagnosis  # the shortfall per year, counted once, then horizon-wide rows
        horizon = d.shortfall[d.shortfall["year"].isna()].rename(
            columns={"constraint": "constraints"})
        raw["shortfall"] = pd.concat([d.by_year, horizon[["year", "shortfall_t", "constraints"]]],
                                     ignore_index=True)
        raw["limits"] = res.diagnosis.limits
    if rep.uncertainty is not None:
        raw["robust_projects"] = rep.uncertainty.robust()
    if rep.stringency is not None:
        raw["sweep"] = rep.stringency.sweep
        raw["project_entry"] = rep.stringency.entry
        raw["frontier"] = rep.stringency.frontier
    sheets = {t("report.sheet.summary", lang): summary_sheet(rep)}
    formats: dict[str, dict[str, str]] = {}
    for key, df in raw.items():
        df = _translated(df, rep)
        name = t(f"report.sheet.{key}", lang)
        headers = _unique([column_header(c, lang, rep.labels) for c in df.columns])
        fmt = {h: f for c, h in zip(df.columns, headers, strict=True)
               if (f := excel_format(c)) is not None and pd.api.types.is_numeric_dtype(df[c])}
        sheets[name] = df.set_axis(headers, axis=1)
        formats[name] = fmt
    return sheets, formats


def _unique(headers: list[str]) -> list[str]:
    """Headers made unique by numbering repeats: "x", "x (2)"."""
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


