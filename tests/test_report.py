"""`planner report`: one-file HTML report, Excel workbook and charts, in English and
Chinese."""

from __future__ import annotations

import html
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from PIL import Image

import planner
from planner.cli import main
from planner.i18n import STRINGS, t
from planner.report.content import build, project_names
from planner.scenario import load_scenario
from planner.text import diagnosis_text
from planner.units import mt, num, yi

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = ["zhuzhou_bau", "zhuzhou_peak2030", "zhuzhou_peak2025"]
LANGS = ["en", "zh"]
BASE_CHARTS = ["emissions_pathway", "sector_emissions", "deployment_timeline", "mac_curve",
               "mac_model", "carbon_price"]
SWEEP_CHARTS = ["sweep_cost", "sweep_price", "sweep_heatmap", "frontier"]
OPTIMAL_SHEETS = ["summary", "inputs", "emissions", "emissions_by_sector", "deployment",
                  "carbon_price", "ranking", "mac_model", "indicators", "co_benefits",
                  "decomposition"]
OPTIMAL_SECTIONS = ["headline", "assumptions", "pathway", "sectors", "deployment", "mac",
                    "ranking", "price", "indicators", "cobenefits", "decomposition",
                    "recommendations", "method"]
PNG_TAG = "data:image/png;base64,"


def scenario_path(stem: str) -> Path:
    return REPO / "scenarios" / f"{stem}.yaml"


@pytest.fixture(scope="module")
def results():
    """One solve per bundled scenario (the expected values of the reports)."""
    return {s: planner.solve(load_scenario(scenario_path(s))) for s in SCENARIOS}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """(scenario, lang) -> (exit code, report folder), each built once by the CLI."""
    root = tmp_path_factory.mktemp("reports")
    out = {}
    for s in SCENARIOS:
        for lang in LANGS:
            folder = root / f"{s}-{lang}"
            code = main(["report", str(scenario_path(s)), "--out", str(folder), "--lang", lang])
            out[s, lang] = (code, folder)
    return out


CASES = [(s, lang) for s in SCENARIOS for lang in LANGS]


def links(text: str) -> list[str]:
    """Every src/href value of an HTML page."""
    return re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)""", text)


@pytest.mark.parametrize(("scenario", "lang"), CASES)
def test_report_builds_with_every_file(reports, scenario, lang):
    code, folder = reports[scenario, lang]
    assert code == 0
    names = {p.name for p in folder.iterdir()}
    assert {"report.html", "report.xlsx"} <= names
    for stem in BASE_CHARTS:
        assert {f"{stem}.png", f"{stem}.svg"} <= names
    assert not any(n.startswith("sweep") or n.startswith("frontier") for n in names)


@pytest.mark.parametrize(("scenario", "lang"), CASES)
def test_html_is_self_contained_and_holds_the_key_tables(reports, results, scenario, lang):
    _, folder = reports[scenario, lang]
    res = results[scenario]
    page = (folder / "report.html").read_text(encoding="utf-8")
    text = html.unescape(page)
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    # self-contained: charts embedded, no external references at all
    assert page.count(PNG_TAG) == len(BASE_CHARTS)
    assert "http://" not in page and "https://" not in page
    for link in links(page):
        assert link.startswith(("data:image/png;base64,", "#")), link
    assert "<style>" in page and "<link" not in page and "<script" not in page
    # every section, in the report's language
    for sid in OPTIMAL_SECTIONS:
        assert t(f"report.sec.{sid}", lang) in text
        assert f'href="#{sid}"' in page
    # the headline numbers
    ty = res.target_year()
    for value in (str(res.peak_year), mt(res.peak_emissions_t), yi(res.objective_cny),
                  yi(res.total_investment_cny), num(res.price_in(ty))):
        assert value in text
    assert res.scenario.name in text
    # the assumptions with the input checksums
    for file, sha in res.summary["input_sha256"].items():
        assert file in text and sha in text
    # the ranked list: every project, by id and by name
    for p, name in project_names(res).items():
        assert p in text and name in text
    # the emissions table: every year's net emissions in Mt
    for v in res.emissions["emissions_t"]:
        assert mt(v) in text


@pytest.mark.parametrize(("scenario", "lang"), CASES)
def test_workbook_reads_back_with_numbers_as_numbers(reports, results, scenario, lang):
    _, folder = reports[scenario, lang]
    res = results[scenario]
    book = pd.read_excel(folder / "report.xlsx", sheet_name=None)
    assert list(book) == [t(f"report.sheet.{k}", lang) for k in OPTIMAL_SHEETS]
    sources = {"emissions": res.emissions, "emissions_by_sector": res.emissions_by_sector,
               "deployment": res.deployment, "carbon_price": res.carbon_price}
    for key, src in sources.items():
        sheet = book[t(f"report.sheet.{key}", lang)]
        assert sheet.shape == src.shape
        for j, col in enumerate(src.columns):
            if pd.api.types.is_numeric_dtype(src[col]) and src[col].notna().any():
                assert pd.api.types.is_numeric_dtype(sheet.iloc[:, j]), (key, col)
                assert sheet.iloc[:, j].to_numpy() == pytest.approx(
                    src[col].to_numpy(float), rel=1e-12, nan_ok=True)
    # units in the headers, in the report's language
    em = book[t("report.sheet.emissions", lang)]
    unit = "吨CO₂" if lang == "zh" else "t CO₂"
    assert all(unit in h for h in em.columns[1:])
    price = book[t("report.sheet.carbon_price", lang)]
    priced = [h for h, c in zip(price.columns, res.carbon_price.columns, strict=True)
              if c.endswith("_cny_per_t")]  # every price column (not the dual_unique flag)
    assert len(priced) == 3
    assert all(("元/吨CO₂" if lang == "zh" else "CNY/t CO₂") in h for h in priced)
    # the ranking: numeric columns stay numeric, one row per project
    rk = book[t("report.sheet.ranking", lang)]
    assert len(rk) == len(res.inputs.projects)
    assert pd.api.types.is_numeric_dtype(rk[t("report.col.lcoa_cny_per_t", lang)])
    assert pd.api.types.is_numeric_dtype(rk[t("report.col.potential_t_per_year", lang)])
    assert set(rk[t("report.col.project", lang)]) == set(res.inputs.projects.index)
    ind = book[t("report.sheet.indicators", lang)]
    assert pd.api.types.is_numeric_dtype(ind[t("report.col.co2_per_10k_cny_gdp", lang)])
    # no header left as a raw column id
    for sheet in book.values():
        assert not any(re.fullmatch(r"[a-z0-9_]+_(t|cny|units|cny_per_t)", str(h))
                       for h in sheet.columns)
    # header rows frozen, number formats with thousands separators
    wb = openpyxl.load_workbook(folder / "report.xlsx", read_only=False)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
    ws = wb[t("report.sheet.emissions", lang)]
    assert ws.cell(row=2, column=2).number_format == "#,##0"
    assert isinstance(ws.cell(row=2, column=2).value, int | float)


@pytest.mark.parametrize(("scenario", "lang"), CASES)
def test_chart_images_are_sensible(reports, scenario, lang):
    _, folder = reports[scenario, lang]
    for stem in BASE_CHARTS:
        png = folder / f"{stem}.png"
        with Image.open(png) as im:
            w, h = im.size
            assert w >= 1000 and 300 <= h <= 2500, (stem, im.size)
            lo, hi = im.convert("L").getextrema()
            assert hi - lo > 100, stem  # not blank
        svg = (folder / f"{stem}.svg").read_text(encoding="utf-8")
        assert "<svg" in svg and len(svg) > 10_000


def test_negative_carbon_price_is_explained(reports, tmp_path):
    # the default level peak form gives no negative price; the opt-in strict form with the net
    # scope reproduces the old rule's ratchet, whose peak-year price is negative
    strict = tmp_path / "strict.yaml"
    strict.write_text(f"extends: {scenario_path('zhuzhou_peak2025')}\nname: strict\n"
                      "target: {scope: net, peak_form: strict, cap_t: 41600000}\n",
                      encoding="utf-8")
    for lang in LANGS:
        folder = tmp_path / f"strict-{lang}"
        assert main(["report", str(strict), "--out", str(folder), "--lang", lang]) == 0
        page = html.unescape((folder / "report.html").read_text(encoding="utf-8"))
        note = t("report.note.negative_price", lang, years="2025")
        assert note in page
        bau = html.unescape((reports["zhuzhou_bau", lang][1] / "report.html")
                            .read_text(encoding="utf-8"))
        tail = STRINGS["report.note.negative_price"][lang].split("{years}")[1][:30]
        assert tail in page and tail not in bau


def test_bau_report_says_emissions_do_not_peak(reports, results):
    res = results["zhuzhou_bau"]
    page = html.unescape((reports["zhuzhou_bau", "en"][1] / "report.html")
                         .read_text(encoding="utf-8"))
    assert t("report.lead.no_peak", "en", end=2035,
             value=mt(res.emissions["emissions_t"].iloc[-1])) in page


def test_why_column_is_written_in_the_report_language(results):
    """The reasons are rendered from the same structured clauses in both languages."""
    for res in results.values():
        en = build(res, "en").ranking.set_index("project")["why"]
        zh = build(res, "zh").ranking.set_index("project")["why"]
        assert list(en.index) == list(zh.index)
        for p in en.index:
            assert re.search(r"[\u4e00-\u9fff]", zh[p]), zh[p]
            for word in ("without a target", "cheaper", "not used", "roll-out", "enters at"):
                assert word not in zh[p]
            assert en[p].count("; ") == zh[p].count("；")  # clause for clause


def test_every_report_string_has_both_languages():
    keys = [k for k in STRINGS if k.startswith("report.")]
    assert len(keys) > 150
    for k in keys:
        assert STRINGS[k]["en"].strip() and STRINGS[k]["zh"].strip(), k


def test_missing_cjk_font_is_said_in_the_report(results):
    from planner.report.html import render

    rep = build(results["zhuzhou_peak2030"], "zh")
    rep.cjk = False
    page = render(rep, {})
    assert t("report.no_cjk_font", "zh") in html.unescape(page)


def test_sweep_report(tmp_path, results):
    out = tmp_path / "sweep"
    code = main(["report", str(scenario_path("zhuzhou_peak2025")), "--out", str(out),
                 "--sweep"])
    assert code == 0
    for stem in BASE_CHARTS + SWEEP_CHARTS:
        assert (out / f"{stem}.png").stat().st_size > 10_000
        assert (out / f"{stem}.svg").exists()
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count(PNG_TAG) == len(BASE_CHARTS) + len(SWEEP_CHARTS)
    assert t("report.sec.stringency", "en") in page
    book = pd.read_excel(out / "report.xlsx", sheet_name=None)
    assert list(book) == OPTIMAL_SHEETS + ["sweep", "project_entry", "frontier"]
    sweep = book["sweep"]
    caps = sweep[t("report.col.cap_t", "en")]
    years = sweep[t("report.col.peak_year", "en")]
    assert set(years) == {2024, 2025, 2026, 2027}
    assert pd.api.types.is_numeric_dtype(caps)
    res = results["zhuzhou_peak2025"]
    cap = res.scenario.target.cap_t
    assert cap in set(caps)  # the scenario's own cap is a point of the sweep
    own = sweep[(years == 2025) & (caps == cap)].iloc[0]
    assert own[t("report.col.objective_cny", "en")] == pytest.approx(res.objective_cny,
                                                                      rel=1e-6)
    assert caps.max() <= float(res.inputs.bau_scope.max())  # the BAU of the target scope
    frontier = book["frontier"]
    assert len(frontier) == len(res.inputs.years)
    low = frontier.set_index(t("report.col.peak_year", "en")).loc[
        2025, t("report.col.min_peak_t", "en")]
    assert caps.min() == pytest.approx(low, abs=1e4)  # down to the lowest achievable peak
    statuses = set(sweep[t("report.col.status", "en")])
    # the grid goes down to the lowest achievable peak (asserted above); under the level peak
    # form every peak year 2024–2027 reaches it, so no point need be infeasible
    assert t("status.optimal", "en") in statuses
    assert statuses <= {t("status.optimal", "en"), t("status.infeasible", "en")}


def test_infeasible_scenario_still_gets_a_report(tmp_path):
    base = yaml.safe_load(scenario_path("zhuzhou_bau").read_text(encoding="utf-8"))
    base["data"] = str(REPO / "data" / "zhuzhou")
    (tmp_path / "zhuzhou_bau.yaml").write_text(yaml.safe_dump(base, allow_unicode=True),
                                               encoding="utf-8")
    bad = tmp_path / "impossible.yaml"
    bad.write_text(yaml.safe_dump({"extends": "zhuzhou_bau.yaml", "name": "impossible",
                                   "target": {"peak_year": 2023, "cap_t": 3.9e7}}),
                   encoding="utf-8")
    res = planner.solve(load_scenario(bad))
    assert res.status == "infeasible"
    for lang in LANGS:
        out = tmp_path / f"report-{lang}"
        assert main(["report", str(bad), "--out", str(out), "--lang", lang]) == 3
        page = (out / "report.html").read_text(encoding="utf-8")
        text = html.unescape(page)
        assert diagnosis_text(res, lang) in text
        assert res.diagnosis.message in text  # the solver's own words, in both languages
        assert t("report.sec.diagnosis", lang) in text
        assert t("report.sec.assumptions", lang) in text
        assert t("report.cap.shortfall_table", lang) in text
        for y in res.diagnosis.shortfall["year"].dropna().astype(int):
            assert f"<td class=\"r\">{y}</td>" in page
        assert PNG_TAG not in page
        for link in links(page):
            assert link.startswith("#")
        book = pd.read_excel(out / "report.xlsx", sheet_name=None)
        assert list(book) == [t(f"report.sheet.{k}", lang)
                              for k in ("summary", "inputs", "shortfall", "limits")]
        short = book[t("report.sheet.shortfall", lang)]
        assert pd.api.types.is_numeric_dtype(short[t("report.col.shortfall_t", lang)])
        assert short[t("report.col.shortfall_t", lang)].sum() == pytest.approx(
            res.diagnosis.total_shortfall_t)


def test_chinese_text_renders_without_a_system_font(tmp_path):
    """The page embeds the bundled CJK font, cut down to the characters it uses."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    from planner.plot.fonts import BUNDLED_FONT

    out = tmp_path / "zh"
    assert main(["report", "scenarios/zhuzhou_peak2025.yaml", "--lang", "zh",
                 "--out", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    m = re.search(r"data:font/otf;base64,([A-Za-z0-9+/=]+)", page)
    assert m, "no embedded font"
    font = TTFont(io.BytesIO(base64.b64decode(m.group(1))))
    cmap = font.getBestCmap()
    full = TTFont(str(BUNDLED_FONT)).getBestCmap()
    body = page.split("</style>", 1)[1]
    wanted = {c for c in body if ord(c) > 0x2E7F and ord(c) in full}
    assert len(wanted) > 100 and all(ord(c) in cmap for c in wanted)
    assert len(m.group(1)) < 400_000  # a subset, not the whole 1.6 MB font
