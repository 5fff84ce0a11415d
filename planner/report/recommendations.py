"""The report's chapter of policy recommendations (planner.analysis.recommendations): the
target-level recommendations, a table per measure and per project, and the indicators to
track each year. Rendered by :class:`planner.report.html.Page`."""

from __future__ import annotations

from planner.analysis.recommendation_text import (
    labeller,
    measure_text,
    project_text,
    target_texts,
)
from planner.analysis.recommendations import Recommendations
from planner.i18n import t
from planner.report.markup import PageBase, esc
from planner.units import mt, num, pct


def tracking_rows(rec: Recommendations, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the planned value of each tracked indicator per year (display
    units: Mt CO₂, t per 10,000 CNY of GDP, t per person)."""
    tr = rec.tracking
    has_cap = bool(tr["cap_t"].notna().any())
    has_ind = bool(tr["co2_per_10k_cny_gdp"].notna().any())
    headers = [t("rec.h.year", lang), t("rec.h.emissions_mt", lang)]
    if has_cap:
        headers += [t("rec.h.cap_mt", lang), t("rec.h.headroom_mt", lang)]
    if has_ind:
        headers += [t("rec.h.intensity", lang), t("rec.h.per_capita", lang)]
    headers.append(t("rec.h.building", lang))
    rows = []
    for r in tr.itertuples(index=False):
        row = [str(r.year), mt(r.emissions_t)]
        if has_cap:
            row += [mt(r.cap_t), mt(r.headroom_t)]
        if has_ind:
            row += [num(r.co2_per_10k_cny_gdp, 3), num(r.per_capita_t, 2)]
        row.append(str(int(r.projects_building)))
        rows.append(row)
    return headers, rows


def intro(rec: Recommendations, rate: float, start: int, lang: str) -> list[str]:
    """The chapter's opening sentences: where the numbers come from, the rates used."""
    return [t("rec.intro", lang, rate=pct(rate), start=start),
            t("rec.intro_private", lang, rate=pct(rec.private_rate))
            if rec.private_rate is not None else t("rec.intro_no_private", lang)]


def section(page: PageBase, rec: Recommendations) -> str:
    """The chapter's HTML body."""
    lang = page.lang
    label = labeller(page.rep.labels, lang)
    body = [page.para(*intro(rec, page.inp.rate, page.inp.start, lang))]
    items = "".join(f"<li><b>{esc(t(f'rec.class.{cls}', lang))}</b>: {esc(text)}</li>"
                    for cls, text in target_texts(rec, lang))
    body.append(f"<ul>{items}</ul>")
    heads = [t("rec.h.item", lang), t("rec.h.class", lang), t("rec.h.recommendation", lang)]
    rows = [[page.swatch(m), t(f"rec.class.{r['class']}", lang),
             measure_text(r, rec, lang, label)] for m, r in rec.measures.iterrows()]
    body.append(page.table(heads, rows, ["l", "l", "l"],
                           t("rec.h.measures", lang), cell_classes=["", "", "why"]))
    rows = [[page.project_cell(p, r["measure"]), t(f"rec.class.{r['class']}", lang),
             project_text(r, rec.target, lang)] for p, r in rec.projects.iterrows()]
    body.append(page.table(heads, rows, ["l", "l", "l"], t("rec.cap.table", lang),
                           cell_classes=["", "", "why"]))
    headers, rows = tracking_rows(rec, lang)
    body.append(page.table(headers, rows, ["l"] + ["r"] * (len(headers) - 1),
                           t("rec.cap.tracking", lang)))
    return "\n".join(body)
