"""Policy recommendations: one hand case per class, the stated numbers checked by hand or by
independent solves, and every bundled scenario recommended in both languages."""

import re
from pathlib import Path

import numpy as np
import pytest

import planner
from planner.analysis.entry_prices import no_target_inputs
from planner.analysis.recommendation_text import money, recommendation_table
from planner.analysis.recommendations import CLASSES, PRECEDENCE, recommendations
from planner.cli import main
from planner.labels import load_labels
from planner.model.persistent import PlanningModel
from planner.units import num, pct
from tests.cases import inertia

REPO = Path(__file__).resolve().parents[1]
BUNDLED = ["zhuzhou_bau", "zhuzhou_peak2025", "zhuzhou_peak2030"]


def solve(path):
    return planner.solve(planner.load_scenario(path))


def texts(rec, lang="en"):
    t = recommendation_table(rec, lang)
    return t[t["level"] == "project"].set_index("id")["recommendation"]


def test_no_regret_project_held_by_its_rollout_limit(case):
    # saves 10 CNY per unit-year, abates 1 t: −10 CNY/t; 2 units/yr of 20 (binding every
    # year); 'free' pays too and may build all its units at once: nothing holds it back
    path = case(baseline={"industry": [100.0] * 4},
                projects=[{"project": "nr", "max_units": 20, "max_build_per_year": 2,
                           "savings_cny_per_unit_year": 10.0},
                          {"project": "free", "max_units": 3, "max_build_per_year": 3,
                           "savings_cny_per_unit_year": 5.0}])
    res = solve(path)
    rec = recommendations(res)
    r = rec.projects.loc["nr"]
    assert r["class"] == "no_regret_capacity_limited"
    assert r["lcoa_cny_per_t"] == pytest.approx(-10.0)
    assert (r["rollout_binds_from"], r["rollout_binds_to"]) == (2020, 2023)
    # r = 0: builds 2/yr give stock 2,4,6,8 (−200 CNY); without the 2020 builds 0,2,4,6
    # (−120 CNY): a year's delay costs 80 CNY
    assert r["delay_cost_cny"] == pytest.approx(80.0)
    text = texts(rec)["nr"]
    assert "Remove the delivery bottleneck" in text
    assert "2 unit per year binds in 2020–2023" in text
    assert money(80.0, "en") in text
    assert rec.projects.loc["free", "class"] == "pays_unconstrained"


def test_finance_gap_when_it_pays_socially_but_not_at_the_private_rate(case):
    # capex 100, saves 12/yr for 10 years, 1 t/yr. r = 0: (100 − 120)/10 = −2 CNY/t.
    # r = 10 %: annuity factor AF = (1 − 1.1^−10)/0.1 = 6.1446: 100/AF − 12 = +4.27 CNY/t
    path = case(baseline={"industry": [100.0] * 3},
                projects=[{"project": "pv", "max_units": 5, "max_build_per_year": 5,
                           "lifetime_years": 10, "capex_cny_per_unit": 100.0,
                           "savings_cny_per_unit_year": 12.0}])
    res = solve(path)
    rec = recommendations(res, private_rate=0.10)
    r = rec.projects.loc["pv"]
    assert r["class"] == "finance_gap"
    assert r["lcoa_cny_per_t"] == pytest.approx(-2.0)
    af = (1 - 1.1 ** -10) / 0.1
    assert r["lcoa_private_cny_per_t"] == pytest.approx(100 / af - 12.0)
    # the concessional rate r′ makes it break even: 12·AF(r′) = 100
    rb = r["breakeven_rate"]
    assert 0 < rb < 0.10
    assert 12.0 * (1 - (1 + rb) ** -10) / rb == pytest.approx(100.0, rel=1e-4)
    text = texts(rec)["pv"]
    assert f"at {pct(rb)} or less makes it pay" in text
    assert "concessional loan" in text
    # without an investor's rate there is no finance gap: it just pays
    assert recommendations(res).projects.loc["pv", "class"] == "pays_unconstrained"


def test_costly_project_needed_by_a_cap_states_its_vintage_cost_as_support(case):
    # 'dear': capex 200, lifetime 10, O&M 30/yr, 2 t/unit-yr; r = 0:
    # LCOA = (200 + 10·30)/(10·2) = 25 CNY/t. The cap needs 6 t: 3 units.
    path = case(baseline={"industry": [100.0] * 2},
                projects=[{"project": "dear", "max_units": 10, "max_build_per_year": 10,
                           "lifetime_years": 10, "capex_cny_per_unit": 200.0,
                           "fixed_om_cny_per_unit_year": 30.0,
                           "abatement_t_per_unit_year": 2.0}],
                scenario={"target": {"cap_t": 94.0}})
    res = solve(path)
    rec = recommendations(res)
    r = rec.projects.loc["dear"]
    assert r["class"] == "needs_price_signal"
    assert r["support_cny_per_t"] == pytest.approx(25.0)
    assert r["support_cny_per_t"] == pytest.approx(r["lcoa_cny_per_t"])
    text = texts(rec)["dear"]
    assert "Support of 25 CNY/t makes it break even" in text
    u = rec.target["uniform_price_cny_per_t"]
    assert f"uniform carbon price of {num(u)} CNY/t" in text
    assert f"marginal cost is {num(rec.target['marginal_cost_tighten_cny_per_t'])}" in text


def test_inertial_project_must_start_now(case):
    # 2023 must abate 20 t. cheap: 10 CNY/unit-yr, 12 units, fast. dear: 50 CNY/unit-yr,
    # 2 units/yr: the other 8 units need builds from 2020 on; without the 2020 builds
    # only 6 can be ready, so a year's delay puts the target out of reach
    path = inertia(case)
    res = solve(path)
    rec = recommendations(res)
    r = rec.projects.loc["dear"]
    assert r["class"] == "long_lead_time"
    assert "needs_price_signal" in r["other_classes"].split(";")
    assert r["first_build_year"] == 2020 and r["carbon_main_year"] == 2023
    assert r["support_cny_per_t"] == pytest.approx(50.0)
    assert bool(r["delay_infeasible"])
    text = texts(rec)["dear"]
    assert text.startswith("Start now (2020)")
    assert "would miss the 2023 target" in text and "out of reach" in text
    assert rec.projects.loc["cheap", "class"] == "needs_price_signal"
    zh = texts(rec, "zh")["dear"]
    assert "应立即启动" in zh and "dear" not in zh


def test_unused_project_enters_at_its_stated_price(case):
    # the cap needs 5 t: 'ok' (10 CNY/t) suffices; 'dear' (70 CNY/t) is not used
    path = case(baseline={"industry": [100.0] * 2},
                projects=[{"project": "ok", "max_units": 10, "max_build_per_year": 10,
                           "fixed_om_cny_per_unit_year": 10.0},
                          {"project": "dear", "max_units": 10, "max_build_per_year": 10,
                           "fixed_om_cny_per_unit_year": 70.0},
                          {"project": "late", "earliest_year": 2030}],
                scenario={"target": {"cap_t": 95.0}})
    res = solve(path)
    rec = recommendations(res)
    r = rec.projects.loc["dear"]
    assert r["class"] == "not_a_priority"
    entry = r["entry_price_cny_per_t"]
    assert entry == pytest.approx(70.0)
    assert f"constant carbon price of {num(entry)} CNY/t" in texts(rec)["dear"]
    # independent solves of the plan without a target at entry ± 1 CNY/t
    pm = PlanningModel(no_target_inputs(res.inputs))
    stock = pm.project_columns("stock")[list(res.inputs.projects.index).index("dear"), -1]
    used = {}
    for p in (entry - 1.0, entry + 1.0):
        pm.set_emission_price(p)
        used[p] = pm.solve().x[stock] > 1e-6
    assert not used[entry - 1.0] and used[entry + 1.0]
    assert rec.projects.loc["late", "class"] == "none"
    assert "Not available within the horizon" in texts(rec)["late"]


def test_co_benefit_led_project_depends_on_the_valued_co_benefits(case):
    # the cap needs 5 t. 'a': 12 CNY/t. 'clean': 15 CNY/t for carbon alone, but avoids
    # 0.01 t SO2 per unit-year valued at 1,000 CNY/t: 5 CNY/t net. With the values the plan
    # uses 'clean', without them 'a'
    path = case(baseline={"industry": [100.0] * 2},
                projects=[{"project": "a", "max_units": 10, "max_build_per_year": 10,
                           "fixed_om_cny_per_unit_year": 12.0, "so2_t_per_unit_year": 0.0},
                          {"project": "clean", "max_units": 10, "max_build_per_year": 10,
                           "fixed_om_cny_per_unit_year": 15.0, "so2_t_per_unit_year": 0.01}],
                scenario={"target": {"cap_t": 95.0},
                          "cobenefit_value_cny_per_t": {"so2": 1000.0}})
    res = solve(path)
    rec = recommendations(res)
    r = rec.projects.loc["clean"]
    assert r["class"] == "co_benefit_led"
    assert r["cobenefit_dependent_share"] == pytest.approx(1.0)
    assert r["lcoa_cny_per_t"] == pytest.approx(15.0)
    assert r["lcoa_with_cobenefits_cny_per_t"] == pytest.approx(5.0)
    assert "air-quality plan" in texts(rec)["clean"]
    assert rec.projects.loc["a", "class"] == "not_a_priority"


def test_classes_are_ordered_and_complete():
    assert sorted(PRECEDENCE) == sorted(CLASSES)
    doc = (REPO / "docs" / "recommendations.md").read_text(encoding="utf-8")
    for c in CLASSES:
        assert f"`{c}`" in doc


@pytest.fixture(scope="module")
def bundled():
    return {s: solve(REPO / "scenarios" / f"{s}.yaml") for s in BUNDLED}


@pytest.mark.parametrize("stem", BUNDLED)
def test_every_bundled_project_gets_a_recommendation_in_both_languages(bundled, stem):
    res = bundled[stem]
    inp = res.inputs
    rec = recommendations(res, private_rate=0.10)
    proj = inp.projects
    labels = load_labels(inp.dataset.folder).with_projects(
        dict(zip(proj.index, proj["name"], strict=True)))
    ids = set(proj.index) | set(proj["measure"]) | set(proj["sector"]) | set(inp.sectors)
    ids |= {g for g in proj["exclusive_group"].dropna() if g}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(ids))) + r")\b")
    for lang in ("en", "zh"):
        table = recommendation_table(rec, lang, labels)
        pr = table[table["level"] == "project"]
        assert sorted(pr["id"]) == sorted(proj.index)
        assert sorted(table.loc[table["level"] == "measure", "id"]) == sorted(
            proj["measure"].unique())
        assert set(pr["class"]) <= set(CLASSES)
        assert (table["level"] == "target").sum() >= 1
        for r in table.itertuples(index=False):
            assert r.recommendation and "{" not in r.recommendation, r
            assert not re.search(r"\bnan\b", r.recommendation.lower()), r
            if lang == "zh":
                assert not pattern.search(r.recommendation), r.recommendation
                assert not pattern.search(r.name), r.name
                assert not re.search(r"[A-Za-z]{4,}", r.class_name)


def test_bundled_peak2025_has_a_cost_of_delay_and_a_support_level(bundled):
    rec = recommendations(bundled["zhuzhou_peak2025"])
    p = rec.projects
    assert (p["class"] == "no_regret_capacity_limited").any()
    limited = p[p["class"] == "no_regret_capacity_limited"]
    assert (limited["delay_cost_cny"] > 0).all()
    priced = p[p["class"] == "needs_price_signal"]
    assert len(priced) and np.allclose(priced["support_cny_per_t"], priced["lcoa_cny_per_t"])
    t = rec.target
    assert t["earliest_peak_year"] is not None and t["earliest_peak_year"] <= 2025
    assert t["uniform_price_cny_per_t"] > 0


def test_recommend_command_writes_both_files(case, tmp_path, capsys):
    path = case(baseline={"industry": [100.0] * 2},
                projects=[{"project": "ok", "max_units": 10, "max_build_per_year": 10,
                           "fixed_om_cny_per_unit_year": 10.0}],
                scenario={"target": {"cap_t": 95.0}})
    out = tmp_path / "rec"
    assert main(["recommend", str(path), "--out", str(out), "--lang", "zh",
                 "--private-discount-rate", "0.1"]) == 0
    assert (out / "recommendations.csv").is_file()
    md = (out / "recommendations.md").read_text(encoding="utf-8")
    assert "政策建议" in md and "需要价格信号" in md
    assert "需要价格信号" in capsys.readouterr().out
