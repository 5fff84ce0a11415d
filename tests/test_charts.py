"""Charts (planner.plot) and translations (planner.i18n) on small synthetic frames."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from chart_items import bars, boxes, data_box, legend_labels, level_lines_y, texts
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from PIL import Image

from planner import i18n
from planner.plot import fonts
from planner.plot.compare import compare_chart
from planner.plot.context import ChartText
from planner.plot.deployment import deployment_timeline
from planner.plot.fonts import CJKFontWarning
from planner.plot.frame import Chart
from planner.plot.mac import mac_curve
from planner.plot.pathway import emissions_pathway
from planner.plot.price import carbon_price_chart
from planner.plot.save import save_figure
from planner.plot.sectors import sector_emissions
from planner.plot.style import measure_colours
from planner.plot.sweep import frontier_chart, sweep_cost, sweep_heatmap, sweep_price

YEARS = list(range(2020, 2036))

PROJECTS = [
    # project, name, measure, sector, max_units, lcoa, potential (t/yr), used, start year
    ("P01", "冶炼余热回收", "efficiency", "industry", 10, -120.0, 1.8e6, True, 2021),
    ("P02", "电机系统节能改造", "efficiency", "industry", 50, -40.0, 0.35e6, True, 2022),
    ("P03", "建筑节能改造", "efficiency", "buildings", 200, 60.0, 0.6e6, True, 2024),
    ("P04", "屋顶光伏", "renewables", "power", 300, 15.0, 2.4e6, True, 2021),
    ("P05", "分散式风电", "renewables", "power", 40, 85.0, 0.25e6, True, 2026),
    ("P06", "公交电动化", "fuel_switch", "transport", 1500, 180.0, 0.3e6, True, 2025),
    ("P07", "燃煤锅炉煤改气", "fuel_switch", "industry", 30, 420.0, 1.1e6, False, 9999),
    ("P08", "植树造林", "sinks", "forestry", 5000, 95.0, 0.15e6, True, 2022),
]
MEASURES = ["efficiency", "fuel_switch", "renewables", "sinks"]


def make_frames() -> dict[str, pd.DataFrame]:
    """Synthetic inputs for every chart (8 projects, 4 measures, 2020–2035)."""
    projects = pd.DataFrame(
        [(p, n, m, s, "unit", mu) for p, n, m, s, mu, *_ in PROJECTS],
        columns=["project", "name", "measure", "sector", "unit", "max_units"],
    )
    ranking = pd.DataFrame(
        [(p, n, m, c, pot, u) for p, n, m, _s, _mu, c, pot, u, _y in PROJECTS],
        columns=["project", "name", "measure", "lcoa_cny_per_t", "potential_t_per_year", "used"],
    )
    dep_rows = []
    for p, _n, _m, _s, mu, _c, pot, _u, start in PROJECTS:
        stock = 0.0
        for y in YEARS:
            build = mu / 6 if start <= y < start + 6 else 0.0
            stock = min(mu, stock + build)
            dep_rows.append((p, y, build, stock, pot * stock / mu, build * 1e7, stock * 2e5))
    deployment = pd.DataFrame(
        dep_rows,
        columns=["project", "year", "build_units", "stock_units", "abatement_t",
                 "investment_cny", "annual_cost_cny"],
    )
    bau = np.array([60e6 * 1.025 ** min(i, 12) for i in range(len(YEARS))])
    abate = deployment.groupby("year")["abatement_t"].sum().reindex(YEARS).to_numpy()
    cap = np.where(np.array(YEARS) >= 2030, 75.5e6, np.nan)
    emissions = pd.DataFrame({"year": YEARS, "bau_t": bau, "abatement_t": abate,
                              "emissions_t": bau - abate, "cap_t": cap})
    shares = {"industry": 0.5, "power": 0.3, "buildings": 0.12, "transport": 0.08}
    by_sector = []
    for y, b, e in zip(YEARS, bau, bau - abate, strict=True):
        for s, f in shares.items():
            by_sector.append((s, y, b * f, (b - e) * f, e * f))
        sink = -0.4e6 - 0.05e6 * (y - 2020)
        by_sector.append(("forestry", y, -0.4e6, sink + 0.4e6, sink))
    emissions_by_sector = pd.DataFrame(
        by_sector, columns=["sector", "year", "bau_t", "abatement_t", "emissions_t"])
    price = np.where(np.array(YEARS) >= 2030, np.linspace(80, 160, len(YEARS)), np.nan)
    carbon_price = pd.DataFrame({"year": YEARS, "price_cny_per_t": price,
                                 "price_low_cny_per_t": price * 0.7,
                                 "price_high_cny_per_t": price * 1.4})
    sweep_rows = []
    for py in (2028, 2030, 2032):
        for cap_mt in (56, 58, 60, 62, 64, 66):
            slack = cap_mt - 56 - (2032 - py)
            if slack < 0:
                sweep_rows.append((cap_mt * 1e6, py, "infeasible", np.nan, np.nan))
            elif py == 2032 and cap_mt == 66:
                sweep_rows.append((cap_mt * 1e6, py, "error", np.nan, np.nan))
            else:
                sweep_rows.append((cap_mt * 1e6, py, "optimal", (30 - 2.5 * slack) * 1e9,
                                   400 - 45 * slack))
    sweep = pd.DataFrame(sweep_rows, columns=["cap_t", "peak_year", "status", "objective_cny",
                                              "carbon_price_cny_per_t"])
    frontier = pd.DataFrame({"peak_year": [2026, 2028, 2030, 2032, 2035],
                             "min_peak_t": [np.nan, 61e6, 58.5e6, 56e6, 55e6],
                             "bau_peak_t": [67e6, 70e6, 74e6, 77e6, 80e6]})
    compare = pd.DataFrame({
        "scenario": ["BAU", "基准达峰2030", "Early peak 2028", "Deep cut"],
        "status": ["optimal", "optimal", "optimal", "infeasible"],
        "peak_year": [2035, 2030, 2028, np.nan],
        "peak_emissions_t": [bau.max(), (bau - abate).max(), (bau - abate).max() * 0.97, np.nan],
        "objective_cny": [0.0, 12e9, 19e9, np.nan],
        "carbon_price_cny_per_t": [np.nan, 120.0, 210.0, np.nan],
        "total_investment_cny": [0.0, 40e9, 55e9, np.nan],
    })
    paths = pd.concat([
        pd.DataFrame({"scenario": "BAU", "year": YEARS, "emissions_t": bau}),
        pd.DataFrame({"scenario": "基准达峰2030", "year": YEARS, "emissions_t": bau - abate}),
        pd.DataFrame({"scenario": "Early peak 2028", "year": YEARS,
                      "emissions_t": bau - abate * 1.1}),
    ], ignore_index=True)
    return dict(projects=projects, ranking=ranking, deployment=deployment, emissions=emissions,
                emissions_by_sector=emissions_by_sector, carbon_price=carbon_price, sweep=sweep,
                frontier=frontier, compare=compare, paths=paths)


FRAMES = make_frames()

BUILDERS = {
    "mac": lambda f, lang: mac_curve(f["ranking"], 100.0, lang=lang),
    "pathway": lambda f, lang: emissions_pathway(
        f["emissions"], f["deployment"], f["projects"], peak_year=None, lang=lang),
    "sectors": lambda f, lang: sector_emissions(f["emissions_by_sector"], lang=lang),
    "deployment": lambda f, lang: deployment_timeline(
        f["deployment"], f["projects"], lang=lang),
    "price": lambda f, lang: carbon_price_chart(f["carbon_price"], lang=lang),
    "sweep_cost": lambda f, lang: sweep_cost(f["sweep"], lang=lang),
    "sweep_price": lambda f, lang: sweep_price(f["sweep"], lang=lang),
    "sweep_heatmap": lambda f, lang: sweep_heatmap(f["sweep"], lang=lang),
    "frontier": lambda f, lang: frontier_chart(f["frontier"], lang=lang),
    "compare": lambda f, lang: compare_chart(f["compare"], f["paths"], lang=lang),
}

GLYPH = re.compile(r"Glyph .* missing", re.S)


def _glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if GLYPH.search(str(w.message))]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("chart", sorted(BUILDERS))
def test_chart_builds_and_saves(chart, lang, tmp_path):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        fig = BUILDERS[chart](FRAMES, lang)
        assert isinstance(fig, Chart if chart == "mac" else Figure)
        paths = save_figure(fig, tmp_path / "out", f"{chart}_{lang}")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    for p in paths:
        assert p.is_file() and p.stat().st_size > 1000
    with Image.open(paths[0]) as im:
        w, h = im.size
    assert 1000 <= w <= 2200 and 400 <= h <= 2200, (w, h)
    svg = paths[1].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    if fonts.cjk_font_available():
        assert _glyph_warnings(rec) == []
        assert not [w for w in rec if issubclass(w.category, CJKFontWarning)]


def test_svg_is_deterministic(tmp_path):
    a = save_figure(BUILDERS["mac"](FRAMES, "zh"), tmp_path / "a", "mac")
    b = save_figure(BUILDERS["mac"](FRAMES, "zh"), tmp_path / "b", "mac")
    assert a[1].read_bytes() == b[1].read_bytes()
    assert a[0].read_bytes() == b[0].read_bytes()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mac_bars_match_potentials(lang):
    r = FRAMES["ranking"]
    ch = mac_curve(r, 100.0, lang=lang)
    bar = bars(ch)
    assert set(bar) == set(r["project"])
    exp = r.set_index("project")
    box = {p: data_box(ch, rect) for p, rect in bar.items()}
    for p, (_x, y, w, h) in box.items():
        assert w == pytest.approx(exp.loc[p, "potential_t_per_year"] / 1e6)
        assert h == pytest.approx(abs(exp.loc[p, "lcoa_cny_per_t"]))
        # negative costs hang below zero
        assert (y < -1e-9) == (exp.loc[p, "lcoa_cny_per_t"] < 0)
    # bars are contiguous and sorted by cost
    order = r.sort_values("lcoa_cny_per_t")["project"].tolist()
    xs = [box[p][0] for p in order]
    assert xs == sorted(xs) and xs[0] == pytest.approx(0.0, abs=1e-12)
    for a, b in zip(order, order[1:], strict=False):
        assert box[a][0] + box[a][2] == pytest.approx(box[b][0])
    # unused projects are hatched, used ones are not
    for p, rect in bar.items():
        assert bool(rect.hatch) == (not exp.loc[p, "used"])
    # the legend explains the hatching
    assert i18n.t("legend.unused", lang) in legend_labels(ch)
    # the carbon price line is drawn and labelled
    assert any(y == pytest.approx(100.0) for y in level_lines_y(ch))
    assert any("100" in tx for tx in texts(ch))


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("n", [8, 13, 40])
def test_mac_labels_do_not_overlap(n):
    """Names never overlap each other and stay inside the plot area, from a few wide bars
    to many narrow ones (names shrunk, spread and led)."""
    rng = np.random.default_rng(n)
    r = FRAMES["ranking"]
    if n != len(r):
        r = pd.DataFrame({"project": [f"P{i:02d}" for i in range(n)],
                          "name": [f"项目名称{i:02d}号改造" for i in range(n)],
                          "measure": rng.choice(MEASURES, n),
                          "lcoa_cny_per_t": rng.normal(80, 150, n).round(1),
                          "potential_t_per_year": rng.lognormal(12, 1.0, n),
                          "used": rng.random(n) < 0.7})
    ch = mac_curve(r, 100.0, lang="zh")
    f = ch.frame
    shown = set(texts(ch)) & set(r["name"])
    found = boxes(ch, shown)
    assert len(found) == (n if n <= 13 else 12)  # TOP_N names; 13 are all named
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            assert not _overlap(a, b), (a, b)
        assert f.x0 - 1e-6 <= a[0] and a[2] <= f.x1 + 1e-6, a
        assert f.y0 - 1e-6 <= a[1] and a[3] <= f.y1 + 1e-6, a


def test_measure_colours_deterministic_and_consistent():
    c1 = measure_colours(["b", "a", "c", "a"])
    c2 = measure_colours(["c", "a", "b"])
    assert c1 == c2 and len(set(c1.values())) == 3
    many = measure_colours([f"m{i:02d}" for i in range(30)])
    assert len(set(many.values())) == 30

    cols = measure_colours(FRAMES["projects"]["measure"])
    mac = mac_curve(FRAMES["ranking"], None, lang="en")
    ranking = FRAMES["ranking"].set_index("project")
    mac_cols = {ranking.loc[p, "measure"]: rect.fill
                for p, rect in bars(mac).items() if ranking.loc[p, "used"]}
    # deployment strip and the MAC legend show the same colour per measure
    dep = deployment_timeline(FRAMES["deployment"], FRAMES["projects"], lang="en")
    label_of = {ChartText("en").measure_label(m): m for m in MEASURES}
    legend_cols: dict[str, set] = {}
    for e in mac.legend:
        if e.label in label_of:
            legend_cols.setdefault(label_of[e.label], set()).add(
                tuple(np.round(to_rgba(e.fill), 4)))
    for leg in dep.legends:
        for h, txt in zip(leg.legend_handles, leg.get_texts(), strict=True):
            if txt.get_text() in label_of:
                legend_cols.setdefault(label_of[txt.get_text()], set()).add(
                    tuple(np.round(h.get_facecolor(), 4)))
    assert set(legend_cols) == set(MEASURES)
    for m in MEASURES:
        assert legend_cols[m] == {tuple(np.round(to_rgba(cols[m]), 4))}
        if m in mac_cols:
            assert np.allclose(to_rgba(mac_cols[m]), to_rgba(cols[m]))
    # a chart given a subset of measures keeps the caller's colours
    sub = FRAMES["ranking"][FRAMES["ranking"]["measure"] == "sinks"]
    fig = mac_curve(sub, None, lang="en", colours=cols)
    (rect,) = bars(fig).values()
    assert np.allclose(to_rgba(rect.fill), to_rgba(cols["sinks"]))


def test_wedges_between_bau_and_optimal():
    f = FRAMES
    fig = emissions_pathway(f["emissions"], f["deployment"], f["projects"], 2030, "en")
    ax = fig.axes[0]
    wedges = [c for c in ax.collections if (c.get_gid() or "").startswith("wedge:")]
    active = f["deployment"].groupby("project")["abatement_t"].sum()
    # one wedge per project that abates (the sink project P08 too; unused P07 has none)
    assert {w.get_gid().split(":")[1] for w in wedges} == set(active[active > 0].index)
    assert "wedge:P08" in {w.get_gid() for w in wedges}
    tops = np.max([np.max(w.get_paths()[0].vertices[:, 1]) for w in wedges])
    assert tops == pytest.approx(f["emissions"]["bau_t"].max() / 1e6, rel=1e-6)
    assert any("2030" in tx.get_text() for tx in ax.texts)


def test_compare_notes_failed_and_reference():
    f = FRAMES
    fig = compare_chart(f["compare"], f["paths"], "en", reference="BAU")
    assert "Deep cut" in fig.get_supxlabel() and "infeasible" in fig.get_supxlabel()
    ax = fig.axes[0]
    ref = [line for line in ax.lines if "BAU" in line.get_label()]
    assert ref and ref[0].get_linestyle() == "--"
    # auto-detected reference gives the same chart
    fig2 = compare_chart(f["compare"], f["paths"], "en")
    assert [ln.get_label() for ln in fig2.axes[0].lines] == [ln.get_label() for ln in ax.lines]


def test_i18n_complete_and_strict():
    for key, entry in i18n.STRINGS.items():
        assert set(entry) == {"en", "zh"}, key
        assert all(entry.values()), key
    assert i18n.t("axis.year", "zh") == "年份"
    assert "120" in i18n.t("mac.price_label", "en", value=120)
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "en")
    with pytest.raises(ValueError):
        i18n.t("axis.year", "fr")
    with pytest.raises(ValueError):
        i18n.add_strings({"x.only_en": {"en": "x"}})


@pytest.mark.skipif(not fonts.cjk_font_available(), reason="no CJK font")
def test_bundled_font_covers_labels():
    ctx = ChartText("zh")
    for key, entry in i18n.STRINGS.items():
        assert ctx.renderable(entry["zh"]), key
    for name in FRAMES["projects"]["name"]:
        assert ctx.renderable(name)


def test_no_cjk_font_falls_back(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "find_cjk_fonts", lambda: ())  # matplotlib charts
    monkeypatch.setattr(fonts, "BUNDLED_FONT", tmp_path / "no-such-font.otf")  # canvas charts
    monkeypatch.setattr(fonts, "_no_cjk_warned", False)
    assert not fonts.cjk_font_available()
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        fig = mac_curve(FRAMES["ranking"], 100.0, lang="zh")
        paths = save_figure(fig, tmp_path, "mac_fallback")
        fig2 = deployment_timeline(FRAMES["deployment"], FRAMES["projects"], lang="zh")
        save_figure(fig2, tmp_path, "dep_fallback")
    cjk = [w for w in rec if issubclass(w.category, CJKFontWarning)]
    assert len(cjk) == 1 and "CJK font" in str(cjk[0].message)
    assert _glyph_warnings(rec) == []
    assert paths[0].stat().st_size > 1000
    drawn = texts(fig)
    assert "P01" in drawn and not any("冶炼" in s for s in drawn)
    assert i18n.t("mac.xlabel", "en") in drawn


def test_uncovered_character_falls_back_to_id(monkeypatch):
    if not fonts.cjk_font_available():
        pytest.skip("no CJK font")
    r = FRAMES["ranking"].copy()
    r.loc[0, "name"] = "\U0002a6a5项目"  # a CJK Extension B ideograph no bundled font has
    with pytest.warns(CJKFontWarning):  # planner's own fonts only: no installed font helps
        fig = mac_curve(r, None, lang="zh")
    assert r.loc[0, "project"] in texts(fig)


def test_bad_lang_rejected():
    with pytest.raises(ValueError):
        carbon_price_chart(FRAMES["carbon_price"], lang="fr")


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 60), st.integers(0, 10_000), st.sampled_from([None, 0.0, 150.0, -80.0]),
       st.sampled_from(["en", "zh"]))
def test_mac_curve_on_random_rankings(n, seed, price, lang):
    """Any ranking: bars side by side covering the whole potential, every name inside the
    plot area and apart from the others, the price line at the price."""
    rng = np.random.default_rng(seed)
    r = pd.DataFrame({"project": [f"P{i:02d}" for i in range(n)],
                      "name": [("节能改造" * int(rng.integers(1, 4)))[:int(rng.integers(2, 12))]
                               + f"{i}" for i in range(n)],
                      "measure": rng.choice(MEASURES, n),
                      "lcoa_cny_per_t": rng.normal(0, 10 ** rng.uniform(0, 4), n),
                      "potential_t_per_year": rng.lognormal(12, 2.0, n),
                      "used": rng.random(n) < 0.6})
    ch = mac_curve(r, price, lang=lang)
    f = ch.frame
    width = sum(data_box(ch, b)[2] for b in bars(ch).values())
    assert width == pytest.approx(r["potential_t_per_year"].sum() / 1e6, rel=1e-9)
    found = boxes(ch, set(r["name"]))
    assert len(found) == (n if n <= 13 else 12)
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            assert not _overlap(a, b), (a, b)
        assert f.x0 - 1e-6 <= a[0] and a[2] <= f.x1 + 1e-6, a
        assert f.y0 - 1e-6 <= a[1] and a[3] <= f.y1 + 1e-6, a
    if price is not None:
        assert any(y == pytest.approx(price, abs=1e-9 * (1 + abs(price)))
                   for y in level_lines_y(ch))
