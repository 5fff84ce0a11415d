"""The HTML page of a planner report: one self-contained file.

CSS is inline, charts are embedded as PNG data URIs, links are only to anchors in the page:
nothing is fetched from a network. All text is escaped; labels come from :mod:`planner.i18n`
and display names from :mod:`planner.labels`. See :mod:`planner.report.content` for what the
report holds.
"""

from __future__ import annotations

import datetime as _dt
import math
from string import Template

import pandas as pd

from planner.i18n import t_or
from planner.plot.style import largest
from planner.report import headline as hl
from planner.report.assets import CSS, FONTS, PAGE, embedded_font_css
from planner.report.content import Report, assumptions, target_lines
from planner.report.markup import PageBase, Raw, esc
from planner.report.recommendations import section as recommendations_section
from planner.report.uncertainty import section as uncertainty_section
from planner.text import diagnosis_text, limit_text
from planner.units import mt, num, pct, yi
from planner.version import __version__

#: rows of the co-benefits table before the rest are grouped as "other N projects"
TOP_COBENEFITS = 12


class Page(PageBase):
    """Builds the sections of one report page; numbers figures and tables as it goes."""

    # ---- sections ------------------------------------------------------------------------

    def headline(self) -> None:
        """Add the headline section: KPI cards and lead sentences (or the infeasibility summary)."""
        res, inp, rep = self.res, self.inp, self.rep
        tg = inp.scenario.target
        u_mt, u_yi = self.tr("report.unit.mt"), self.tr("report.unit.yi")
        status = t_or(f"status.{res.status}", self.lang, res.status)
        status = status[:1].upper() + status[1:]
        cards: list[tuple[str, str, str, str]] = []  # label, value, unit, note
        if not res.optimal:
            targets = target_lines(res, self.lang, self.rep.labels)
            cards.append((self.tr("report.kpi.status"), status, "",
                          self.tr("report.clause_sep").join(targets)))
            if res.diagnosis is not None:
                cards.append((self.tr("report.kpi.shortfall"),
                              mt(res.diagnosis.total_shortfall_t), u_mt,
                              self.tr("report.kpi.shortfall_note")))
            body = self.cards(cards, bad=True)
            body += self.para(self.tr("report.lead.infeasible", n=self.number("diagnosis")),
                              cls="lead")
            self.section("headline", body)
            return
        bau = inp.bau_scope
        target_note = (self.tr("report.kpi.target_year", year=tg.peak_year) if tg.peak_year
                       else self.tr("report.kpi.no_target"))
        rising = rep.still_rising()
        cards += [
            (self.tr("report.kpi.status"), status, "", ""),
            (self.tr("report.kpi.peak_year"),
             self.tr("report.kpi.no_peak") if rising else str(res.peak_year), "",
             self.tr("report.kpi.still_rising", year=inp.report_end) if rising else target_note),
            (self.tr("report.kpi.highest" if rising else "report.kpi.peak"),
             mt(res.peak_emissions_t), u_mt,
             self.tr("report.kpi.bau_peak", value=mt(bau.max()), year=int(bau.idxmax()))),
        ]
        plateau = hl.plateau_card(self)
        if plateau is not None:
            cards.append(plateau)
        cards += hl.economics_cards(self)
        cards += [
            (self.tr("report.kpi.cost"), yi(res.objective_cny), u_yi,
             self.tr("report.kpi.cost_note", start=inp.start)),
            (self.tr("report.kpi.investment"), yi(res.total_investment_cny), u_yi,
             self.tr("report.kpi.investment_note", start=inp.start, end=inp.report_end)),
        ]
        body = self.cards(cards)
        lead = []
        if rising:
            lead.append(self.tr("report.lead.no_peak", end=inp.report_end,
                                value=mt(res.emissions["emissions_t"].iloc[-1])))
        else:
            lead.append(self.tr("report.lead.peak", year=res.peak_year,
                                value=mt(res.peak_emissions_t)))
            below = 1 - res.peak_emissions_t / float(bau.max())
            lead.append(self.tr("report.lead.bau", value=mt(bau.max()), year=int(bau.idxmax()),
                                pct=pct(below)))
        lead += hl.economics_lead(self)
        key = "report.lead.cost_negative" if res.objective_cny < 0 else "report.lead.cost"
        lead.append(self.tr(key, value=yi(res.objective_cny), start=inp.start))
        lead.append(self.tr("report.lead.investment", value=yi(res.total_investment_cny),
                            start=inp.start, end=inp.report_end))
        lead.append(self.tr("report.lead.projects", n=len(res.projects_used()),
                            total=len(inp.projects)))
        lead.append(self.tr("report.lead.price_chapter", n=self.number("price")))
        body += self.para(*lead, cls="lead")
        strict = hl.strict_lines(self)
        if strict:
            body += self.para(*strict)
        body += self.para(hl.conventions(self))
        body += self.note(hl.changes_note(self))
        for text in self.rep.notes:  # side analyses that could not be computed
            body += self.note(text)
        body += self.para(self.tr("report.units_note", start=inp.start))
        self.section("headline", body)

    def assumptions(self) -> None:
        """Add the assumptions section: the scenario's settings and the inputs' SHA-256."""
        rows = assumptions(self.res, self.lang, self.rep.labels)
        body = ['<div class="tablewrap"><table class="kv"><tbody>']
        for label, lines in rows:
            value = "<br>".join(esc(v) for v in lines)
            body.append(f"<tr><th>{esc(label)}</th><td>{value}</td></tr>")
        body.append("</tbody></table></div>")
        files = self.res.summary["input_sha256"]
        body.append(self.table([self.tr("report.h.file"), self.tr("report.h.sha256")],
                               [(f, Raw(f"<code>{esc(h)}</code>")) for f, h in files.items()],
                               caption=self.tr("report.a.files")))
        self.section("assumptions", "\n".join(body))

    def pathway(self) -> None:
        """Add the pathway section: the emissions chart and a yearly table (Mt)."""
        res, inp = self.res, self.inp
        em = res.emissions
        has_cap = "cap_t" in em and em["cap_t"].notna().any()
        cap = self.join(self.tr("report.cap.pathway", start=inp.start, end=inp.report_end),
                        self.tr("report.cap.pathway_cap") if has_cap else "")
        body = [self.figure("emissions_pathway", cap)]
        headers = [self.tr("report.h.year"), self.tr("report.h.bau_mt"),
                   self.tr("report.h.abatement_mt"), self.tr("report.h.emissions_mt")]
        if has_cap:
            headers.append(self.tr("report.h.cap_mt"))
        rows, cls = [], []
        for r in em.itertuples(index=False):
            row = [str(r.year), mt(r.bau_t), mt(r.abatement_t), mt(r.emissions_t)]
            if has_cap:
                row.append(mt(r.cap_t))
            rows.append(row)
            cls.append("hl" if r.year == res.peak_year else "")
        body.append(self.table(headers, rows, ["l"] + ["r"] * (len(headers) - 1),
                               self.tr("report.cap.emissions_table"), cls))
        self.section("pathway", "\n".join(body))

    def sectors(self) -> None:
        """Add the sectors section: the sector chart and emissions per sector and year (Mt)."""
        res = self.res
        body = [self.figure("sector_emissions", self.tr("report.cap.sectors"))]
        pv = res.emissions_by_sector.pivot(index="year", columns="sector", values="emissions_t")
        pv = pv.reindex(columns=self.inp.sectors)
        headers = [self.tr("report.h.year")] + [
            self.tr("report.h.sector_mt", sector=self.rep.sector(s)) for s in pv.columns
        ] + [self.tr("report.h.total_mt")]
        rows = [[str(y)] + [mt(v) for v in r] + [mt(r.sum())] for y, r in pv.iterrows()]
        body.append(self.table(headers, rows, ["l"] + ["r"] * (len(headers) - 1),
                               self.tr("report.cap.sector_table")))
        self.section("sectors", "\n".join(body))

    def deployment(self) -> None:
        """Add the deployment section: timeline chart and projects used (Mt, 亿 CNY)."""
        res = self.res
        body = [self.figure("deployment_timeline", self.tr("report.cap.deployment"))]
        used = res.projects_used()
        inv = res.deployment.groupby("project")["investment_cny"].sum()
        headers = [self.tr("report.h.project"), self.tr("report.h.measure"),
                   self.tr("report.h.first_year"), self.tr("report.h.max_units"),
                   self.tr("report.h.unit"), self.tr("report.h.abatement_total_mt"),
                   self.tr("report.h.investment_yi")]
        rows = [[self.project_cell(r.project), self.swatch(r.measure), str(r.first_year),
                 num(r.max_stock_units, 0 if r.max_stock_units >= 100 else 1), r.unit,
                 mt(r.abatement_total_t), yi(inv.get(r.project, 0.0))]
                for r in used.itertuples(index=False)]
        if rows:
            rows.append([self.tr("report.city_total"), "", "", "", "",
                         mt(used["abatement_total_t"].sum()), yi(inv.sum())])
        body.append(self.table(headers, rows, ["l", "l", "r", "r", "l", "r", "r"],
                               self.tr("report.cap.used_table"),
                               [""] * (len(rows) - 1) + ["total"] if rows else None))
        self.section("deployment", "\n".join(body))

    def mac(self) -> None:
        """Add the MAC section: the MAC bars and, when drawn, the model-derived MAC curve."""
        ty = self.res.target_year()
        rk = self.rep.rk
        mc = self.rep.marginal_cost
        line = (self.tr("report.cap.mac_line", value=num(mc)) if mc is not None
                else self.tr("report.cap.mac_no_line"))
        cap = self.join(self.tr("report.cap.mac", rate=pct(self.inp.rate, 0), year=ty), line)
        bars = self.figure("mac_curve", cap)
        model = ""
        if rk is not None and rk.curves is not None and "mac_model" in self.rep.charts:
            cv = rk.curves["central"]
            lo, hi = rk.curves.get("rate_low"), rk.curves.get("rate_high")
            band = (self.tr("report.cap.mac_model_band", low=pct(lo.rate, 0),
                            high=pct(hi.rate, 0)) if lo is not None and hi is not None else "")
            point = (self.tr("report.cap.mac_model_point",
                             x=mt(rk.target_abatement_t), y=num(rk.target_cost_cny_per_t))
                     if math.isfinite(rk.target_abatement_t)
                     and math.isfinite(rk.target_cost_cny_per_t) else "")
            model = self.figure("mac_model", self.join(
                self.tr("report.cap.mac_model", year=cv.year, steps=len(cv.steps),
                        e0=mt(cv.no_target_t), low=mt(cv.lowest_t)), point, band))
        body = [self.pair(bars, model),
                self.para(self.tr("report.note.ranking", year=ty, start=self.inp.start))]
        self.section("mac", "\n".join(body))

    def ranking(self) -> None:
        """Add the ranking section: ranked projects' costs (CNY/t), potentials, investment."""
        rk = self.rep.ranking
        ty = self.res.target_year()
        headers = [self.tr("report.h.rank"), self.tr("report.h.project"),
                   self.tr("report.h.lcoa_vintage", year=ty),
                   self.tr("report.h.lcoa_first"), self.tr("report.h.lcoa_start",
                                                           year=self.inp.start),
                   self.tr("report.h.potential_mt_year", year=ty),
                   self.tr("report.h.deliverable_mt", year=ty),
                   self.tr("report.h.share_target", year=ty),
                   self.tr("report.h.first_year"), self.tr("report.h.entry_price_year", year=ty),
                   self.tr("report.h.investment_yi")]

        def col(r, name: str) -> float:
            return getattr(r, name, math.nan)

        rows = []
        for r in rk.itertuples(index=False):
            first = "" if pd.isna(r.first_build_year) else str(int(r.first_build_year))
            avail = col(r, "first_year_available")
            lcoa_first = num(col(r, "lcoa_first_year_cny_per_t"))
            if lcoa_first and not pd.isna(avail) and int(avail) != ty:
                lcoa_first = f"{lcoa_first} ({int(avail)})"
            rows.append([str(r.rank), self.project_cell(r.project, r.measure),
                         num(r.lcoa_cny_per_t), lcoa_first,
                         num(col(r, "lcoa_start_year_cny_per_t")),
                         mt(r.potential_t_per_year, 3),
                         mt(col(r, "deliverable_potential_t_per_year"), 3),
                         pct(r.share_deployed_target_year, 0), first,
                         num(col(r, "entry_price_cny_per_t")),
                         yi(r.investment_cny)])
        why = [self.tr("report.why_prefix", text=w) if w else "" for w in rk["why"]]
        align = ["r", "l"] + ["r"] * 9
        body = [self.para(self.tr("report.note.ranking_columns", year=ty, start=self.inp.start)),
                self.table(headers, rows, align, self.tr("report.cap.ranking_table", year=ty),
                           details=why)]
        self.section("ranking", "\n".join(body))

    def price(self) -> None:
        """Add the carbon price section: the price chart and yearly prices (CNY/t)."""
        res, rep = self.res, self.rep
        cp = res.carbon_price
        body = [self.figure("carbon_price", self.tr("report.cap.price"))]
        if (cp["price_cny_per_t"].abs() < 1e-6).all():
            body.append(self.para(self.tr("report.note.price_zero")))
        else:
            top = cp.loc[cp["price_cny_per_t"].idxmax()]
            body.append(self.para(self.tr("report.note.price_max", year=int(top["year"]),
                                          value=num(top["price_cny_per_t"]))))
        neg = rep.negative_price_years()
        if neg:
            body.append(self.note(self.tr("report.note.negative_price",
                                          years=self.years(neg))))
        sided = rep.one_sided_years()
        headers = [self.tr("report.h.year"), self.tr("report.h.price")]
        if sided:
            headers += [self.tr("report.h.price_low"), self.tr("report.h.price_high")]
            body.append(self.note(self.tr("report.note.one_sided", years=self.years(sided))))
        rows, cls = [], []
        for r in cp.itertuples(index=False):
            row = [str(r.year), num(r.price_cny_per_t)]
            if sided:
                row += [num(r.price_low_cny_per_t), num(r.price_high_cny_per_t)]
            rows.append(row)
            cls.append("hl" if r.year == res.target_year() else "")
        body.append(self.table(headers, rows, ["l"] + ["r"] * (len(headers) - 1),
                               self.tr("report.cap.price_table"), cls))
        self.section("price", "\n".join(body))

    def indicators(self) -> None:
        """Add the indicators section: emissions, GDP, population and intensity per year."""
        ind = self.rep.indicators
        inp = self.inp
        body = []
        has = inp.indicators is not None
        if not has:
            body.append(self.note(self.tr("report.note.no_indicators")))
        headers = [self.tr("report.h.year"), self.tr("report.h.emissions_mt")]
        if has:
            headers += [self.tr("report.h.gdp_yi"), self.tr("report.h.population_10k"),
                        self.tr("report.h.intensity"),
                        self.tr("report.h.intensity_change", year=inp.start),
                        self.tr("report.h.per_capita")]
        headers.append(self.tr("report.h.change_bau"))
        rows = []
        for r in ind.itertuples(index=False):
            row = [str(r.year), mt(r.emissions_t)]
            if has:
                row += [yi(r.gdp_cny), num(r.population, 1, 1e4), num(r.co2_per_10k_cny_gdp, 3),
                        pct(r.intensity_change_vs_base_year), num(r.per_capita_t, 2)]
            row.append(pct(r.change_vs_bau))
            rows.append(row)
        body.append(self.table(headers, rows, ["l"] + ["r"] * (len(headers) - 1),
                               self.tr("report.cap.indicators_table")))
        self.section("indicators", "\n".join(body))

    def cobenefits(self) -> None:
        """Add the co-benefits section: avoided SO2, NOx and PM2.5 (t) by project and year."""
        by_year = self.rep.co_benefits_by_year
        cb = self.rep.co_benefits
        inp = self.inp
        cols = ["so2_t", "nox_t", "pm25_t"]
        totals = by_year[cols].sum()
        body = []
        if float(totals.abs().sum()) <= 0:
            body.append(self.para(self.tr("report.note.no_cobenefits")))
            self.section("cobenefits", "\n".join(body))
            return
        body.append(self.para(self.tr("report.note.cobenefits_total", start=inp.start,
                                      end=inp.report_end, so2=num(totals["so2_t"]),
                                      nox=num(totals["nox_t"]), pm25=num(totals["pm25_t"]))))
        heads = [self.tr("report.h.so2"), self.tr("report.h.nox"), self.tr("report.h.pm25")]
        per = cb.groupby("project")[cols].sum()
        per = per[per.abs().sum(axis=1) > 0].sort_values("so2_t", ascending=False)
        # the largest TOP_COBENEFITS projects (by all pollutants together), the rest as one row
        shown, rest = largest(per.abs().sum(axis=1), TOP_COBENEFITS)
        measure = self.inp.projects["measure"]
        rows = [[self.project_cell(p), self.swatch(measure[p])]
                + [num(v, 1) for v in per.loc[p]] for p in per.index if str(p) in set(shown)]
        cls = [""] * len(rows)
        if rest:
            other = per[[str(p) in set(rest) for p in per.index]].sum()
            rows.append([self.tr("legend.other_projects", n=len(rest)), ""]
                        + [num(other[c], 1) for c in cols])
            cls.append("other")
        rows.append([self.tr("report.city_total"), ""] + [num(totals[c], 1) for c in cols])
        cls.append("total")
        body.append(self.table([self.tr("report.h.project"), self.tr("report.h.measure"),
                                *heads], rows, ["l", "l", "r", "r", "r"],
                               self.tr("report.cap.cobenefits_projects"), cls))
        rows = [[str(int(r.year))] + [num(getattr(r, c), 1) for c in cols]
                for r in by_year.itertuples(index=False)]
        body.append(self.table([self.tr("report.h.year"), *heads], rows, ["l", "r", "r", "r"],
                               self.tr("report.cap.cobenefits_table")))
        self.section("cobenefits", "\n".join(body))

    def decomposition(self) -> None:
        """Add the decomposition section: reductions, investment and cost by sector and measure."""
        dec = self.rep.decomposition
        first = dec.iloc[0]
        b, p, f = int(first["base_year"]), int(first["peak_year"]), int(first["final_year"])
        # emissions in the base, peak and final years (each year once), reduction in the peak
        # year (none in the base year: nothing is built before it) and over the horizon
        em_years = {b: "base"} | {f: "final"} | {p: "peak"}
        em_years = dict(sorted(em_years.items()))
        city = dec[dec["level"] == "city"]
        body = []
        for level, cap_key, with_em in (("sector", "report.cap.decomp_sector", True),
                                        ("measure", "report.cap.decomp_measure", False)):
            part = pd.concat([dec[dec["level"] == level], city])
            headers = [self.tr(f"report.h.{level}")]
            if with_em:
                headers += [self.tr("report.h.emissions_year_mt", year=y) for y in em_years]
            if p != b:
                headers.append(self.tr("report.h.reduction_year_mt", year=p))
            headers += [self.tr("report.h.reduction_total_mt"),
                        self.tr("report.h.share_reduction"), self.tr("report.h.investment_yi"),
                        self.tr("report.h.npc_yi"), self.tr("report.h.key_projects")]
            rows, cls = [], []
            for r in part.to_dict("records"):
                if r["level"] == "city":
                    label: object = self.tr("report.city_total")
                elif level == "measure":
                    label = self.swatch(r["name"])
                else:
                    label = self.rep.sector(r["name"])
                row: list[object] = [label]
                if with_em:
                    row += [mt(r[f"emissions_{k}_t"]) for k in em_years.values()]
                if p != b:
                    row.append(mt(r["reduction_peak_t"]))
                row += [mt(r["reduction_total_t"]), pct(r["share_of_reduction_total"]),
                        yi(r["investment_cny"]), yi(r["net_present_cost_cny"]),
                        r["key_projects"]]
                rows.append(row)
                cls.append("total" if r["level"] == "city" else "")
            align = ["l"] + ["r"] * (len(headers) - 2) + ["l"]
            cells = [""] * (len(headers) - 1) + ["wide"]
            body.append(self.table(headers, rows, align, self.tr(cap_key), cls, cells))
        self.section("decomposition", "\n".join(body))

    def recommendations(self) -> None:
        """Add the recommendations section."""
        self.section("recommendations", recommendations_section(self, self.rep.recommendations))

    def uncertainty(self) -> None:
        """Add the uncertainty section (Monte Carlo results)."""
        self.section("uncertainty", uncertainty_section(self, self.rep.uncertainty))

    def diagnosis(self) -> None:
        """Add the diagnosis section: why the target is infeasible and the shortfalls (Mt)."""
        res = self.res
        d = res.diagnosis
        body = [f'<div class="alert">{esc(diagnosis_text(res, self.lang, self.rep.labels))}</div>']
        if self.lang != "en" and d is not None:
            body.append(f"<details><summary>{esc(self.tr('report.diag.original'))}</summary>"
                        f"<p>{esc(d.message)}</p></details>")
        if d is not None and not d.shortfall.empty:
            # the shortfall per year, counted once (rows of one year may share the same
            # tonnes), then the rows over the whole horizon (budgets)
            rows = [[str(int(r.year)), mt(r.shortfall_t, 3),
                     self.tr("report.list_sep").join(
                         t_or(f"report.group.{c}", self.lang, c)
                         for c in str(r.constraints).split())]
                    for r in d.by_year.itertuples(index=False)]
            rows += [[self.tr("report.diag.horizon"), mt(r.shortfall_t, 3),
                      t_or(f"report.group.{r.constraint}", self.lang, r.constraint)]
                     for r in d.shortfall[d.shortfall["year"].isna()].itertuples(index=False)]
            body.append(self.table([self.tr("report.h.year"), self.tr("report.h.shortfall_mt"),
                                    self.tr("report.h.constraint")], rows, ["r", "r", "l"],
                                   self.tr("report.cap.shortfall_table")))
            years = [int(y) for y in d.by_year["year"]]
            if years and not d.limits.empty:
                y0 = years[0]
                lim = d.limits[d.limits["year"] == y0]
                rows = [[self.project_cell(r.project), limit_text(r, self.lang)]
                        for r in lim.itertuples(index=False)]
                body.append(self.table([self.tr("report.h.project"), self.tr("report.h.limit")],
                                       rows, caption=self.tr("report.cap.limits_table",
                                                             year=y0)))
        self.section("diagnosis", "\n".join(body))

    def stringency(self) -> None:
        """Add the stringency section: the sweep at the own peak year and the frontier."""
        st = self.rep.stringency
        inp = self.inp
        tg = inp.scenario.target
        years = [y if y is not None else inp.report_end for y in st.peak_years]
        body = [self.para(
            self.tr("report.note.stringency", n=len(st.caps), hi=mt(max(st.caps)),
                    lo=mt(min(st.caps)), years=self.years(years)),
            self.tr("report.note.stringency_own_cap", cap=mt(tg.cap_t)) if tg.cap_t else "")]
        body.append(self.figure("sweep_cost", self.tr("report.cap.sweep_cost")))
        note = (self.tr("report.note.stringency_price", n=self.number("price"))
                if "price" in self.order else "")
        body.append(self.figure("sweep_price", self.join(self.tr("report.cap.sweep_price"),
                                                         note)))
        if "sweep_heatmap" in self.rep.charts:
            body.append(self.figure("sweep_heatmap", self.tr("report.cap.sweep_heatmap")))
        # the sweep at the scenario's own peak year
        sw = st.sweep
        own = tg.peak_year
        part = sw[sw["peak_year"].isna()] if own is None else sw[sw["peak_year"] == own]
        rows, cls = [], []
        for r in part.itertuples(index=False):
            status = t_or(f"status.{r.status}", self.lang, str(r.status))
            rows.append([mt(r.cap_t), status, yi(r.objective_cny),
                         num(r.carbon_price_cny_per_t), mt(r.peak_emissions_t),
                         yi(r.investment_cny),
                         "" if pd.isna(r.n_projects_used) else str(int(r.n_projects_used))])
            cls.append("hl" if tg.cap_t is not None and abs(r.cap_t - tg.cap_t) < 1 else "")
        body.append(self.table(
            [self.tr("report.h.cap_mt"), self.tr("report.h.status"), self.tr("report.h.npc_yi"),
             self.tr("report.h.price"), self.tr("report.h.peak_mt"),
             self.tr("report.h.investment_yi"), self.tr("report.h.n_projects")],
            rows, ["r", "l", "r", "r", "r", "r", "r"],
            self.tr("report.cap.sweep_table",
                    year=own if own is not None else inp.report_end), cls))
        body.append(self.figure("frontier", self.tr("report.cap.frontier")))
        fr = st.frontier
        shares = [c[5:-4] for c in fr.columns if c.startswith("cost_") and c.endswith("_cny")]
        rows, cls = [], []
        for r in fr.to_dict("records"):
            status = t_or(f"status.{r['status']}", self.lang, str(r["status"]))
            rows.append([str(r["peak_year"]), status, mt(r["min_peak_t"]),
                         mt(r["reduction_from_bau_t"])] + [yi(r[f"cost_{s}_cny"])
                                                           for s in shares])
            cls.append("hl" if r["peak_year"] == own else "")
        body.append(self.table(
            [self.tr("report.h.peak_year"), self.tr("report.h.status"),
             self.tr("report.h.min_peak_mt"), self.tr("report.h.below_bau_mt")]
            + [self.tr("report.h.cost_share_yi", pct=s) for s in shares],
            rows, ["l", "l"] + ["r"] * (2 + len(shares)), self.tr("report.cap.frontier_table"),
            cls))
        self.section("stringency", "\n".join(body))

    def method(self) -> None:
        """The method in the report's own words (a reader has no repository docs)."""
        res, inp = self.res, self.inp
        body = [self.para(self.tr("report.method.plan", solver=res.solver or "HiGHS",
                                  seconds=num(res.solve_seconds, 3))),
                self.para(self.tr("report.method.cost", rate=pct(inp.rate, 0), start=inp.start)),
                self.para(self.tr("report.method.limits")),
                self.para(self.tr("report.method.targets")),
                self.para(self.tr("report.method.headlines")),
                self.para(self.tr("report.method.price")),
                self.para(self.tr("report.method.ranking")),
                self.para(self.tr("report.method.mac_model"))]
        if self.rep.uncertainty is not None:
            body.append(self.para(self.tr("report.method.uncertainty")))
        body.append(self.para(self.tr("report.method.check")))
        if self.rep.charts:
            body.append(self.para(self.tr("report.files_beside")))
        self.section("method", "\n".join(body))

    # ---- the page ------------------------------------------------------------------------

    def render(self) -> str:
        """The whole report page as one HTML string (builds every section in order)."""
        for sid in self.order:
            getattr(self, sid)()
        toc = "".join(f'<li><a href="#{sid}">{esc(self.tr(f"report.sec.{sid}"))}</a></li>'
                      for sid in self.order)
        sc = self.inp.scenario
        date = _dt.date.today().isoformat()
        meta = " · ".join([self.tr("report.a.horizon_value", start=self.inp.start,
                                   end=self.inp.report_end),
                           sc.path.name if sc.path else "",
                           self.tr("report.generated", version=__version__, date=date)])
        warning = ""
        if self.rep.charts and not self.rep.cjk and self.lang == "zh":
            warning = self.note(self.tr("report.no_cjk_font"))
        title = f"{self.tr('report.title')} — {sc.name}"
        return PAGE.substitute(
            html_lang="zh-CN" if self.lang == "zh" else "en", version=esc(__version__),
            title=esc(title), css=Template(CSS).substitute(fonts=FONTS[self.lang]),
            kicker=esc(self.tr("report.title")), name=esc(sc.name), meta=esc(meta),
            warning=warning, contents=esc(self.tr("report.contents")), toc=toc,
            sections="\n".join(self.sections),
            footer=esc(self.tr("report.generated", version=__version__, date=date)))


def render(rep: Report, images: dict[str, bytes]) -> str:
    """The report page as one HTML string; `images` maps chart stems to PNG bytes."""
    page = Page(rep, images).render()
    face = embedded_font_css(page)
    return page.replace("<style>", f"<style>{face}", 1) if face else page


__all__ = ["Page", "Raw", "esc", "render"]
