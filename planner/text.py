"""Text for people (presentation layer): Markdown tables, the terminal summary of a run and
the diagnosis of an infeasible target in words, in English or Chinese."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.analysis.diagnosis import describe_limit
from planner.i18n import t, t_or
from planner.labels import Labels, display
from planner.units import mt, text_width

if TYPE_CHECKING:
    from planner.results import Result

# ---------------------------------------------------------------- Markdown -------------------


def cell_text(v: object, digits: int = 2) -> str:
    """One table cell as text: numbers with separators, NaN empty, "|" escaped."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if math.isinf(v):
            return "∞" if v > 0 else "−∞"
        if abs(v) >= 1e4 or v == int(v):
            return f"{v:,.0f}"
        return f"{v:,.{digits}f}"
    return str(v).replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                   align: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table of preformatted cells; `align` holds "l" or "r"."""
    align = align or ["l"] * len(headers)
    rule = {"l": ":---", "r": "---:"}
    lines = ["| " + " | ".join(cell_text(h, 0) for h in headers) + " |",
             "| " + " | ".join(rule[a] for a in align) + " |"]
    lines += ["| " + " | ".join(cell_text(c, 2) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def to_markdown(df: pd.DataFrame, digits: int = 2) -> str:
    """A DataFrame as a Markdown table; numbers right-aligned, large ones with separators."""
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]
    rows = [[cell_text(v, digits) for v in row] for row in df.itertuples(index=False)]
    return markdown_table([str(c) for c in df.columns], rows,
                          ["r" if n else "l" for n in numeric]) + "\n"


def ljust(s: str, width: int) -> str:
    """`s` padded on the right to `width` display columns (CJK characters count 2)."""
    return s + " " * max(0, width - text_width(s))


def rjust(s: str, width: int) -> str:
    """`s` padded on the left to `width` display columns (CJK characters count 2)."""
    return " " * max(0, width - text_width(s)) + s


# ---------------------------------------------------------------- diagnosis ------------------


def limit_text(row, lang: str) -> str:
    """A diagnosis limit row (planner.analysis.diagnosis.project_limits) in `lang`."""
    params = {k: getattr(row, k) for k in ("value", "unit") if not pd.isna(getattr(row, k))}
    if not pd.isna(row.since):
        params["year"] = int(row.since)
    return describe_limit(row.kind, lang, **params)


def diagnosis_text(res: Result, lang: str, labels: Labels | None = None) -> str:
    """The diagnosis in plain words: the solver's own message in English; in Chinese the same
    account rebuilt from the diagnosis tables."""
    d = res.diagnosis
    if d is None:
        return t("report.diag.head", lang)
    if lang == "en":
        return d.message
    inp = res.inputs
    tg = inp.scenario.target
    names = dict(zip(inp.projects.index.astype(str), inp.projects["name"], strict=True))
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
            label = display("project", r.project, lang, labels, names.get(str(r.project)))
            (kinds.setdefault(k, []) if k else spare).append(label)
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
    return "".join(out)


# ---------------------------------------------------------------- terminal summary -----------


def _mt(v: float, lang: str) -> str:
    return t("summary.mt", lang, value=f"{v / 1e6:,.2f}")


def _yi(v: float, lang: str) -> str:
    return t("summary.yi", lang, value=f"{v / 1e8:,.2f}")


def _money(v: Any, lang: str) -> str:
    return t("summary.na", lang) if v is None or not math.isfinite(v) else _yi(v, lang)


def _per_t(v: Any, lang: str) -> str:
    if v is None:
        return t("summary.na", lang)
    if math.isinf(v):
        return t("summary.infeasible", lang)
    return t("summary.per_t", lang, value=f"{v:,.1f}")


def headline_lines(res: Result, lang: str = "en") -> list[str]:
    """The target's cost and prices against the no-target plan, one line each."""
    h = res.headlines
    out: list[str] = []
    if "target_cost_cny" in h:
        mc = h.get("marginal_cost_cny_per_t") or {}
        out += [t("summary.target_cost", lang, value=_money(h["target_cost_cny"], lang),
                  base=_money(h.get("no_target_objective_cny"), lang)),
                t("summary.average_cost", lang, value=_per_t(h.get("average_cost_cny_per_t"),
                                                              lang)),
                t("summary.marginal_cost", lang, tighten=_per_t(mc.get("tighten"), lang),
                  loosen=_per_t(mc.get("loosen"), lang))]
        if "uniform_price_cny_per_t" in h:
            out.append(t("summary.uniform_price", lang,
                         value=_per_t(h["uniform_price_cny_per_t"], lang)))
        if h.get("ratchet_premium_cny") is not None:
            out.append(t("summary.ratchet", lang, value=_money(h["ratchet_premium_cny"], lang)))
    if h.get("achieved_peak_year") is not None:
        out.append(t("summary.plateau", lang, year=h["achieved_peak_year"]))
    out += [t("summary.warning", lang, text=w) for w in res.warnings]
    return out


def summary_text(res: Result, lang: str = "en", labels: Labels | None = None) -> str:
    """A readable terminal summary of a result in `lang` (projects named through `labels`
    in Chinese; by id in English)."""
    sc = res.scenario
    inp = res.inputs
    status = res.status if lang == "en" else t_or(f"status.{res.status}", lang, res.status)
    lines = [t("summary.scenario", lang, name=sc.name), t("summary.status", lang, status=status)]
    if not res.optimal:
        if res.diagnosis is not None:
            lines.append(diagnosis_text(res, lang, labels))
        return "\n".join(lines)
    lines += [
        t("summary.peak", lang, year=res.peak_year, value=_mt(res.peak_emissions_t, lang),
          bau_year=int(inp.bau_total.idxmax()), bau_value=_mt(float(inp.bau_total.max()), lang)),
        t("summary.cost", lang, value=_yi(res.objective_cny, lang), start=inp.start),
        t("summary.invest", lang, value=_yi(res.total_investment_cny, lang)),
    ]
    lines += headline_lines(res, lang)
    used = res.projects_used()
    if used.empty:
        lines.append(t("summary.no_project", lang))
        return "\n".join(lines)
    names = dict(zip(inp.projects.index.astype(str), inp.projects["name"], strict=True))
    lines.append("")
    lines.append(ljust(t("summary.h.project", lang), 24) + rjust(t("summary.h.first", lang), 6)
                 + rjust(t("summary.h.max_units", lang), 14) + "  "
                 + ljust(t("summary.h.unit", lang), 10)
                 + rjust(t("summary.h.abatement", lang), 14))
    for r in used.itertuples():
        label = (str(r.project) if lang == "en"
                 else display("project", r.project, lang, labels, names.get(str(r.project))))
        lines.append(ljust(label, 24) + rjust(str(r.first_year), 6)
                     + rjust(f"{r.max_stock_units:,.1f}", 14) + "  " + ljust(str(r.unit), 10)
                     + rjust(_mt(r.abatement_total_t, lang), 14))
    lines.append(t("summary.abatement_note", lang))
    return "\n".join(lines)
