"""The tracking report: `track.html` (self-contained, charts embedded) and `track.xlsx`, in
English or Chinese. Strings are the `track.*` rows of planner/i18n/strings.csv."""

from __future__ import annotations

import base64
import html
import math

import pandas as pd

from planner.analysis.tracking import ALL, Tracking
from planner.i18n import has, t


def tt(key: str, lang: str = "en", **fmt: object) -> str:
    """The tracking string `track.<key>` in `lang`, placeholders filled from `fmt`."""
    return t(f"track.{key}", lang, **fmt)


def _mt(v: float | None, digits: int = 2) -> str:
    return "–" if v is None or not math.isfinite(v) else f"{v / 1e6:,.{digits}f}"


def _num(v: object, digits: int = 0) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    if isinstance(v, (int, float)):
        if v != 0 and abs(v) < 1e-2:
            return f"{v:.3g}"
        return f"{v:,.{digits}f}"
    return str(v)


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _rating(r: str, lang: str) -> str:
    return tt(f"rating.{r}", lang)


def _sector(s: str, lang: str) -> str:
    return tt("sector.total", lang) if s == ALL else s


def _mc(d: dict | None) -> str:
    v = (d or {}).get("tighten")
    return "–" if v is None else f"{v:,.0f}"


def headline_lines(tr: Tracking, lang: str) -> list[str]:
    """The report's headline sentences."""
    h = tr.headlines
    y = tr.actuals.years[-1]
    lines = [tt("gap.text", lang, year=y, gap=_mt(h["gap_t"], 3),
                baseline=_mt(h["from_baseline_t"], 3),
                deployment=_mt(h["from_deployment_t"], 3),
                performance=_mt(h["from_performance_t"], 3))]
    fut = tr.future
    first, last = int(fut["year"].iloc[0]), int(fut["year"].iloc[-1])
    if tr.feasible:
        lines.append(tt("delay.text", lang, first=first, last=last,
                        delay=f"{h['cost_of_delay_cny'] / 1e8:,.2f}",
                        mc_plan=_mc(h.get("marginal_cost_plan_cny_per_t")),
                        mc_replan=_mc(h.get("marginal_cost_replan_cny_per_t"))))
        extra = fut["extra_abatement_t"]
        lines.append(tt("extra.text", lang, first=first, last=last,
                        total=_mt(float(extra.clip(lower=0).sum()), 2),
                        peak=_mt(float(extra.max()), 3)))
    else:
        lines.append(tt("infeasible.text", lang))
        py = h.get("earliest_feasible_peak_year")
        lines.append(tt("infeasible.peak", lang, year=py) if py is not None
                     else tt("infeasible.nopeak", lang))
        low = h.get("lowest_feasible_cap_t")
        if low is not None:
            lines.append(tt("infeasible.cap", lang, value=_mt(low, 3)))
        if lang == "en" and h.get("diagnosis"):
            lines.append(h["diagnosis"])
    return lines


def html_page(tr: Tracking, lang: str, images: dict[str, bytes], illustrative: bool) -> str:
    """The whole report as one self-contained HTML page (PNG charts embedded)."""
    sc = tr.plan.scenario
    parts = [f"<h1>{html.escape(tt('title', lang, scenario=sc.name))}</h1>",
             f"<p class='sub'>{html.escape(tt('subtitle', lang, as_of=tr.actuals.as_of))}</p>"]
    if illustrative:
        parts.append(f"<p class='note'>{html.escape(tt('illustrative', lang))}</p>")
    parts.append(f"<p class='overall {tr.overall}'>{html.escape(tt('overall', lang))}: "
                 f"<b>{html.escape(_rating(tr.overall, lang))}</b></p>")
    parts.append(f"<h2>{html.escape(tt('section.headline', lang))}</h2>")
    parts += [f"<p>{html.escape(s)}</p>" for s in headline_lines(tr, lang)]

    def img(stem: str) -> str:
        data = base64.b64encode(images[stem]).decode("ascii")
        return f"<img alt='{stem}' src='data:image/png;base64,{data}'>"

    parts.append(f"<h2>{html.escape(tt('section.emissions', lang))}</h2>")
    if "track_emissions" in images:
        parts.append(img("track_emissions"))
    parts.append(f"<h2>{html.escape(tt('section.gap', lang))}</h2>")
    if "track_gap" in images:
        parts.append(img("track_gap"))
    g = tr.gap
    cols = ["year", "sector", "observed_t", "planned_t", "gap_t", "from_baseline_t",
            "from_deployment_t", "from_performance_t"]
    parts.append(_table([tt(f"col.{c}", lang) for c in cols],
                        [[r.year, _sector(r.sector, lang)]
                         + [_num(getattr(r, c)) for c in cols[2:]] for r in g.itertuples()]))
    parts.append(f"<h2>{html.escape(tt('section.indicators', lang))}</h2>")
    ind = tr.indicators
    parts.append(_table(
        [tt(f"col.{c}", lang) for c in ("indicator", "year", "observed", "reference",
                                        "reference_kind", "difference", "rating")],
        [[tt(f"ind.{r.indicator}", lang), r.year, _num(r.observed, 2), _num(r.reference, 2),
          tt(f"kind.{r.reference_kind}", lang), _num(r.difference, 2),
          _rating(r.rating, lang)] for r in ind.itertuples()]))
    parts.append(f"<h2>{html.escape(tt('section.projects', lang))}</h2>")
    pr = tr.projects
    parts.append(_table(
        [tt(f"col.{c}", lang) for c in ("project", "name", "unit", "planned_units",
                                        "built_units", "built_share", "slip_years", "rating")],
        [[r.project, r.name, r.unit, _num(r.planned_units), _num(r.built_units),
          "–" if pd.isna(r.built_share) else f"{100 * r.built_share:.0f} %", r.slip_years,
          _rating(r.rating, lang)] for r in pr.itertuples()]))
    parts.append(f"<h2>{html.escape(tt('section.future', lang))}</h2>")
    fcols = ["year", "bau_replan_t", "emissions_plan_t", "emissions_replan_t", "cap_t",
             "extra_abatement_t"]
    parts.append(_table([tt(f"col.{c}", lang) for c in fcols],
                        [[int(r.year)] + [_num(getattr(r, c)) for c in fcols[1:]]
                         for r in tr.future.itertuples()]))
    parts.append(f"<h2>{html.escape(tt('section.method', lang))}</h2>")
    method = tt("method.text", lang, as_of=tr.actuals.as_of, rebase=tr.rebase)
    parts.append(f"<p>{html.escape(method)}</p>")
    style = ("body{font-family:'DejaVu Sans','Noto Sans CJK SC',sans-serif;max-width:60em;"
             "margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;"
             "font-size:0.85em;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 6px;"
             "text-align:right}th{background:#f3f3f3}img{max-width:100%}.note{color:#a60}"
             ".off_track b{color:#b00}.at_risk b{color:#c80}.on_track b{color:#070}")
    return (f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head>"
            f"<meta charset='utf-8'><title>{html.escape(tt('title', lang, scenario=sc.name))}"
            f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>\n")


def workbook(tr: Tracking, lang: str) -> dict[str, pd.DataFrame]:
    """Sheets of track.xlsx with translated headers (numbers stay numbers)."""
    def named(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        if "rating" in out:
            out["rating"] = out["rating"].map(lambda r: _rating(r, lang))
        if "sector" in out:
            out["sector"] = out["sector"].map(lambda s: _sector(s, lang))
        if "indicator" in out:
            out["indicator"] = out["indicator"].map(lambda k: tt(f"ind.{k}", lang))
        if "reference_kind" in out:
            out["reference_kind"] = out["reference_kind"].map(lambda k: tt(f"kind.{k}", lang))
        return out.rename(columns={c: tt(f"col.{c}", lang) for c in out.columns
                                   if has(f"track.col.{c}")})

    summary = pd.DataFrame({tt("section.headline", lang):
                            [f"{tt('overall', lang)}: {_rating(tr.overall, lang)}",
                             *headline_lines(tr, lang)]})
    return {tt("sheet.summary", lang): summary, tt("sheet.gap", lang): named(tr.gap),
            tt("sheet.indicators", lang): named(tr.indicators),
            tt("sheet.projects", lang): named(tr.projects),
            tt("sheet.future", lang): named(tr.future)}
