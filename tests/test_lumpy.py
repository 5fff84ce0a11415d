"""Lumpy projects: integer and all_or_nothing projects make the model a mixed-integer programme;
without them it stays exactly the LP."""

from __future__ import annotations

import itertools
import json
import math
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner
from planner.api import solve
from planner.cli import main
from planner.errors import EXIT_TIME_LIMIT, InputError
from planner.model.lumpy import fixed_choice_inputs
from planner.model.persistent import PlanningModel
from tests.conftest import REPO, make_inputs, write_case


def _exact(inp):
    """The inputs with a zero MIP gap (the brute force compares exact optima)."""
    sc = inp.scenario
    return replace(inp, scenario=sc.model_copy(
        update={"solver": sc.solver.model_copy(update={"mip_gap": 0.0})}))


def _random_case(n: int, seed: int):
    rng = np.random.default_rng(seed)
    projects = [{"project": f"p{i}", "max_units": float(rng.integers(1, 6)),
                 "max_build_per_year": float(rng.integers(1, 6)),
                 "earliest_year": 2020 + int(rng.integers(0, 2)),
                 "lifetime_years": int(rng.integers(2, 6)),
                 "capex_cny_per_unit": float(rng.uniform(0, 100)),
                 "savings_cny_per_unit_year": float(rng.uniform(0, 20)),
                 "abatement_t_per_unit_year": float(rng.uniform(0.5, 3)),
                 "lumpy": "all_or_nothing",
                 "min_share": float(rng.choice([0.0, 0.5, 1.0])),
                 "fixed_cost_cny": float(rng.uniform(0, 150))} for i in range(n)]
    bau = [40.0, 42.0, 44.0, 45.0]
    for p in projects:  # a valid input: min_share reachable by the roll-out limit (bind checks)
        years = 2023 - p["earliest_year"] + 1
        p["max_build_per_year"] = max(p["max_build_per_year"],
                                      math.ceil(p["min_share"] * p["max_units"] / years))
    total = sum(p["max_units"] * p["abatement_t_per_unit_year"] for p in projects)
    cap = 45.0 - float(rng.uniform(0.1, 0.6)) * total
    return make_inputs({"industry": bau}, projects, target={"cap_t": cap}, rate=0.05)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(1, 10), seed=st.integers(0, 10_000))
def test_mip_optimum_equals_brute_force_over_all_choices(n, seed):
    inp = _exact(_random_case(n, seed))
    pm = PlanningModel(inp, pyomo=False)
    assert pm.is_mip
    mip = pm.solve()
    # enumerate every choice vector on the LP with the choices fixed by bounds
    ids = inp.projects.index[inp.all_or_nothing]
    fixed = PlanningModel(replace(inp, fixed_choice=pd.Series(0.0, index=ids)), pyomo=False,
                          no_target=pm.no_target)
    assert not fixed.is_mip
    cols = fixed.columns("choose")
    best = np.inf
    for bits in itertools.product((0.0, 1.0), repeat=n):
        v = np.array(bits)
        fixed.session.set_col_bounds(cols, v, v)
        sol = fixed.solve()
        if sol.status == "optimal":
            best = min(best, sol.objective)
    if not np.isfinite(best):
        assert mip.status == "infeasible"
    else:
        assert mip.status == "optimal"
        assert mip.objective == pytest.approx(best, rel=1e-7, abs=1e-6)


def test_fixing_the_choices_keeps_the_structure_and_the_optimum():
    inp = _exact(_random_case(6, 7))
    pm = PlanningModel(inp, pyomo=False)
    sol = pm.solve()
    assert sol.status == "optimal"
    f = PlanningModel(fixed_choice_inputs(pm, sol), pyomo=False, no_target=pm.no_target)
    assert not f.is_mip
    assert (f.layout.n_rows, f.layout.n_cols) == (pm.layout.n_rows, pm.layout.n_cols)
    s2 = f.solve()
    assert s2.objective == pytest.approx(sol.objective, rel=1e-9, abs=1e-6)


def test_integer_projects_build_whole_units():
    projects = [{"project": "a", "max_units": 7.5, "max_build_per_year": 2.5,
                 "capex_cny_per_unit": 10.0, "abatement_t_per_unit_year": 1.0,
                 "lumpy": "integer"},
                {"project": "b", "max_units": 10.0, "max_build_per_year": 10.0,
                 "capex_cny_per_unit": 30.0, "abatement_t_per_unit_year": 1.0}]
    inp = make_inputs({"industry": [10.0, 10.0, 10.0]}, projects, target={"cap_t": 4.5})
    res = solve(inp)
    assert res.optimal and res.mip
    d = res.deployment.set_index(["project", "year"])
    a = d.loc["a", "build_units"].to_numpy()
    assert np.allclose(a, np.round(a)) and a.max() <= 2.0
    # the cap needs 5.5 t: a gives 2 units a year (whole), b the rest continuously
    assert d.loc[("b", 2020), "stock_units"] == pytest.approx(3.5)
    assert res.mip["relaxation_objective_cny"] <= res.objective_cny + 1e-9


def test_fixed_cost_and_min_share_are_honoured():
    projects = [{"project": "rail", "max_units": 4.0, "max_build_per_year": 4.0,
                 "capex_cny_per_unit": 1.0, "abatement_t_per_unit_year": 1.0,
                 "lumpy": "all_or_nothing", "min_share": 1.0, "fixed_cost_cny": 100.0,
                 "lifetime_years": 2},
                {"project": "bus", "max_units": 10.0, "max_build_per_year": 10.0,
                 "capex_cny_per_unit": 30.0, "abatement_t_per_unit_year": 1.0,
                 "lifetime_years": 2}]
    # cap needs 1 t: rail (100 + 4) beats bus (30) only if more is needed
    res = solve(make_inputs({"industry": [10.0, 10.0]}, projects, target={"cap_t": 9.0}))
    d = res.deployment.groupby("project")["stock_units"].max()
    assert d["rail"] == 0 and d["bus"] == pytest.approx(1.0)
    assert res.objective_cny == pytest.approx(30.0)
    # cap needs 5 t: rail all 4 units (104) + 1 bus (30) beats 5 buses (150)
    res = solve(make_inputs({"industry": [10.0, 10.0]}, projects, target={"cap_t": 5.0}))
    d = res.deployment.groupby("project")["stock_units"].max()
    assert d["rail"] == pytest.approx(4.0) and d["bus"] == pytest.approx(1.0)
    assert res.objective_cny == pytest.approx(134.0)
    assert set(res.carbon_price["basis"]) == {"fixed_integer_lp"}


def test_lp_optimum_already_integral_gives_the_lp_prices():
    base = [{"project": "a", "max_units": 5.0, "max_build_per_year": 5.0,
             "capex_cny_per_unit": 10.0, "abatement_t_per_unit_year": 1.0},
            {"project": "b", "max_units": 5.0, "max_build_per_year": 5.0,
             "capex_cny_per_unit": 20.0, "abatement_t_per_unit_year": 1.0},
            {"project": "c", "max_units": 5.0, "max_build_per_year": 5.0,
             "capex_cny_per_unit": 50.0, "abatement_t_per_unit_year": 1.0}]
    lumpy = [{**p, "lumpy": "all_or_nothing", "min_share": 0.0} for p in base]
    bau = {"industry": [20.0, 20.0, 20.0]}
    lp = solve(make_inputs(bau, base, target={"cap_t": 13.0}))
    mip = solve(make_inputs(bau, lumpy, target={"cap_t": 13.0}))
    assert not lp.mip and mip.mip
    assert mip.objective_cny == pytest.approx(lp.objective_cny)
    cols = ["price_cny_per_t", "price_low_cny_per_t", "price_high_cny_per_t"]
    assert np.allclose(mip.carbon_price[cols].to_numpy(float),
                       lp.carbon_price[cols].to_numpy(float), rtol=1e-7)
    assert "basis" not in lp.carbon_price  # an LP run's files are those of before
    assert (mip.carbon_price["basis"] == "fixed_integer_lp").all()
    assert mip.headlines["marginal_cost_cny_per_t"] == pytest.approx(
        lp.headlines["marginal_cost_cny_per_t"])


def _with_lumpy_columns(src: Path, dst: Path) -> Path:
    """A copy of the bundled scenario whose projects.csv has the lumpy columns, all
    continuous (empty min_share and fixed_cost_cny)."""
    shutil.copytree(src / "data" / "zhuzhou", dst / "data" / "zhuzhou")
    shutil.copytree(src / "scenarios", dst / "scenarios")
    p = dst / "data" / "zhuzhou" / "projects.csv"
    text = p.read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",lumpy,min_share,fixed_cost_cny"] + [t + ",continuous,,"
                                                             for t in text[1:] if t]
    p.write_text("\n".join(text) + "\n", encoding="utf-8")
    return dst / "scenarios" / "zhuzhou_peak2025.yaml"


def test_no_lumpy_project_keeps_the_lp_and_its_files(tmp_path, monkeypatch):
    import planner.api as api

    def no_mip(*a, **k):
        raise AssertionError("the MIP path was taken")

    monkeypatch.setattr(api, "_mip_result", no_mip)
    plain = REPO / "scenarios" / "zhuzhou_peak2025.yaml"
    marked = _with_lumpy_columns(REPO, tmp_path / "copy")
    a, b = planner.bind(planner.load_scenario(plain)), planner.bind(planner.load_scenario(marked))
    pa, pb = PlanningModel(a, pyomo=False), PlanningModel(b, pyomo=False)
    assert not pb.is_mip and pb.lp.integrality is None
    assert (pa.layout.n_rows, pa.layout.n_cols, pa.A.nnz) == \
        (pb.layout.n_rows, pb.layout.n_cols, pb.A.nnz)
    assert list(pa.layout.variables) == list(pb.layout.variables)
    assert main(["run", str(plain), "--out", str(tmp_path / "a")]) == 0
    assert main(["run", str(marked), "--out", str(tmp_path / "b")]) == 0
    files = sorted(f.name for f in (tmp_path / "a").iterdir())
    assert files == sorted(f.name for f in (tmp_path / "b").iterdir())
    for name in files:
        if name == "summary.json" or name.endswith(".xlsx"):
            continue  # input hashes differ; xlsx carries a timestamp
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    sa = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    sb = json.loads((tmp_path / "b" / "summary.json").read_text(encoding="utf-8"))
    for s in (sa, sb):
        s.pop("input_sha256"), s.pop("solve_seconds")
    assert sa == sb and "mip_gap" not in sa


def _hard_case(folder: Path, n: int = 40, limit: float = 0.3) -> Path:
    """A subset-sum-like choice of n all_or_nothing projects (cost ∝ abatement, the need not
    reachable exactly): easy to find a good plan, slow to prove it optimal with a zero gap."""
    rng = np.random.default_rng(3)
    a = rng.integers(10_000, 100_000, n).astype(float)
    projects = [{"project": f"k{i:03d}", "abatement_t_per_unit_year": float(a[i]),
                 "max_units": 1.0, "max_build_per_year": 1.0, "lumpy": "all_or_nothing",
                 "fixed_cost_cny": float(10 * a[i])} for i in range(n)]
    bau = float(2 * a.sum())
    return write_case(folder, baseline={"industry": [bau, bau]}, projects=projects,
                      scenario={"target": {"cap_t": float(bau - (0.5 * a.sum() + 0.5))},
                                "solver": {"time_limit_s": limit, "mip_gap": 0.0}})


def test_time_limit_writes_the_incumbent_and_exits_4(tmp_path, capsys):
    path = _hard_case(tmp_path / "case")
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == EXIT_TIME_LIMIT
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["status"] == "time_limit"
    assert 0 < s["mip_gap"] < 1
    assert s["relaxation_objective_cny"] <= s["objective_cny"]
    assert "time limit" in s["warnings"][-1]
    d = pd.read_csv(out / "deployment.csv")
    assert set(d["project"]) and (d["stock_units"].isin([0.0, 1.0])).all()
    assert "gap" in capsys.readouterr().err


def test_cli_mip_gap_flag_overrides_the_scenario(tmp_path):
    path = _hard_case(tmp_path / "case", n=12, limit=60.0)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--mip-gap", "0.5"]) == 0
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["status"] == "optimal" and s["mip_gap"] <= 0.5


@pytest.mark.parametrize("row, where", [
    ({"lumpy": "lumpy"}, "column 'lumpy'"),
    ({"min_share": 0.5}, "column 'min_share'"),
    ({"fixed_cost_cny": 10.0}, "column 'fixed_cost_cny'"),
    ({"lumpy": "all_or_nothing", "min_share": 1.5}, "column 'min_share'"),
    ({"lumpy": "all_or_nothing", "fixed_cost_cny": -1.0}, "column 'fixed_cost_cny'"),
])
def test_bad_lumpy_columns_are_input_errors(case, row, where):
    path = case(baseline={"industry": [10.0, 10.0]}, projects=[{"project": "a", **row}])
    with pytest.raises(InputError) as exc:
        planner.bind(planner.load_scenario(path))
    assert "projects.csv" in str(exc.value) and where in str(exc.value)


def test_unreachable_min_share_is_an_input_error(case):
    path = case(baseline={"industry": [10.0, 10.0]},
                projects=[{"project": "a", "max_units": 10.0, "max_build_per_year": 2.0,
                           "lumpy": "all_or_nothing"}])
    with pytest.raises(InputError, match="min_share"):
        planner.bind(planner.load_scenario(path))


def test_ranking_reports_discrete_entry_costs():
    from planner.analysis.ranking import rank

    projects = [{"project": "rail", "max_units": 4.0, "max_build_per_year": 4.0,
                 "capex_cny_per_unit": 1.0, "abatement_t_per_unit_year": 1.0,
                 "lumpy": "all_or_nothing", "fixed_cost_cny": 100.0, "lifetime_years": 2},
                {"project": "bus", "max_units": 10.0, "max_build_per_year": 10.0,
                 "capex_cny_per_unit": 30.0, "abatement_t_per_unit_year": 1.0,
                 "lifetime_years": 2}]
    res = solve(make_inputs({"industry": [10.0, 10.0]}, projects, target={"cap_t": 5.0}))
    t = rank(res, with_entry=False).set_index("project")
    # with rail: 104 + 30; without: 5 buses, 150; rail abates 4 t in each of 2 years
    assert t.loc["rail", "discrete_entry_npv_cny"] == pytest.approx(134.0 - 150.0)
    assert t.loc["rail", "discrete_entry_abatement_t"] == pytest.approx(8.0)
    assert t.loc["rail", "discrete_entry_cost_cny_per_t"] == pytest.approx(-16.0 / 8.0)
    assert np.isnan(t.loc["bus", "discrete_entry_cost_cny_per_t"])
