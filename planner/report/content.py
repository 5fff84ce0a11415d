"""`planner report SCENARIO`: a report a city government can use (issue 6).

Writes, atomically into one folder (:func:`planner.outputs.folder.write_folder`):

- ``report.html`` — one self-contained file (charts embedded as PNG data URIs, CSS inline, no
  network needed): assumptions, headline, emissions pathway, sectors, deployment, MAC curve,
  ranked projects, carbon price, indicators and co-benefits, target decomposition, and with
  ``--sweep`` the stringency sweep and feasibility frontier. An infeasible target still gets a
  report: the assumptions and the diagnosis (exit code 3).
- ``report.xlsx`` — one sheet per table, headers with units (t, CNY: the files keep full
  precision), numbers stored as numbers, header rows frozen.
- every chart as ``<name>.png`` and ``<name>.svg`` beside them.

Every heading, label and table header comes from :mod:`planner.i18n` (``report.*`` keys) in
English or Chinese. Display units: Mt CO₂, 亿元 (100 million CNY), CNY/t CO₂. One colour per
measure (:func:`planner.plot.charts.measure_colours`) in every chart and table.

The HTML page itself is rendered by :mod:`planner.report.html`.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.analysis.diagnosis import describe_limit
from planner.i18n import t, t_or
from planner.plot import charts
from planner.results import Result

Writers = dict[str, Callable[[Path], None]]

T_PER_MT = 1e6
CNY_PER_YI = 1e8
#: caps of the stringency sweep, from the BAU peak down to the lowest achievable peak
SWEEP_POINTS = 12
#: sweep caps are rounded to this many tonnes (0.01 Mt) so that axis labels stay short
CAP_STEP_T = 1e4

# ----------------------------------------------------------------------------------------
# Labels and numbers
# ----------------------------------------------------------------------------------------


def id_label(kind: str, ident: object, lang: str) -> str:
    """Display name of a sector or measure id (``sector.<id>`` / ``measure.<id>`` in i18n);
    an unknown id is shown as itself ("power_heat" -> "Power heat" in English)."""
    default = str(ident)
    if lang == "en" and re.fullmatch(r"[a-z0-9_]+", default):
        default = default.replace("_", " ").capitalize()
    return t_or(f"{kind}.{ident}", lang, default)


def num(v: object, digits: int = 0, scale: float = 1.0) -> str:
    """`v / scale` with thousands separators and a true minus sign ("" for NaN/None)."""
    if v is None or v is pd.NA:
        return ""
    try:
        x = float(v) / scale
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(x):
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    x = round(x, digits) + 0.0  # + 0.0: no "-0"
    return f"{x:,.{digits}f}".replace("-", "\u2212")


def mt(v: object, digits: int = 2) -> str:
    """Tonnes shown as Mt."""
    return num(v, digits, T_PER_MT)


def yi(v: object, digits: int = 2) -> str:
    """CNY shown as 亿元 (100 million CNY)."""
    return num(v, digits, CNY_PER_YI)


def pct(v: object, digits: int = 1) -> str:
    """A fraction shown as a percentage ("" for NaN)."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    return num(100 * float(v), digits) + "%"


def years_text(years: list[int], lang: str) -> str:
    return t("report.list_sep", lang).join(str(y) for y in years)


# ----------------------------------------------------------------------------------------
# The ranking's "why" and the diagnosis' "limit" texts in the report's language
# ----------------------------------------------------------------------------------------

def limit_text(row, lang: str) -> str:
    """A diagnosis limit row (planner.analysis.diagnosis.project_limits) in `lang`."""
    params = {k: getattr(row, k) for k in ("value", "unit") if not pd.isna(getattr(row, k))}
    if not pd.isna(row.since):
        params["year"] = int(row.since)
    return describe_limit(row.kind, lang, **params)


def diagnosis_text(res: Result, lang: str) -> str:
    """The diagnosis in plain words: the solver's own message in English; in Chinese the same
    account rebuilt from the diagnosis tables."""
    d = res.diagnosis
    if d is None:
        return t("report.diag.head", lang)
    if lang == "en":
        return d.message
    inp = res.inputs
    tg = inp.scenario.target
    names = project_names(res)
    out = [t("report.diag.head", lang)]
    short = d.shortfall
    for name, g in short.groupby("constraint", sort=False):
        group = t_or(f"report.group.{name}", lang, str(name))
        if g["year"].isna().all():
            out.append(t("report.diag.group_total", lang, group=group,
                         value=mt(g["shortfall_t"].sum(), 3)))
            continue
        g = g.sort_values("year")
        first = g.iloc[0]
        top = g.loc[g["shortfall_t"].idxmax()]
        if len(g) == 1:
            out.append(t("report.diag.group_one", lang, group=group, year=int(first.year),
                         value=mt(first.shortfall_t, 3)))
        else:
            out.append(t("report.diag.group_many", lang, group=group, n=len(g),
                         year=int(first.year), value=mt(first.shortfall_t, 3),
                         top=mt(top.shortfall_t, 3), top_year=int(top.year)))
    years = sorted(short["year"].dropna().astype(int).unique())
    if years:
        y0 = years[0]
        lim = d.limits[d.limits["year"] == y0]
        kinds: dict[str, list[str]] = {}
        spare: list[str] = []
        for r in lim.itertuples():
            k = None if r.kind == "none" else r.kind
            (kinds.setdefault(k, []) if k else spare).append(names.get(r.project, r.project))
        sep = t("report.list_sep", lang)
        items = "；".join(f"{t(f'limit.kind.{k}', lang)}：{sep.join(v)}"
                         for k, v in kinds.items())
        if items:
            out.append(t("report.diag.limits", lang, year=y0, items=items))
        if spare and items:
            out.append(t("report.diag.spare", lang, items=sep.join(spare)))
    f = d.facts
    if "earliest_feasible_peak_year_at_cap" in f:
        y = f["earliest_feasible_peak_year_at_cap"]
        out.append(t("report.diag.earliest", lang, year=y) if y
                   else t("report.diag.no_year", lang, end=inp.end))
    if "lowest_feasible_peak_t" in f:
        low = f["lowest_feasible_peak_t"]
        if low is not None:
            by = t("report.diag.lowest_by", lang, year=tg.peak_year) if tg.peak_year else ""
            out.append(t("report.diag.lowest", lang, by=by, value=mt(low)))
        elif tg.peak_year is not None:
            out.append(t("report.diag.never", lang, year=tg.peak_year))
        else:
            out.append(t("report.diag.other", lang))
    return "".join(out) if lang == "zh" else " ".join(out)


# ----------------------------------------------------------------------------------------
# Assumptions
# ----------------------------------------------------------------------------------------


def project_names(res: Result) -> dict[str, str]:
    proj = res.inputs.projects
    return {str(p): (str(n).strip() or str(p)) for p, n in zip(proj.index, proj["name"],
                                                                strict=True)}


def _year_items(mapping: dict, lang: str, scale: float, key: str, digits: int = 2) -> str:
    sep = t("report.list_sep", lang)
    return sep.join(t(key, lang, value=num(v, digits, scale), year=y)
                    for y, v in sorted(mapping.items()))


def target_lines(res: Result, lang: str) -> list[str]:
    """The scenario's target in plain words, one line per target key."""
    inp = res.inputs
    tg = inp.scenario.target
    if tg.is_bau:
        return [t("report.target.none", lang)]
    out = []
    if tg.peak_year is not None:
        out.append(t("report.target.peak_year", lang, year=tg.peak_year))
    if tg.cap_t is not None:
        out.append(t("report.target.cap", lang, value=mt(tg.cap_t)))
    if tg.cap_path_t:
        out.append(t("report.target.cap_path", lang, items=_year_items(
            tg.cap_path_t, lang, T_PER_MT, "report.target.year_mt")))
    if tg.carbon_budget_t is not None:
        out.append(t("report.target.budget", lang, value=mt(tg.carbon_budget_t, 1),
                     start=inp.start, end=inp.end))
    for it in tg.intensity:
        out.append(t("report.target.intensity", lang, year=it.year, base=it.base_year,
                     pct=pct(it.reduction)))
    if tg.per_capita_t:
        out.append(t("report.target.per_capita", lang, items=_year_items(
            tg.per_capita_t, lang, 1.0, "report.target.year_t")))
    for sector, caps in tg.sector_cap_t.items():
        out.append(t("report.target.sector_cap", lang, sector=id_label("sector", sector, lang),
                     items=_year_items(caps, lang, T_PER_MT, "report.target.year_mt")))
    return out


def assumptions(res: Result, lang: str) -> list[tuple[str, list[str]]]:
    """(label, lines) rows of the assumptions table."""
    inp = res.inputs
    sc = inp.scenario
    proj = inp.projects
    rows: list[tuple[str, list[str]]] = [
        (t("report.a.scenario", lang), [sc.name]),
        (t("report.a.file", lang), [sc.path.name if sc.path else ""]),
        (t("report.a.horizon", lang), [t("report.a.horizon_value", lang, start=inp.start,
                                         end=inp.end)]),
        (t("report.a.rate", lang), [pct(inp.rate)]),
        (t("report.a.target", lang), target_lines(res, lang)),
    ]
    b = sc.budget.max_investment_cny_per_year
    rows.append((t("report.a.budget", lang), [t("report.a.budget_value", lang, value=yi(b))
                                               if b is not None
                                               else t("report.a.no_budget", lang)]))
    sep = t("report.list_sep", lang)
    lines = [t("report.a.projects_value", lang, n=len(proj), m=proj["measure"].nunique())]
    if sc.projects.exclude:
        lines.append(t("report.a.excluded", lang, items=sep.join(sc.projects.exclude)))
    if sc.projects.override:
        items = sep.join(f"{p} ({', '.join(f'{k} = {v}' for k, v in cols.items())})"
                         for p, cols in sc.projects.override.items())
        lines.append(t("report.a.overridden", lang, items=items))
    rows.append((t("report.a.projects", lang), lines))
    cv = sc.cobenefit_value_cny_per_t
    if cv.so2 or cv.nox or cv.pm25:
        rows.append((t("report.a.cobenefit_value", lang),
                     [t("report.a.cobenefit_value_text", lang, so2=num(cv.so2), nox=num(cv.nox),
                        pm25=num(cv.pm25))]))
    bau = inp.bau_total
    rows.append((t("report.a.bau", lang), [t("report.a.bau_value", lang, y0=inp.start,
                                             v0=mt(bau[inp.start]), y1=inp.end,
                                             v1=mt(bau[inp.end]))]))
    rows.append((t("report.a.indicators", lang),
                 [t("report.a.indicators_yes" if inp.indicators is not None
                    else "report.a.indicators_no", lang)]))
    rows.append((t("report.a.data", lang), [inp.dataset.folder.name or str(sc.data)]))
    return rows


# ----------------------------------------------------------------------------------------
# Target stringency: sweep and frontier around the scenario
# ----------------------------------------------------------------------------------------


@dataclass
class Stringency:
    """sweep: planner.analysis.sweep table; entry: project_entry table; frontier: planner.analysis.frontier table
    over every year of the horizon; peak_years and caps: the sweep's grid; low_t: the lowest
    achievable peak the caps go down to; bau_peak_t: the loosest cap."""

    sweep: pd.DataFrame
    entry: pd.DataFrame
    frontier: pd.DataFrame
    peak_years: list[int | None]
    caps: list[float]
    low_t: float
    bau_peak_t: float


def stringency(res: Result, points: int = SWEEP_POINTS) -> Stringency:
    """Solve the scenario over caps from its BAU peak down to the lowest achievable peak for
    its peak year (`points` caps, rounded to 0.01 Mt, plus the scenario's own cap), for peak
    years target−1 … target+2 (or without a peak year when it has none), and the frontier."""
    from planner.analysis.frontier import frontier, lowest_peaks
    from planner.analysis.sweep import project_entry, sweep

    inp = res.inputs
    tg = inp.scenario.target
    fr = frontier(inp, inp.years)
    bau_peak = float(inp.bau_total.max())
    py = tg.peak_year
    if py is not None:
        low = float(fr.set_index("peak_year").loc[py, "min_peak_t"])
        years: list[int | None] = [y for y in range(py - 1, py + 3) if inp.start <= y <= inp.end]
    else:
        low = float(lowest_peaks(inp, [None])[None])
        years = [None]
    if not math.isfinite(low):  # the peak year itself is out of reach: the best of any year
        finite = fr["min_peak_t"].dropna()
        low = float(finite.min()) if len(finite) else 0.9 * bau_peak
    low = math.ceil(low / CAP_STEP_T) * CAP_STEP_T  # never below the frontier
    hi = math.floor(bau_peak / CAP_STEP_T) * CAP_STEP_T
    caps = {float(round(c / CAP_STEP_T) * CAP_STEP_T)
            for c in np.linspace(hi, low, points)} | {float(low)}
    if tg.cap_t is not None and low <= tg.cap_t <= bau_peak:
        caps.add(float(tg.cap_t))
    grid = sorted(caps, reverse=True)
    table = sweep(inp, grid, years)
    return Stringency(sweep=table, entry=project_entry(table, inp), frontier=fr,
                      peak_years=years, caps=grid, low_t=low, bau_peak_t=bau_peak)


# ----------------------------------------------------------------------------------------
# The report's content
# ----------------------------------------------------------------------------------------


@dataclass
class Report:
    """Everything a report shows, computed once; tables in original units (t, CNY)."""

    res: Result
    lang: str
    ranking: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    co_benefits: pd.DataFrame | None = None
    co_benefits_by_year: pd.DataFrame | None = None
    decomposition: pd.DataFrame | None = None
    stringency: Stringency | None = None
    colours: dict[str, str] = field(default_factory=dict)
    charts: list[str] = field(default_factory=list)  # stems, in report order
    cjk: bool = True  # a CJK font was available for the charts

    @property
    def inputs(self):
        return self.res.inputs

    @property
    def projects(self) -> pd.DataFrame:
        return self.res.inputs.projects.reset_index(drop=True)

    @property
    def names(self) -> dict[str, str]:
        return project_names(self.res)

    def measure(self, m: object) -> str:
        return id_label("measure", m, self.lang)

    def sector(self, s: object) -> str:
        return id_label("sector", s, self.lang)

    def negative_price_years(self) -> list[int]:
        if not self.res.optimal:
            return []
        cp = self.res.carbon_price
        return [int(y) for y, p in zip(cp["year"], cp["price_cny_per_t"], strict=True)
                if p < -1e-6]

    def one_sided_years(self) -> list[int]:
        if not self.res.optimal or "price_low_cny_per_t" not in self.res.carbon_price:
            return []
        cp = self.res.carbon_price
        lo, hi = cp["price_low_cny_per_t"], cp["price_high_cny_per_t"]
        diff = (lo - hi).abs() > 1e-6 * np.maximum(1.0, cp["price_cny_per_t"].abs())
        return [int(y) for y in cp.loc[diff | ~np.isfinite(hi), "year"]]

    def still_rising(self) -> bool:
        """True when net emissions still rise in the last year (no peak within the horizon)."""
        if not self.res.optimal or len(self.res.emissions) < 2:
            return False
        e = self.res.emissions["emissions_t"].to_numpy(float)
        return bool(e[-1] > e[-2] + 1e-9 * max(1.0, abs(e[-1])))


def build(res: Result, lang: str = "en", sweep: bool = False,
          stringency_table: Stringency | None = None) -> Report:
    """Compute everything the report shows (the ranking re-solves a few small LPs; with
    `sweep` the stringency sweep and frontier are solved too)."""
    from planner.analysis.decomposition import decomposition
    from planner.analysis.indicators import co_benefits, co_benefits_by_year, indicators
    from planner.analysis.ranking import explain_order, rank

    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    rep = Report(res=res, lang=lang, cjk=charts.cjk_font_available())
    rep.colours = charts.measure_colours(res.inputs.projects["measure"].astype(str))
    if res.optimal:
        rep.ranking = rank(res)
        if lang != "en":  # the reasons, written in the report's language
            names = project_names(res)
            table = rep.ranking.set_axis(rep.ranking["project"].to_list())
            rep.ranking["why"] = explain_order(table, res, lang,
                                               lambda q: names.get(q, q)).to_numpy()
        rep.indicators = indicators(res)
        rep.co_benefits = co_benefits(res)
        rep.co_benefits_by_year = co_benefits_by_year(res)
        rep.decomposition = decomposition(res)
        rep.charts = ["emissions_pathway", "sector_emissions", "deployment_timeline",
                      "mac_curve", "carbon_price"]
    if sweep or stringency_table is not None:
        rep.stringency = stringency_table or stringency(res)
        rep.charts += ["sweep_cost", "sweep_price"]
        if len(rep.stringency.peak_years) > 1:
            rep.charts.append("sweep_heatmap")
        rep.charts.append("frontier")
    return rep


# ----------------------------------------------------------------------------------------
# Charts
# ----------------------------------------------------------------------------------------


def _sweep_for_chart(st: Stringency, end: int) -> pd.DataFrame:
    """Sweep rows without a peak year are drawn as "peak by <last year>" (the same thing)."""
    df = st.sweep.copy()
    df["peak_year"] = df["peak_year"].astype(float).fillna(float(end)).astype(int)
    return df


def make_chart(rep: Report, stem: str):
    """The matplotlib figure of one chart of the report."""
    res, lang = rep.res, rep.lang
    col = rep.colours
    if stem == "emissions_pathway":
        return charts.emissions_pathway(res.emissions, res.deployment, rep.projects,
                                        res.peak_year, lang, colours=col)
    if stem == "sector_emissions":
        return charts.sector_emissions(res.emissions_by_sector, lang)
    if stem == "deployment_timeline":
        return charts.deployment_timeline(res.deployment, rep.projects, lang, colours=col)
    if stem == "mac_curve":
        return charts.mac_curve(rep.ranking, res.price_in(res.target_year()), lang, colours=col)
    if stem == "carbon_price":
        return charts.carbon_price_chart(res.carbon_price, lang)
    st = rep.stringency
    if st is None:
        raise ValueError(f"no stringency sweep for chart {stem!r}")
    if stem == "sweep_cost":
        return charts.sweep_cost(_sweep_for_chart(st, res.inputs.end), lang)
    if stem == "sweep_price":
        return charts.sweep_price(_sweep_for_chart(st, res.inputs.end), lang)
    if stem == "sweep_heatmap":
        return charts.sweep_heatmap(_sweep_for_chart(st, res.inputs.end), lang)
    if stem == "frontier":
        return charts.frontier_chart(st.frontier, lang)
    raise ValueError(f"unknown chart {stem!r}")


# ----------------------------------------------------------------------------------------
# Workbook
# ----------------------------------------------------------------------------------------

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


def column_header(col: str, lang: str) -> str:
    """The workbook header of a column (with its unit) in `lang`."""
    if col.startswith("share_") and not t_or(f"report.col.{col}", lang, ""):
        return t("report.col.share_sector", lang, sector=id_label("sector", col[6:], lang))
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
    if "limit" in out and "kind" in out:
        out["limit"] = [limit_text(r, lang) for r in out.itertuples(index=False)]
    if "constraint" in out:
        out["constraint"] = out["constraint"].map(
            lambda s: t_or(f"report.group.{s}", lang, str(s)))
    if "level" in out and "name" in out:  # the decomposition
        def name(r) -> str:
            if r["level"] == "city":
                return t("report.city_total", lang)
            return id_label(str(r["level"]), r["name"], lang)

        out["name"] = out.apply(name, axis=1)
        out["level"] = out["level"].map(lambda s: t_or(f"report.level.{s}", lang, str(s)))
        out = out.rename(columns={"name": "group"})
    return out


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
        ("end", inp.end, ""),
        ("discount_rate", inp.rate, t("report.u.fraction", lang)),
        ("target", t("report.clause_sep", lang).join(target_lines(res, lang)), ""),
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
            ("price", res.price_in(res.target_year()), u_price),
        ]
    else:
        rows += [("bau_peak_year", s["bau_peak_year"], ""),
                 ("bau_peak_emissions", s["bau_peak_emissions_t"], u_t),
                 ("diagnosis", diagnosis_text(res, lang), "")]
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
        raw["indicators"] = rep.indicators
        raw["co_benefits"] = rep.co_benefits
        raw["decomposition"] = rep.decomposition
    elif res.diagnosis is not None:
        raw["shortfall"] = res.diagnosis.shortfall
        raw["limits"] = res.diagnosis.limits
    if rep.stringency is not None:
        raw["sweep"] = rep.stringency.sweep
        raw["project_entry"] = rep.stringency.entry
        raw["frontier"] = rep.stringency.frontier
    sheets = {t("report.sheet.summary", lang): summary_sheet(rep)}
    formats: dict[str, dict[str, str]] = {}
    for key, df in raw.items():
        df = _translated(df, rep)
        name = t(f"report.sheet.{key}", lang)
        headers = _unique([column_header(c, lang) for c in df.columns])
        fmt = {h: f for c, h in zip(df.columns, headers, strict=True)
               if (f := excel_format(c)) is not None and pd.api.types.is_numeric_dtype(df[c])}
        sheets[name] = df.set_axis(headers, axis=1)
        formats[name] = fmt
    return sheets, formats


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


# ----------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------


def report_writers(rep: Report) -> Writers:
    """Chart files (PNG + SVG), report.xlsx and report.html (last: it embeds the PNGs)."""
    from planner.report.html import render
    from planner.tables import write_xlsx

    w: Writers = {}
    for stem in rep.charts:
        def chart(path: Path, stem: str = stem) -> None:
            charts.save_figure(make_chart(rep, stem), path.parent, stem)

        w[f"{stem}.png"] = chart

    def xlsx(path: Path) -> None:
        sheets, formats = workbook(rep)
        write_xlsx(sheets, path, formats)

    def html(path: Path) -> None:
        images = {stem: (path.parent / f"{stem}.png").read_bytes() for stem in rep.charts}
        path.write_text(render(rep, images), encoding="utf-8")

    w["report.xlsx"] = xlsx
    w["report.html"] = html
    return w


def write_report(res: Result, out: Path, lang: str = "en", sweep: bool = False) -> Path:
    """Build the report of `res` and write it into the folder `out` (atomically)."""
    from planner.outputs.folder import write_folder

    return write_folder(Path(out), report_writers(build(res, lang, sweep)))


# ----------------------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------------------


def register(sub) -> None:
    """Add `planner report SCENARIO [--out DIR] [--lang en|zh] [--sweep]`."""
    p = sub.add_parser("report", help="write an HTML report, an Excel workbook and the charts")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path,
                   help="output folder (default results/<scenario>-report/)")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of the report (default en)")
    p.add_argument("--sweep", action="store_true",
                   help="add a stringency sweep around the scenario's cap and the frontier")
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from planner.api import solve
    from planner.errors import EXIT_INFEASIBLE, EXIT_OK
    from planner.outputs.folder import check_target, write_folder
    from planner.outputs.run import default_out
    from planner.scenario import load_scenario

    sc = load_scenario(args.scenario)
    out = args.out or default_out(sc.path, "report")
    check_target(out)
    if args.lang == "zh" and not charts.cjk_font_available():
        print("warning: no Chinese (CJK) font was found; the charts use English labels and "
              "project ids. Reinstall planner or install a CJK font (e.g. fonts-noto-cjk).",
              file=sys.stderr)
    res = solve(sc)
    write_folder(out, report_writers(build(res, args.lang, args.sweep)))
    if res.optimal:
        print(f"{sc.name}: {res.status}; peak {res.peak_year} at {mt(res.peak_emissions_t)} Mt "
              f"CO2; net present cost {yi(res.objective_cny)} 亿元 (100 million CNY).")
    else:
        print(f"{sc.name}: {res.status}.", diagnosis_text(res, "en"), file=sys.stderr)
    print(f"Report written to {out}/report.html (and report.xlsx, charts as PNG and SVG)")
    return EXIT_OK if res.optimal else EXIT_INFEASIBLE
