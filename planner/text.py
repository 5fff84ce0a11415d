"""Text for people (presentation layer): Markdown tables, the terminal summary of a run and
the diagnosis of an infeasible target in words, in English or Chinese."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.analysis.narrator import diagnosis_text as narrate
from planner.analysis.narrator import limit_text  # noqa: F401  (re-exported for the report)
from planner.i18n import t, t_or
from planner.labels import Labels, display
from planner.units import text_width

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


def diagnosis_text(res: Result, lang: str, labels: Labels | None = None) -> str:
    """The diagnosis of an infeasible result in plain words (the narrator's account)."""
    return narrate(res.inputs, res.diagnosis, lang, labels)


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
          bau_year=int(inp.bau_scope.idxmax()), bau_value=_mt(float(inp.bau_scope.max()), lang)),
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
