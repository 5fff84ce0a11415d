"""The report of a region scenario (several cities under a joint target): one self-contained
HTML page and the sheets of its workbook, in English or Chinese.

Built from the agglomeration chapter's helpers (:mod:`planner.report.agglomeration`: headline
lines, the per-city and per-rule tables) and the small-multiples chart
(:mod:`planner.plot.regions`, embedded as PNG). Display units Mt CO₂ and 亿元 (100 million CNY);
the workbook keeps t and CNY.
"""

from __future__ import annotations

import datetime as _dt
import re
from string import Template

import numpy as np
import pandas as pd

from planner.analysis.agglomeration import (
    Agglomeration,
    coalition_table,
    compare_rules,
    coordination_gains,
    region_summary,
    transfers_table,
    whole_emissions,
)
from planner.i18n import t, t_or
from planner.report.agglomeration import city_table, headline_lines, rule_name, rules_table
from planner.report.assets import CSS, FONTS, PAGE, embedded_font_css
from planner.report.markup import Blocks, esc
from planner.report.workbook import _unique, column_header, excel_format
from planner.units import mt, num, yi
from planner.version import __version__

#: the chart of the page (file stem)
CHART = "agglomeration"
SECTIONS = ["headline", "cities", "rules", "gains", "method"]


class RegionPage(Blocks):
    """The sections of an agglomeration report."""

    def __init__(self, ag: Agglomeration, lang: str, images: dict[str, bytes]) -> None:
        super().__init__(lang, images, SECTIONS)
        self.ag = ag

    def _frame_table(self, df: pd.DataFrame, caption: str,
                     row_classes: list[str] | None = None) -> str:
        """A display table (strings already formatted) with the first column left-aligned."""
        headers = [str(c) for c in df.columns]
        align = ["l"] + ["r"] * (len(headers) - 1)
        return self.table(headers, df.astype(str).to_numpy().tolist(), align, caption,
                          row_classes)

    def headline(self) -> None:
        """Add the headline section: KPI cards (costs in 亿 CNY, price in CNY/t) and lead."""
        ag = self.ag
        run = ag.scenario_run
        rs = ag.rin.scenario
        u_yi = self.tr("report.unit.yi")
        status = t_or(f"status.{run.status}", self.lang, run.status)
        cards = [(self.tr("report.kpi.status"), status[:1].upper() + status[1:], "",
                  self.tr("region.kpi.cities", n=len(ag.names)))]
        if ag.joint.optimal:
            cards.append((self.tr("region.kpi.joint"), yi(ag.joint.total_cost_cny), u_yi,
                          self.tr("region.kpi.joint_note")))
        if run.optimal:
            cards.append((self.tr("region.kpi.total"), yi(run.total_cost_cny), u_yi,
                          self.tr("region.kpi.total_note", rule=rule_name(rs.allocation,
                                                                         self.lang))))
        aut = ag.autarky.get(rs.allocation)
        if aut is not None and aut.optimal:
            cards.append((self.tr("region.kpi.autarky"), yi(aut.total_cost_cny), u_yi,
                          self.tr("region.kpi.autarky_note")))
        gains = coordination_gains(ag)
        mine = gains[gains["rule"] == rs.allocation]
        if len(mine):
            core = bool(mine["in_core"].iloc[0])
            cards.append((self.tr("region.kpi.gain"), yi(mine["coordination_gain_cny"].iloc[0]),
                          u_yi, self.tr("region.in_core" if core else "region.not_in_core")))
        iy = ag.rin.years.index(ag.target_year)
        if run.optimal and run.price is not None and np.isfinite(run.price[iy]):
            cards.append((self.tr("region.kpi.price", year=ag.target_year),
                          num(run.price[iy] / ag.rin.weights[iy]), self.tr("report.unit.price"),
                          self.tr("region.kpi.price_note")))
        body = self.cards(cards, bad=not run.optimal)
        body += self.para(*headline_lines(ag, self.lang), cls="lead")
        body += self.para(self.tr("report.conv.money", start=rs.years.start),
                          self.tr("report.conv.time"))
        self.section("headline", body)

    def cities(self) -> None:
        """Add the cities section: chart, per-city table and the whole region's path (Mt)."""
        ag = self.ag
        rs = ag.rin.scenario
        body = [self.figure(CHART, self.tr("region.cap.chart", year=ag.target_year))]
        if ag.scenario_run.optimal:
            body.append(self._frame_table(city_table(ag, self.lang), self.tr(
                "region.table_title", rule=rule_name(rs.allocation, self.lang))))
            em = whole_emissions(ag)
            rows = [[str(int(r.year)), mt(r.bau_t), mt(r.no_target_t), mt(r.cap_t),
                     mt(r.emissions_t)] for r in em.itertuples(index=False)]
            body.append(self.table(
                [self.tr("report.h.year"), self.tr("report.h.bau_mt"),
                 self.tr("region.h.no_target_mt"), self.tr("report.h.cap_mt"),
                 self.tr("report.h.emissions_mt")], rows, ["l", "r", "r", "r", "r"],
                self.tr("region.cap.whole")))
        else:
            body.append(self.note(self.tr("region.infeasible")))
        self.section("cities", "\n".join(body))

    def rules(self) -> None:
        """Add the rules section: the allocation rules compared (亿 CNY)."""
        body = [self.para(self.tr("region.rules_note")),
                self._frame_table(rules_table(self.ag, self.lang),
                                  self.tr("region.rules_title"))]
        self.section("rules", "\n".join(body))

    def gains(self) -> None:
        """Add the gains section: coordination gains and Shapley shares per rule and city."""
        ag = self.ag
        g = coordination_gains(ag)
        rows, cls = [], []
        for r in g.itertuples(index=False):
            rows.append([rule_name(r.rule, self.lang), r.region, yi(r.autarky_cost_cny),
                         yi(r.joint_cost_cny), yi(r.coordination_gain_cny),
                         yi(r.shapley_share_cny),
                         self.tr("region.yes" if bool(r.in_core) else "region.no")])
            cls.append("hl" if r.rule == ag.rin.scenario.allocation else "")
        body = [self.para(self.tr("region.gains_note"))]
        if rows:
            body.append(self.table(
                [self.tr("region.col.rule"), self.tr("region.col.city"),
                 self.tr("region.col.autarky"), self.tr("region.h.joint_yi"),
                 self.tr("region.col.coordination"), self.tr("region.h.shapley_yi"),
                 self.tr("region.h.in_core")], rows, ["l", "l", "r", "r", "r", "r", "l"],
                self.tr("region.cap.gains"), cls))
        else:
            body.append(self.note(self.tr("region.no_gains")))
        self.section("gains", "\n".join(body))

    def method(self) -> None:
        """Add the method section: the joint model, the rules and the Shapley shares."""
        self.section("method", "\n".join(self.para(self.tr(k)) for k in
                                         ("region.method.joint", "region.method.rules",
                                          "region.method.shapley")))

    def render(self) -> str:
        """The whole region report page as one HTML string (builds every section in order)."""
        for sid in self.order:
            getattr(self, sid)()
        rs = self.ag.rin.scenario
        toc = "".join(f'<li><a href="#{sid}">{esc(self.tr(f"report.sec.{sid}"))}</a></li>'
                      for sid in self.order)
        date = _dt.date.today().isoformat()
        meta = " · ".join([self.tr("report.a.horizon_value", start=rs.years.start,
                                   end=rs.years.end),
                           rs.path.name if rs.path else "",
                           self.tr("report.generated", version=__version__, date=date)])
        title = t("region.title", self.lang, name=rs.name)
        page = PAGE.substitute(
            html_lang="zh-CN" if self.lang == "zh" else "en", version=esc(__version__),
            title=esc(title), css=Template(CSS).substitute(fonts=FONTS[self.lang]),
            kicker=esc(self.tr("region.kicker")), name=esc(title), meta=esc(meta),
            warning="", contents=esc(self.tr("report.contents")), toc=toc,
            sections="\n".join(self.sections),
            footer=esc(self.tr("report.generated", version=__version__, date=date)))
        face = embedded_font_css(page)
        return page.replace("<style>", f"<style>{face}", 1) if face else page


def render_regions(ag: Agglomeration, lang: str, images: dict[str, bytes]) -> str:
    """The agglomeration report as one HTML string; `images` maps chart stems to PNG bytes."""
    return RegionPage(ag, lang, images).render()


def _header(col: str, lang: str) -> str:
    m = re.fullmatch(r"net_cost_(.+)_cny", col)
    if m and not t_or(f"report.col.{col}", lang, ""):
        return t("region.h.net_cost_of", lang, city=m[1])
    return column_header(col, lang)


def region_workbook(ag: Agglomeration, lang: str
                    ) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """The sheets of the agglomeration's report.xlsx (translated names and headers, numbers
    as numbers in t and CNY) and their number formats."""
    rs = ag.rin.scenario
    run = ag.scenario_run
    gains = coordination_gains(ag)
    mine = gains[gains["rule"] == rs.allocation]
    aut = ag.autarky.get(rs.allocation)
    u_cny = t("report.u.cny_start", lang, start=rs.years.start)
    items: list[tuple[str, object, str]] = [
        ("scenario", rs.name, ""), ("regions", ", ".join(ag.names), ""),
        ("allocation", rule_name(rs.allocation, lang), ""),
        ("status", t_or(f"status.{run.status}", lang, run.status), ""),
        ("target_year", ag.target_year, ""),
        ("joint_least_cost", ag.joint.total_cost_cny if ag.joint.optimal else None, u_cny),
        ("total_cost", run.total_cost_cny if run.optimal else None, u_cny),
        ("autarky_cost", aut.total_cost_cny if aut is not None and aut.optimal else None,
         u_cny),
        ("coordination_gain", float(mine["coordination_gain_cny"].iloc[0]) if len(mine)
         else None, u_cny),
    ]
    summary = pd.DataFrame([(t(f"region.item.{k}", lang), v, u) for k, v, u in items],
                           columns=[t(f"report.col.{c}", lang) for c in ("item", "value",
                                                                         "unit")])
    raw = {"region_summary": region_summary(ag), "rules": compare_rules(ag),
           "coordination_gains": gains, "coalitions": coalition_table(ag),
           "transfers": transfers_table(ag), "emissions": whole_emissions(ag)}
    sheets = {t("report.sheet.summary", lang): summary}
    formats: dict[str, dict[str, str]] = {}
    for key, df in raw.items():
        df = df.copy()
        if "rule" in df:
            df["rule"] = df["rule"].map(lambda r: rule_name(str(r), lang))
        if "status" in df:
            df["status"] = df["status"].map(lambda s: t_or(f"status.{s}", lang, str(s)))
        headers = _unique([_header(c, lang) for c in df.columns])
        fmt = {h: f for c, h in zip(df.columns, headers, strict=True)
               if (f := excel_format(c)) is not None and pd.api.types.is_numeric_dtype(df[c])}
        name = t(f"region.sheet.{key}", lang)
        sheets[name] = df.set_axis(headers, axis=1)
        formats[name] = fmt
    return sheets, formats


__all__ = ["CHART", "RegionPage", "region_workbook", "render_regions"]
