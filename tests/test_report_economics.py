"""`planner report` catches up with the analyses: the target's economics as the headline, the
vintage ranking beside the model-derived MAC curve, the uncertainty chapter, the agglomeration
report, per-year shortfalls and a bounded co-benefits table — each in English and Chinese,
each number equal to the one computed by the analyses."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from chart_items import bars, data_box, legend_labels, level_lines_y, texts
from PIL import Image

import planner
from planner.analysis.agglomeration import region_summary
from planner.analysis.peak_forms import held_back
from planner.api import solve_regions, uncertainty
from planner.cli import main
from planner.i18n import t
from planner.plot.mac import bars_frame
from planner.plot.registry import draw
from planner.report import html as report_html
from planner.report.content import build
from planner.report.html import render
from planner.scenario import load_scenario
from planner.units import T_PER_MT, mt, num, pct, yi

REPO = Path(__file__).resolve().parents[1]
PEAK = REPO / "scenarios" / "zhuzhou_peak2025.yaml"
UQ = REPO / "scenarios" / "zhuzhou_uq.yaml"
REGION = REPO / "scenarios" / "changzhutan_joint_transfers.yaml"
LANGS = ["en", "zh"]
SAMPLES = 12


def text_of(folder: Path) -> str:
    return html.unescape((folder / "report.html").read_text(encoding="utf-8"))


def section(page: str, sid: str) -> str:
    """The HTML of one section of a page."""
    m = re.search(rf'<section id="{sid}">(.*?)</section>', page, re.S)
    assert m, sid
    return html.unescape(m.group(1))


def span(years: list[int], lang: str) -> str:
    """Consecutive years joined by an en dash (as the report writes them)."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return t("report.list_sep", lang).join(
        str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def not_blank(png: Path) -> None:
    with Image.open(png) as im:
        w, h = im.size
        assert w >= 800 and h >= 300, im.size
        lo, hi = im.convert("L").getextrema()
        assert hi - lo > 100
        # more than a frame: a good share of the pixels is neither white nor near-white
        arr = np.asarray(im.convert("L"))
        assert (arr < 200).mean() > 0.01


@pytest.fixture(scope="module")
def res():
    return planner.solve(load_scenario(PEAK))


@pytest.fixture(scope="module")
def mc():
    """The Monte Carlo run the report must show (same scenario, spec, samples and seed)."""
    return uncertainty(load_scenario(PEAK), UQ, SAMPLES, 1)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """lang -> report folder of the 2025 peak with an uncertainty chapter (built by the CLI)."""
    root = tmp_path_factory.mktemp("econ")
    out = {}
    for lang in LANGS:
        folder = root / lang
        code = main(["report", str(PEAK), "--out", str(folder), "--lang", lang,
                     "--uncertainty", str(UQ), "--samples", str(SAMPLES)])
        assert code == 0
        out[lang] = folder
    return out


# ---------------------------------------------------------------- headlines


@pytest.mark.parametrize("lang", LANGS)
def test_headline_shows_the_target_economics(reports, res, lang):
    page = (reports[lang] / "report.html").read_text(encoding="utf-8")
    head = section(page, "headline")
    h = res.headlines
    mc_ = h["marginal_cost_cny_per_t"]
    assert h["target_cost_cny"] > 0 and mc_["tighten"] > 0  # the bundled target binds
    # the target's own cost in 亿元 and its no-target base, formatted by planner.units
    assert t("report.kpi.target_cost", lang) in head
    assert yi(h["target_cost_cny"]) in head
    assert t("report.kpi.target_cost_note", lang, value=yi(h["no_target_objective_cny"])) in head
    assert t("report.lead.target_cost", lang, value=yi(h["target_cost_cny"]),
             base=yi(h["no_target_objective_cny"])) in head
    # average and marginal cost per discounted tonne, tighten and loosen
    assert t("report.lead.avg_marginal", lang, avg=num(h["average_cost_cny_per_t"]),
             mc=num(mc_["tighten"])) in head
    assert t("report.kpi.mc_loosen", lang, value=num(mc_["loosen"])) in head
    # the uniform carbon price
    assert t("report.lead.uniform", lang, value=num(h["uniform_price_cny_per_t"])) in head
    # the achieved peak (plateau)
    assert t("report.kpi.plateau", lang) in head
    assert re.search(rf">\s*{h['achieved_peak_year']}\s*<", page)
    # the conventions and what changed
    inp = res.inputs
    for line in (t("report.conv.scope_gross", lang), t("report.conv.peak_level", lang),
                 t("report.conv.money", lang, start=inp.start), t("report.conv.time", lang),
                 t("report.conv.tonnes", lang, rate=pct(inp.rate, 0)),
                 t("report.changed", lang)):
        assert line in head, line
    # the target-year carbon price is no longer a headline; it stays in the price chapter
    ty = res.target_year()
    assert t("report.kpi.price", lang, year=ty) not in head
    price = section(page, "price")
    assert f">{num(res.price_in(ty))}<" in price.replace("</td>", "<")


def test_headline_says_why_a_value_is_missing():
    """The BAU scenario has no target: no economics cards; a cap-only target that never binds
    says so in words (en/zh), not as a blank."""
    bau = planner.solve(load_scenario(REPO / "scenarios" / "zhuzhou_bau.yaml"))
    for lang in LANGS:
        page = render(build(bau, lang), {})
        head = section(page, "headline")
        assert f'<div class="k">{t("report.kpi.target_cost", lang)}</div>' not in head
        assert f'<div class="k">{t("report.kpi.status", lang)}</div>' in head
    sc = load_scenario(PEAK)
    loose = sc.model_copy(update={"target": sc.target.model_copy(
        update={"peak_year": None, "cap_t": 9.9e7})})
    res = planner.solve(loose)
    assert res.headlines["uniform_price_cny_per_t"] == 0.0
    mc_ = res.headlines["marginal_cost_cny_per_t"]
    assert mc_["tighten"] is None and mc_["loosen"] is None
    for lang in LANGS:
        head = section(render(build(res, lang), {}), "headline")
        assert t("report.why.not_binding", lang) in head
        assert f'<div class="k">{t("report.kpi.marginal_cost", lang)}</div>' in head


def test_strict_form_premium_and_what_it_holds_back(res, tmp_path):
    sc = load_scenario(PEAK)
    strict_sc = sc.model_copy(update={"target": sc.target.model_copy(
        update={"peak_form": "strict"})})
    strict = planner.solve(strict_sc)
    premium = strict.headlines["ratchet_premium_cny"]
    assert premium is not None and premium >= -1e-3
    # a second computation: the level plan solved on its own (the bundled scenario is level)
    hb = held_back(strict, res)
    assert hb.premium_cny == pytest.approx(premium, abs=1e-3 * max(1.0, abs(premium)))
    # the ratchet: the strict form emits more than the level form up to the peak year
    diff = (strict.emissions["emissions_t"].to_numpy() - res.emissions["emissions_t"].to_numpy())
    tol = 1e-6 * float(res.emissions["emissions_t"].max())
    assert hb.total_t == pytest.approx(diff[diff > tol].sum(), rel=1e-9, abs=1.0)
    assert hb.lower_t == pytest.approx(-diff[diff < -tol].sum(), rel=1e-9, abs=1.0)
    assert hb.years == [int(y) for y, d in zip(res.emissions["year"], diff, strict=True)
                        if d > tol]
    assert hb.years and max(hb.years) <= sc.target.peak_year  # held back up to the peak
    lvl = res.deployment[res.deployment["year"] == res.target_year()].set_index("project")
    st = strict.deployment[strict.deployment["year"] == res.target_year()].set_index("project")
    for r in hb.projects.itertuples(index=False):
        assert r.held_back_units == pytest.approx(lvl.loc[r.project, "stock_units"]
                                                  - st.loc[r.project, "stock_units"])
    for lang in LANGS:
        rep = build(strict, lang)
        assert rep.held_back is not None
        assert rep.held_back.total_t == pytest.approx(hb.total_t)
        head = section(render(rep, {}), "headline")
        assert t("report.kpi.ratchet", lang) in head
        assert yi(premium) in head
        assert t("report.conv.peak_strict", lang) in head
        big = hb.by_year.loc[hb.by_year["held_back_t"].idxmax()]
        assert t("report.strict.held_back", lang, total=mt(hb.total_t),
                 years=span(hb.years, lang),
                 top=mt(big["held_back_t"]), year=int(big["year"])) in head


# ---------------------------------------------------------------- MAC and ranking


@pytest.mark.parametrize("lang", LANGS)
def test_mac_chapter_has_both_curves_and_the_target_point(reports, res, lang):
    folder = reports[lang]
    not_blank(folder / "mac_model.png")
    not_blank(folder / "mac_curve.png")
    page = (folder / "report.html").read_text(encoding="utf-8")
    mac = section(page, "mac")
    assert 'class="pair"' in page and mac.count("data:image/png;base64,") == 2
    rep = build(res, lang)
    rk = rep.rk
    assert rk.curves is not None
    mc_ = res.headlines["marginal_cost_cny_per_t"]["tighten"]
    assert t("report.cap.mac_line", lang, value=num(mc_)) in mac
    assert t("report.cap.mac_model_point", lang, x=mt(rk.target_abatement_t),
             y=num(rk.target_cost_cny_per_t)) in mac
    lo, hi = rk.curves["rate_low"], rk.curves["rate_high"]
    assert t("report.cap.mac_model_band", lang, low=pct(lo.rate, 0), high=pct(hi.rate, 0)) in mac
    # the bar chart: each physical potential once, the line at the target's marginal cost
    fig = draw("mac_curve", rep)
    width = sum(data_box(fig, r)[2] for r in bars(fig).values())
    assert width == pytest.approx(bars_frame(rep.ranking)["potential_t_per_year"].sum()
                                  / T_PER_MT)
    assert width < rep.ranking["potential_t_per_year"].sum() / T_PER_MT  # shared once
    assert any(y == pytest.approx(mc_) for y in level_lines_y(fig))
    assert any(f"{mc_:,.0f}" in x for x in texts(fig))
    # the model-derived curve: its steps, the target's point and the band in the legend
    fig = draw("mac_model", rep)
    steps = bars(fig, "mac-model-step:")
    assert len(steps) == len(rk.curves["central"].steps)
    assert t("mac_model.target", lang) in legend_labels(fig)
    f = fig.frame  # bands and steps stay inside the plot area
    band = bars(fig, "mac-model-band:")
    assert band
    for r in [*steps.values(), *band.values()]:
        assert f.x0 - 1e-9 <= r.x and r.x + r.w <= f.x1 + 1e-9
        assert f.y0 - 1e-9 <= r.y and r.y + r.h <= f.y1 + 1e-9


@pytest.mark.parametrize("lang", LANGS)
def test_ranking_chapter_carries_the_new_columns(reports, res, lang):
    page = (reports[lang] / "report.html").read_text(encoding="utf-8")
    rk_html = section(page, "ranking")
    ty, start = res.target_year(), res.inputs.start
    for h in (t("report.h.lcoa_vintage", lang, year=ty), t("report.h.lcoa_first", lang),
              t("report.h.lcoa_start", lang, year=start),
              t("report.h.potential_mt_year", lang, year=ty),
              t("report.h.deliverable_mt", lang, year=ty),
              t("report.h.entry_price_year", lang, year=ty)):
        assert html.unescape(h) in re.sub(r"<[^>]+>", "", rk_html).replace("\n", ""), h
    rows = re.findall(r'<tr class="main">(.*?)</tr>', rk_html, re.S)
    table = build(res, lang).ranking
    assert len(rows) == len(table)
    for row, r in zip(rows, table.itertuples(index=False), strict=True):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in
                 re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert cells[0] == str(r.rank)
        assert cells[2] == num(r.lcoa_cny_per_t)
        assert cells[3].startswith(num(r.lcoa_first_year_cny_per_t))
        assert cells[4] == num(r.lcoa_start_year_cny_per_t)
        assert cells[5] == mt(r.potential_t_per_year, 3)
        assert cells[6] == mt(r.deliverable_potential_t_per_year, 3)
        assert cells[9] == num(r.entry_price_cny_per_t)
    # every reason, in a full-width row under its project
    for w in table["why"]:
        assert t("report.why_prefix", lang, text=w) in rk_html


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_has_the_headlines_and_the_model_curve(reports, res, lang):
    book = pd.read_excel(reports[lang] / "report.xlsx", sheet_name=None)
    summary = book[t("report.sheet.summary", lang)]
    items = dict(zip(summary.iloc[:, 0], summary.iloc[:, 1], strict=True))
    h = res.headlines
    assert float(items[t("report.item.target_cost", lang)]) == pytest.approx(
        h["target_cost_cny"])
    assert float(items[t("report.item.marginal_tighten", lang)]) == pytest.approx(
        h["marginal_cost_cny_per_t"]["tighten"])
    assert float(items[t("report.item.uniform_price", lang)]) == pytest.approx(
        h["uniform_price_cny_per_t"])
    assert int(items[t("report.item.achieved_peak_year", lang)]) == h["achieved_peak_year"]
    mm = book[t("report.sheet.mac_model", lang)]
    col = t("report.col.marginal_cost_cny_per_t", lang)
    assert pd.api.types.is_numeric_dtype(mm[col]) and (mm[col].dropna() >= -1e-6).all()


# ---------------------------------------------------------------- uncertainty


@pytest.mark.parametrize("lang", LANGS)
def test_uncertainty_chapter_shows_the_robust_list(reports, mc, lang):
    folder = reports[lang]
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert 'href="#uncertainty"' in page
    uq = section(page, "uncertainty")
    samples = mc.samples()
    n_bad = int((samples["status"] == "infeasible").sum())
    assert t("report.uq.intro", lang, n=mc.n, seed=1, ok=mc.n_optimal, bad=n_bad,
             dims=len(mc.dims), year=mc.target_year) in uq
    robust = mc.robust()
    assert set(robust["class"]) >= {"core"}
    for stem in ("uq_npv", "uq_target_cost", "uq_robust"):
        not_blank(folder / f"{stem}.png")
    assert uq.count("data:image/png;base64,") == 3
    # the percentiles equal the samples'
    ok = samples.loc[samples["status"] == "optimal", "npv_cny"].astype(float)
    assert yi(ok.quantile(0.5)) in uq
    book = pd.read_excel(folder / "report.xlsx", sheet_name=None)
    sheet = book[t("report.sheet.robust_projects", lang)]
    assert list(sheet[t("report.col.project", lang)]) == list(robust["project"])
    assert sheet[t("report.col.share_used", lang)].to_numpy() == pytest.approx(
        robust["share_used"].to_numpy(float))


@pytest.mark.parametrize("lang", LANGS)
def test_uncertainty_class_lists_name_each_project(reports, mc, lang):
    page = (reports[lang] / "report.html").read_text(encoding="utf-8")
    uq = section(page, "uncertainty")
    robust = mc.robust()
    names = dict(zip(robust["project"], robust["name"], strict=True))
    colon = re.escape(t("report.colon", lang))
    lists = dict(re.findall(rf"<li><b>([^<]+)</b>{colon}([^<]*)</li>", uq))
    assert len(lists) == 4
    for cls in ("core", "likely", "contested", "rare"):
        shown = lists[t(f"report.uq.class.{cls}", lang)]
        want = robust.loc[robust["class"] == cls, "project"].tolist()
        if not want:
            assert shown == t("report.uq.none", lang)
        parts = shown.split(t("report.list_sep", lang)) if want else []
        assert sorted(parts) == sorted(names[p] for p in want)


# ---------------------------------------------------------------- agglomeration


@pytest.fixture(scope="module")
def ag():
    return solve_regions(REGION)


@pytest.mark.parametrize("lang", LANGS)
def test_region_scenario_report_builds(tmp_path, ag, lang):
    out = tmp_path / lang
    assert main(["report", str(REGION), "--out", str(out), "--lang", lang]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    text = html.unescape(page)
    assert page.startswith("<!DOCTYPE html>")
    assert t("region.title", lang, name=ag.rin.scenario.name) in text
    for sid in ("headline", "cities", "rules", "gains", "method"):
        assert t(f"report.sec.{sid}", lang) in text
    for r in ag.names:
        assert r in text
    assert yi(ag.joint.total_cost_cny) in text
    assert yi(ag.scenario_run.total_cost_cny) in text
    not_blank(out / "agglomeration.png")
    assert page.count("data:image/png;base64,") == 1
    book = pd.read_excel(out / "report.xlsx", sheet_name=None)
    sheet = book[t("region.sheet.region_summary", lang)]
    want = region_summary(ag)
    col = t("report.col.net_cost_cny", lang)
    assert sheet[col].to_numpy(float) == pytest.approx(want["net_cost_cny"].to_numpy(float),
                                                       nan_ok=True)
    for s in book.values():
        assert not any(re.fullmatch(r"[a-z0-9_]+_(t|cny|units|cny_per_t)", str(h))
                       for h in s.columns)


# ---------------------------------------------------------------- shortfall and co-benefits


def test_shortfall_table_is_per_year(tmp_path):
    base = yaml.safe_load((REPO / "scenarios" / "zhuzhou_bau.yaml").read_text(encoding="utf-8"))
    base["data"] = str(REPO / "data" / "zhuzhou")
    (tmp_path / "zhuzhou_bau.yaml").write_text(yaml.safe_dump(base, allow_unicode=True),
                                               encoding="utf-8")
    bad = tmp_path / "impossible.yaml"
    bad.write_text(yaml.safe_dump({"extends": "zhuzhou_bau.yaml", "name": "impossible",
                                   "target": {"peak_year": 2023, "cap_t": 3.9e7}}),
                   encoding="utf-8")
    res = planner.solve(load_scenario(bad))
    d = res.diagnosis
    assert len(d.shortfall) > len(d.by_year)  # several rows share a year's tonnes
    for lang in LANGS:
        diag = section(render(build(res, lang), {}), "diagnosis")
        m = re.search(r"<caption>.*?" + re.escape(t("report.cap.shortfall_table", lang))
                      + r".*?</caption>.*?<tbody>(.*?)</tbody>", diag, re.S)
        assert m
        rows = re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)
        horizon = d.shortfall[d.shortfall["year"].isna()]
        assert len(rows) == len(d.by_year) + len(horizon)
        years = [re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", r)[0]) for r in rows]
        dated = years[:len(d.by_year)]
        assert dated == [str(y) for y in d.by_year["year"]]  # each year once, in order
        for r, v in zip(rows, d.by_year["shortfall_t"], strict=False):
            assert f">{mt(v, 3)}<" in r


def test_cobenefit_table_groups_the_smallest_projects(res, monkeypatch):
    monkeypatch.setattr(report_html, "TOP_COBENEFITS", 3)
    rep = build(res, "zh")
    per = rep.co_benefits.groupby("project")[["so2_t", "nox_t", "pm25_t"]].sum()
    per = per[per.abs().sum(axis=1) > 0]
    assert len(per) > 4
    cob = section(render(rep, {}), "cobenefits")
    n_rest = len(per) - 3
    label = t("legend.other_projects", "zh", n=n_rest)
    m = re.search(rf'<tr class="other"><td>{re.escape(label)}</td>(.*?)</tr>', cob, re.S)
    assert m
    rest = per.loc[per.abs().sum(axis=1).sort_values(ascending=False).index[3:]]
    for c in ("so2_t", "nox_t", "pm25_t"):
        assert f">{num(rest[c].sum(), 1)}<" in m.group(1)
    assert len(re.findall(r'<span class="id">', cob)) == 3  # three projects by name
