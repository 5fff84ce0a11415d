"""Diagnoses of targets out of reach: shortfalls per year counted once, in tonnes that suit
their size, every short year named, and projects said to lower the shortfall exactly when
relaxing their own limits does."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_inputs

import planner
from planner.analysis.frontier import frontier
from planner.analysis.narrator import diagnosis_text, year_list
from planner.analysis.sweep import sweep
from planner.model.persistent import PlanningModel
from planner.text import diagnosis_text as res_text
from planner.units import tonnes


def test_tonnes_suit_their_size():
    assert tonnes(15.0) == "15 t"
    assert tonnes(1480.0) == "1.48 kt"
    assert tonnes(1.6e6) == "1.6 Mt"
    assert tonnes(999.96) == "1 kt"
    assert tonnes(15.0, "zh") == "15吨"


def test_every_short_year_is_named():
    assert year_list([2020], "en") == "2020"
    assert year_list([2021, 2020], "en") == "2020 and 2021"
    assert year_list([2020, 2021, 2022, 2025], "en") == "2020–2022 and 2025"
    assert year_list([2020, 2022, 2024], "en") == "2020, 2022 and 2024"


def group_case():
    # BAU 100 t; a and b abate 1 t per unit, 6 units each, but their exclusive group lets
    # them stand 6 units together: 6 t of the 8 t the cap of 92 t asks -> 2 t short a year
    return make_inputs({"industry": [100.0, 100.0]},
                       [{"project": "a", "max_units": 6, "max_build_per_year": 6,
                         "exclusive_group": "g", "fixed_om_cny_per_unit_year": 1.0},
                        {"project": "b", "max_units": 6, "max_build_per_year": 6,
                         "exclusive_group": "g", "fixed_om_cny_per_unit_year": 2.0},
                        {"project": "c", "max_units": 1, "max_build_per_year": 1,
                         "earliest_year": 2021, "fixed_om_cny_per_unit_year": 1.0}],
                       target={"cap_t": 92.0})


def test_an_exclusive_group_that_limits_the_shortfall_is_named():
    res = planner.solve(group_case())
    assert res.status == "infeasible"
    d = res.diagnosis
    assert d.by_year["shortfall_t"].tolist() == pytest.approx([2.0, 1.0], abs=1e-6)
    rel = d.relief.set_index("project")
    # with the group's bound 10 % higher, a and b could stand 6.6 units: 0.6 t more a year
    assert rel.loc["a", "lowers_shortfall"] and rel.loc["b", "lowers_shortfall"]
    assert rel.loc["a", "limiting"] == "group" and rel.loc["b", "limiting"] == "group"
    assert rel.loc["a", "relief_t"] == pytest.approx(1.2, abs=1e-6)
    # c is at its potential in 2021 and not available in 2020: relaxing both lowers it
    assert rel.loc["c", "lowers_shortfall"]
    assert set(rel.loc["c", "limiting"].split()) <= {"potential", "earliest", "together"}
    assert "its exclusive group g" in d.message
    assert "would not lower" not in d.message
    assert "2020 and 2021: 2 t in 2020 and 1 t in 2021" in d.message


def test_a_project_held_by_the_budget_is_said_not_to_lower_it():
    # the budget (50 CNY a year, 10 CNY a unit of a) holds a to 5 units a year; b's potential
    # of 1 unit is its own limit: only b's relaxation lowers the 4 t shortfall of 2020
    inp = make_inputs({"industry": [100.0, 100.0]},
                      [{"project": "a", "max_units": 100, "max_build_per_year": 100,
                        "capex_cny_per_unit": 10.0},
                       {"project": "b", "max_units": 1, "max_build_per_year": 10}],
                      target={"cap_t": 90.0}, budget=50.0)
    d = planner.solve(inp).diagnosis
    assert d.by_year["year"].tolist() == [2020]
    rel = d.relief.set_index("project")
    assert rel.loc["b", "lowers_shortfall"] and rel.loc["b", "limiting"] == "potential"
    assert not rel.loc["a", "lowers_shortfall"]
    assert "Relaxing the own limits of a would not lower it." in d.message
    assert "investment budget spent: a" in d.message


def test_a_15_t_shortfall_reads_15_t_at_city_scale():
    # 40 Mt a year; the only project abates at most 2 Mt: a cap 15 t lower is 15 t short
    inp = make_inputs({"industry": [4.0e7, 4.0e7]},
                      [{"project": "a", "max_units": 2.0e6, "max_build_per_year": 2.0e6,
                        "fixed_om_cny_per_unit_year": 1.0}],
                      target={"cap_t": 3.8e7 - 15.0})
    res = planner.solve(inp)
    d = res.diagnosis
    assert d.by_year["shortfall_t"].tolist() == pytest.approx([15.0, 15.0], rel=1e-3)
    assert "15 t in 2020 and 15 t in 2021" in d.message
    assert "e-0" not in d.message and "Mt in" not in d.message
    assert "15吨" in res_text(res, "zh")


def test_a_cap_only_target_never_mentions_other_targets():
    res = planner.solve(group_case())
    d = res.diagnosis
    for lang in ("en", "zh"):
        assert "other targets" not in res_text(res, lang) and "其他目标" not in res_text(res, lang)
    # even when no plan is feasible without the cap, there are no other targets to blame
    d.facts = {**d.facts, "lowest_feasible_peak_t": None}
    text = diagnosis_text(res.inputs, d, "en")
    assert "other targets" not in text and "Even without the cap no plan is feasible." in text


def test_rows_of_one_year_are_counted_once():
    # peak by 2020 at cap 100: the cap row and the peak-level row of 2023 are short by the
    # same 4 t (112 t BAU − 8 t of abatement − 100 t)
    inp = make_inputs({"industry": [100.0, 104.0, 108.0, 112.0]},
                      [{"project": "cheap", "max_units": 8, "max_build_per_year": 3,
                        "fixed_om_cny_per_unit_year": 10.0}],
                      target={"cap_t": 100.0, "peak_year": 2020})
    d = planner.solve(inp).diagnosis
    rows = d.shortfall[d.shortfall["year"] == 2023]
    assert len(rows) == 2 and rows["shortfall_t"].sum() == pytest.approx(8.0, abs=1e-5)
    assert d.by_year["year"].tolist() == [2023]
    assert d.total_shortfall_t == pytest.approx(4.0, abs=1e-5)
    assert d.message.count("4 t in 2023") == 1


def test_infeasible_sweep_and_frontier_rows_carry_their_shortfall():
    inp = make_inputs({"industry": [100.0, 104.0, 108.0, 112.0]},
                      [{"project": "cheap", "max_units": 8, "max_build_per_year": 3,
                        "fixed_om_cny_per_unit_year": 10.0}])
    t = sweep(inp, [112.0, 90.0], [2020, 2023]).set_index(["peak_year", "cap_t"])
    assert t.loc[(2023, 112.0), "status"] == "optimal" and t.loc[(2023, 112.0), "reason"] == ""
    r = t.loc[(2020, 90.0), "reason"]
    assert t.loc[(2020, 90.0), "status"] == "infeasible"
    # 90 t against 100, 104−3, 108−6, 112−8 t: short 10, 11, 12, 14 t
    assert "fall short in 2020–2023" in r and "14 t" in r
    fr = frontier(inp, [2020, 2023]).set_index("peak_year")
    assert fr.loc[2020, "status"] == "infeasible" and math.isnan(fr.loc[2020, "min_peak_t"])
    assert "short in 2023: 4 t in 2023" in fr.loc[2020, "reason"]
    assert fr.loc[2023, "reason"] == ""


def test_the_plan_at_the_least_shortfall_is_the_cheapest_with_that_total():
    # short by 6, 4, 4 t (BAU 12, 10, 10 against a cap of 6); 10 CNY a year buys one unit
    # (capex 10, O&M 5 a year alive): b (2 t, one year) or a (1 t a year for two). Abating
    # most (6 t: a shortfall of 8) takes one unit a year, b in 2022; the cheapest is b every
    # year (3 × 15 = 45), while a in 2020 or 2021 abates as much but splits the shortfall
    # between years differently and costs 50 — holding each row at phase 1's split may force it
    inp = make_inputs({"industry": [12.0, 10.0, 10.0]},
                      [{"project": "a", "max_units": 4, "max_build_per_year": 2,
                        "lifetime_years": 2, "capex_cny_per_unit": 10.0,
                        "fixed_om_cny_per_unit_year": 5.0},
                       {"project": "b", "max_units": 5, "max_build_per_year": 1,
                        "abatement_t_per_unit_year": 2.0, "lifetime_years": 1,
                        "capex_cny_per_unit": 10.0, "fixed_om_cny_per_unit_year": 5.0}],
                      target={"cap_t": 6.0}, budget=10.0)
    pm = PlanningModel(inp)
    pm.set_elastic(True)
    pm.session.set_objective("obj_shortfall")
    s1 = pm.solve()
    assert s1.objective == pytest.approx(8.0, abs=1e-9)
    rows_before = pm.session.h.getNumRow()
    s2 = pm.solve_holding_shortfall(s1.objective)
    assert pm.session.h.getNumRow() == rows_before and pm.session.objective == "obj_shortfall"
    short = pm.columns("shortfall")
    assert s2.x[short].sum() == pytest.approx(8.0, abs=1e-6)
    assert s2.objective == pytest.approx(45.0, abs=1e-6)
    pm.session.set_objective("obj_cost")
    pm.session.set_col_bounds(short, np.zeros(len(short)), np.maximum(s1.x[short], 0.0))
    assert pm.solve().objective >= 45.0 - 1e-6  # each row held: never cheaper
    pm.set_elastic(False)
    d = planner.solve(inp).diagnosis
    assert d.total_shortfall_t == pytest.approx(8.0, abs=1e-6)
    assert d.by_year["shortfall_t"].tolist() == pytest.approx([4.0, 2.0, 2.0], abs=1e-6)


def test_a_relief_known_only_from_below_reads_at_least():
    d = planner.solve(group_case()).diagnosis
    rel = d.relief.set_index("project")
    assert rel.loc["a", "relief_t"] == pytest.approx(1.2, abs=1e-6)
    # as for a project beyond the largest reliefs: only its proven bounds
    d.relief.loc[d.relief["project"] == "a", ["relief_t", "relief_min_t"]] = [math.nan, 1.0]
    text = diagnosis_text(group_case(), d, "en")
    assert "a (its exclusive group g; by at least 1 t)" in text
    assert "b (its exclusive group g; by 1.2 t)" in text
    assert text.index("b (its") < text.index("a (its")  # known reliefs first
    assert "至少可减少1吨" in diagnosis_text(group_case(), d, "zh")
