"""Target stringency (issue 4): diagnosis to the tonne, sweeps that survive infeasible and
failed points, the frontier's edge, and properties over random instances."""

import json
import math

import pandas as pd
import pytest
from conftest import make_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner
from planner.analysis.frontier import frontier, lowest_peaks
from planner.analysis.sweep import project_entry, sweep, with_target
from planner.api import result_of
from planner.cli import main
from planner.errors import SolverError
from planner.model.check import objective_from_plan, violations
from planner.model.formulation import emission_scale
from planner.model.persistent import PlanningModel


def test_infeasible_shortfall_known_by_hand(case, tmp_path, capsys):
    # BAU 100 t/yr; the only project abates at most 2 t/yr more each year up to 6 t
    # (roll-out 2/yr from 2020): cap 95 t -> shortfall 3, 1, 0, 0 t in 2020..2023
    path = case(baseline={"industry": [100.0] * 4},
                projects=[{"project": "a", "max_units": 6, "max_build_per_year": 2,
                           "fixed_om_cny_per_unit_year": 1.0}],
                scenario={"target": {"cap_t": 95.0}})
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 3
    diag = pd.read_csv(out / "diagnosis.csv")
    assert diag["constraint"].tolist() == ["emissions_cap", "emissions_cap"]
    assert diag["year"].tolist() == [2020, 2021]
    assert diag["shortfall_t"].tolist() == pytest.approx([3.0, 1.0], abs=1e-6)
    info = json.loads((out / "diagnosis.json").read_text())
    assert info["lowest_feasible_peak_t"] == pytest.approx(98.0)  # 100 − 2 in 2020
    text = capsys.readouterr().out
    assert "falls short in 2020 and 2021: 3 t in 2020 and 1 t in 2021" in text
    assert "roll-out limit reached: a" in text
    assert "The lowest feasible peak is 98 t." in text
    assert not (out / "emissions.csv").exists()  # no plan, no plan tables
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "infeasible" and summary["objective_cny"] is None


def test_peak_year_diagnosis_names_the_earliest_feasible_year(case):
    # BAU rises 2 t/yr; abatement can rise at most 1 t/yr: no peak is possible, except at
    # the last year; at cap 103 the earliest feasible peak year is 2023 (the end)
    inp = planner.bind(planner.load_scenario(case(
        baseline={"industry": [100.0, 102.0, 104.0, 106.0]},
        projects=[{"project": "a", "max_units": 10, "max_build_per_year": 1}],
        scenario={"target": {"peak_year": 2021, "cap_t": 103.0}})))
    res = planner.solve(inp)
    assert res.status == "infeasible"
    assert res.diagnosis.facts["earliest_feasible_peak_year_at_cap"] == 2023
    assert "At this cap the earliest feasible peak year is 2023." in res.diagnosis.message
    assert "No plan peaks by 2021 at any cap." in res.diagnosis.message
    groups = set(res.diagnosis.shortfall["constraint"])
    assert "peak_level" in groups  # the level peak form (the default)


def small_case():
    return make_inputs({"industry": [100.0, 104.0, 108.0, 112.0]},
                       [{"project": "cheap", "max_units": 8, "max_build_per_year": 3,
                         "fixed_om_cny_per_unit_year": 10.0},
                        {"project": "dear", "max_units": 20, "max_build_per_year": 4,
                         "fixed_om_cny_per_unit_year": 40.0}])


def test_sweep_records_infeasible_points_and_goes_on():
    inp = small_case()
    caps = [112.0, 106.0, 100.0, 96.0]
    table = sweep(inp, caps, [2020, 2021, 2022], jobs=1)
    assert len(table) == 12
    grid = table.set_index(["peak_year", "cap_t"])["objective_cny"]
    # peak by 2020 at 96 t: abate 4, 8, 12, 16 t; cheap (10 CNY) is built 3/yr up to 8,
    # dear (40 CNY) fills the rest: 10·(3+6+8+8) + 40·(1+2+4+8) = 850
    assert grid[(2020, 96.0)] == pytest.approx(850.0)
    ok = table[table["status"] == "optimal"]
    for _, g in ok.groupby("peak_year"):
        g = g.sort_values("cap_t", ascending=False)
        assert g["objective_cny"].is_monotonic_increasing
    # the same grid in two processes gives the same numbers
    par = sweep(inp, caps, [2020, 2021, 2022], jobs=2)
    pd.testing.assert_frame_equal(table, par)


def test_sweep_with_an_infeasible_point_in_the_middle():
    # BAU jumps 10 t in 2021 while abatement can grow 3 t/yr: peaking by 2020 is impossible,
    # by 2021 or 2022 it is not. Solved in the order 2021, 2020, 2022: the infeasible point
    # sits in the middle of the run and the later point still solves.
    inp = make_inputs({"industry": [100.0, 110.0, 111.0, 112.0]},
                      [{"project": "a", "max_units": 50, "max_build_per_year": 3,
                        "fixed_om_cny_per_unit_year": 10.0}])
    table = sweep(inp, [None], [2021, 2020, 2022], jobs=1)
    by_year = table.set_index("peak_year")
    assert by_year.loc[2020, "status"] == "infeasible"
    assert math.isnan(by_year.loc[2020, "objective_cny"])
    assert by_year.loc[2021, "status"] == "optimal" and by_year.loc[2022, "status"] == "optimal"
    # by 2021: e2022 <= e2021 and e2023 <= e2022 -> abate 1 and 2 t at 10 CNY/t-yr
    assert by_year.loc[2021, "objective_cny"] == pytest.approx(10 * (1 + 2))


def test_sweep_records_a_solver_failure_and_goes_on(monkeypatch):
    inp = small_case()
    real = PlanningModel.solve

    def flaky(self):  # the solver fails at the second point (cap 105 t) only
        if self.target is not None and self.target.cap_t == 105.0:
            raise SolverError("simulated numerical trouble")
        return real(self)

    monkeypatch.setattr(PlanningModel, "solve", flaky)
    table = sweep(inp, [110.0, 105.0, 100.0], [None])
    assert table["status"].tolist() == ["optimal", "error", "optimal"]
    assert "simulated" in table.loc[1, "reason"]


def test_project_entry_ranks_by_loosest_cap():
    inp = small_case()
    table = sweep(inp, [112.0, 110.0, 106.0, 102.0, 98.0], [None])
    entry = project_entry(table, inp).set_index("project")
    assert entry.loc["cheap", "entry_cap_t"] > entry.loc["dear", "entry_cap_t"]
    assert entry.loc["cheap", "marginal_cost_cny_per_t"] <= entry.loc[
        "dear", "marginal_cost_cny_per_t"]


def test_frontier_edge_is_feasible_and_a_little_lower_is_not():
    inp = small_case()
    fr = frontier(inp, [2020, 2021, 2023]).set_index("peak_year")
    E = emission_scale(inp)
    for y in (2020, 2021, 2023):
        m = fr.loc[y, "min_peak_t"]
        assert not math.isnan(fr.loc[y, "cost_100_cny"])
        pm = PlanningModel(with_target(inp, cap_t=m + 1e-7 * E, peak_year=y))
        assert pm.solve().status == "optimal"
        pm.set_target(pm.target.model_copy(update={"cap_t": m - 1e-4 * E}))
        assert pm.solve().status == "infeasible"
        assert fr.loc[y, "cost_90_cny"] <= fr.loc[y, "cost_95_cny"] <= fr.loc[y, "cost_100_cny"]
    # 2023 is the end: no peak rule, lowest peak = the lowest cap = max over years
    assert lowest_peaks(inp, [None])[None] == pytest.approx(fr.loc[2023, "min_peak_t"])


def test_sweep_and_frontier_commands(tmp_path):
    out = tmp_path / "sw"
    assert main(["sweep", "scenarios/zhuzhou_peak2025.yaml", "--cap", "4.4e7:4.25e7:5",
                 "--peak-year", "2024..2026", "--out", str(out)]) == 0
    t = pd.read_csv(out / "sweep.csv")
    assert len(t) == 15 and set(t["status"]) <= {"optimal", "infeasible"}
    assert (t["status"] == "infeasible").any() and (t["status"] == "optimal").any()
    for name in ("project_entry.csv", "sweep_cost.png", "sweep_price.svg", "sweep_heatmap.png"):
        assert (out / name).stat().st_size > 0
    out2 = tmp_path / "fr"
    assert main(["frontier", "scenarios/zhuzhou_peak2025.yaml", "--peak-year", "2024..2026",
                 "--out", str(out2)]) == 0
    f = pd.read_csv(out2 / "frontier.csv")
    assert f["peak_year"].tolist() == [2024, 2025, 2026]
    assert (out2 / "frontier.png").stat().st_size > 0


# ------------------------------------------------------------------ properties ----------

projects_st = st.lists(
    st.fixed_dictionaries({
        "max_units": st.floats(1, 50), "max_build_per_year": st.floats(0.5, 20),
        "earliest_year": st.integers(2020, 2023), "lifetime_years": st.integers(1, 6),
        "capex_cny_per_unit": st.floats(0, 500), "fixed_om_cny_per_unit_year": st.floats(0, 50),
        "savings_cny_per_unit_year": st.floats(0, 60),
        "abatement_t_per_unit_year": st.floats(0.1, 5)}),
    min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects=projects_st, growth=st.floats(0, 6), rate=st.sampled_from([0.0, 0.05]),
       extra=st.fixed_dictionaries({"max_units": st.floats(1, 30),
                                    "fixed_om_cny_per_unit_year": st.floats(0, 80),
                                    "abatement_t_per_unit_year": st.floats(0.1, 5)}))
def test_properties_of_random_instances(projects, growth, rate, extra):
    bau = {"industry": [100.0 + growth * i for i in range(5)]}
    plist = [{"project": f"p{i}", **p} for i, p in enumerate(projects)]
    inp = make_inputs(bau, plist, rate=rate)
    pm = PlanningModel(inp)
    costs_by_year = {}
    for peak in (2024, 2023, 2022, 2021):  # peak year moving earlier
        last = -math.inf
        for cap in (130.0, 110.0, 104.0, 101.0, 98.0, 95.0):  # cap tightening
            target = inp.scenario.target.model_copy(update={"cap_t": cap, "peak_year": peak})
            pm.set_target(target)
            res = result_of(pm, one_sided_prices=False, explain_infeasible=False)
            if not res.optimal:
                last = math.inf
                continue
            # every constraint holds, re-checked outside the model; objective recomputed
            assert violations(res.inputs, res.deployment, target,
                              e0=res.emissions["no_target_t"].to_numpy()) == []
            # HiGHS's feasibility tolerance (1e-9 of a scaled variable, i.e. of a potential)
            # allows a cost error of that share of the cost scale Σ U_p·|coefficients|
            U = res.inputs.projects["max_units"].to_numpy()[:, None]
            scale = float((U * (abs(res.inputs.capex_coeff) + abs(res.inputs.opex_coeff))).sum())
            assert objective_from_plan(res.inputs, res.deployment) == pytest.approx(
                res.objective_cny, rel=1e-7, abs=1e-5 + 1e-8 * scale)
            tol = 1e-7 * max(1.0, abs(res.objective_cny)) + 1e-6 + 1e-8 * scale
            assert res.objective_cny >= last - tol  # tighter cap: never cheaper
            last = res.objective_cny
            costs_by_year[(peak, cap)] = res.objective_cny
    # a peak year adds rows to the cap alone: never cheaper than the cap alone. (An earlier
    # peak year is not always dearer under the level form: its level L = min(cap, e0[Y]) is
    # taken from the no-target plan, which need not rise.)
    for cap in (130.0, 110.0, 104.0, 101.0, 98.0, 95.0):
        pm.set_target(inp.scenario.target.model_copy(update={"cap_t": cap, "peak_year": None}))
        alone = pm.solve()
        for peak in (2024, 2023, 2022, 2021):
            c = costs_by_year.get((peak, cap))
            if c is not None:
                assert alone.status == "optimal"
                assert c >= alone.objective - 1e-7 * max(1.0, abs(c)) - 1e-6 - 1e-8 * scale
    # adding a project never raises the optimal cost
    target = {"cap_t": 104.0}
    base = planner.solve(make_inputs(bau, plist, target, rate=rate), one_sided_prices=False,
                         explain_infeasible=False)
    more = planner.solve(make_inputs(bau, [*plist, {"project": "extra", **extra}], target,
                                     rate=rate), one_sided_prices=False,
                         explain_infeasible=False)
    if base.optimal:
        assert more.optimal
        assert more.objective_cny <= base.objective_cny + 1e-7 * abs(base.objective_cny) + 1e-6
