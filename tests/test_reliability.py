"""Reliability (issue 7): determinism, atomic outputs, solver faults, numerics."""

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planner
import planner.model.highs as solver_mod
from planner.cli import main
from planner.errors import EXIT_NUMERICAL, EXIT_SOLVER_MISSING, EXIT_TIME_LIMIT
from planner.model.check import objective_from_plan
from planner.model.inputs import bind
from planner.outputs.folder import MARKER
from planner.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]
PEAK2025 = REPO / "scenarios" / "zhuzhou_peak2025.yaml"


def test_same_inputs_give_byte_identical_csvs(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", str(PEAK2025), "--out", str(a)]) == 0
    assert main(["run", str(PEAK2025), "--out", str(b)]) == 0
    csvs = sorted(p.name for p in a.glob("*.csv"))
    assert len(csvs) >= 8
    for name in csvs:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_objective_equals_cost_recomputed_from_deployment_csv(tmp_path):
    out = tmp_path / "o"
    assert main(["run", str(PEAK2025), "--out", str(out)]) == 0
    dep = pd.read_csv(out / "deployment.csv")
    inp = bind(load_scenario(PEAK2025))
    import json

    summary = json.loads((out / "summary.json").read_text())
    recomputed = objective_from_plan(inp, dep)
    assert recomputed == pytest.approx(summary["objective_cny"], rel=1e-9)
    # and from the annual costs in that year's money, discounted
    df = dep["year"].map(pd.Series(inp.weights, index=inp.years))  # end-of-year flows
    assert float((dep["annual_cost_cny"] * df).sum()) == pytest.approx(
        summary["objective_cny"], rel=1e-9)


def test_out_never_deletes_what_it_did_not_create(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    assert main(["run", str(PEAK2025), "--out", str(out)]) == 2
    assert (out / "notes.txt").read_text() == "my notes"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert "was not written by planner" in capsys.readouterr().err
    # a folder planner wrote is replaced whole; an empty folder is used
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", str(PEAK2025), "--out", str(empty)]) == 0
    assert (empty / MARKER).exists() and (empty / "emissions.csv").exists()
    assert main(["run", str(PEAK2025), "--out", str(empty)]) == 0


SLOW_RUN = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import planner.outputs.folder as output
    real = output.write_csv
    flag = Path(sys.argv[2])

    def slow(df, path):
        real(df, path)
        flag.write_text("writing")
        time.sleep(0.3)

    output.write_csv = slow
    import planner.outputs.run as run
    run.write_csv = slow
    from planner.cli import main
    sys.exit(main(["run", sys.argv[3], "--out", sys.argv[1]]))
""")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_interrupted_run_leaves_previous_results_intact(tmp_path, sig):
    out = tmp_path / "res"
    assert main(["run", str(REPO / "scenarios" / "zhuzhou_bau.yaml"), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    flag = tmp_path / "flag"
    script = tmp_path / "slow.py"
    script.write_text(SLOW_RUN)
    proc = subprocess.Popen([sys.executable, str(script), str(out), str(flag), str(PEAK2025)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while not flag.exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.time() < deadline
        time.sleep(0.05)
    time.sleep(0.1)  # well inside the writing of the folder
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # the previous results, untouched
    partial = [p for p in tmp_path.iterdir() if ".planner-partial-" in p.name]
    if sig == signal.SIGTERM:
        assert partial == []  # cleaned up on the way out
        assert b"earlier results are intact" in proc.stderr.read()
    # a killed run may leave a hidden partial folder; the next run removes it
    assert main(["run", str(PEAK2025), "--out", str(out)]) == 0
    assert [p for p in tmp_path.iterdir() if ".planner-partial-" in p.name] == []
    assert not any(p.name.startswith(".res.planner-old") for p in tmp_path.iterdir())


def test_time_limit_is_a_distinct_failure(tmp_path, capsys):
    sc = tmp_path / "tl.yaml"
    sc.write_text(f"extends: {PEAK2025}\nname: tl\nsolver: {{time_limit_s: 1.0e-9}}\n")
    out = tmp_path / "o"
    assert main(["run", str(sc), "--out", str(out)]) == EXIT_TIME_LIMIT
    assert "time limit" in capsys.readouterr().err
    assert not out.exists()


def test_highs_missing_is_a_distinct_failure(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(solver_mod, "highspy", None)
    out = tmp_path / "o"
    assert main(["run", str(PEAK2025), "--out", str(out)]) == EXIT_SOLVER_MISSING
    assert "pip install highspy" in capsys.readouterr().err
    assert not out.exists()


def test_wrong_optimum_is_caught_by_the_recheck(tmp_path, monkeypatch, capsys):
    real = solver_mod.HighsSession.solve

    def corrupt(self):
        sol = real(self)
        if sol.status == "optimal":
            sol.x = sol.x * 1.01  # a plan that no longer satisfies stock_balance etc.
        return sol

    monkeypatch.setattr(solver_mod.HighsSession, "solve", corrupt)
    out = tmp_path / "o"
    assert main(["run", str(PEAK2025), "--out", str(out)]) == EXIT_NUMERICAL
    assert "violates constraints" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_solver_status_is_never_optimal(tmp_path, monkeypatch, capsys):
    import highspy

    monkeypatch.setattr(highspy.Highs, "getModelStatus",
                        lambda self: highspy.HighsModelStatus.kUnknown)
    out = tmp_path / "o"
    assert main(["run", str(PEAK2025), "--out", str(out)]) == EXIT_NUMERICAL
    assert "no result is reported" in capsys.readouterr().err


def _scaled(inp, money=1.0, tonnes=1.0):
    """The same problem in other units: money x `money`, tonnes x `tonnes` (with targets)."""
    ds = inp.dataset
    p = ds.projects.copy()
    for c in ("capex_cny_per_unit", "fixed_om_cny_per_unit_year", "savings_cny_per_unit_year"):
        p[c] = p[c] * money
    p["abatement_t_per_unit_year"] *= tonnes
    py = ds.project_years.copy()
    for c in ("capex_cny_per_unit", "savings_cny_per_unit_year"):
        py[c] = py[c] * money
    py["abatement_t_per_unit_year"] = py["abatement_t_per_unit_year"] * tonnes
    base = ds.baseline.assign(emissions_t=ds.baseline["emissions_t"] * tonnes)
    ds2 = dataclasses.replace(ds, projects=p, project_years=py, baseline=base)
    t = inp.scenario.target
    t2 = t.model_copy(update={"cap_t": t.cap_t * tonnes if t.cap_t else None,
                              "cap_path_t": {y: v * tonnes for y, v in t.cap_path_t.items()}})
    return bind(inp.scenario.model_copy(update={"target": t2}), ds2)


@pytest.mark.parametrize("money,tonnes", [(1e-4, 1.0), (1.0, 1e-3), (1e-4, 1e-3)])
def test_units_do_not_change_the_plan(money, tonnes):
    inp = bind(load_scenario(PEAK2025))
    ref = planner.solve(inp, one_sided_prices=False)
    res = planner.solve(_scaled(inp, money, tonnes), one_sided_prices=False)
    assert res.objective_cny == pytest.approx(ref.objective_cny * money, rel=1e-6)
    assert res.emissions["emissions_t"].to_numpy() == pytest.approx(
        ref.emissions["emissions_t"].to_numpy() * tonnes, rel=1e-6)
    u = ref.inputs.projects["max_units"]
    a = res.deployment.set_index(["project", "year"])["build_units"]
    b = ref.deployment.set_index(["project", "year"])["build_units"]
    scale = b.index.get_level_values(0).map(u).to_numpy()
    assert np.abs(a.to_numpy() - b.to_numpy()).max() <= 1e-6 * scale.max()
    prices = res.carbon_price["price_cny_per_t"].to_numpy()
    assert prices == pytest.approx(ref.carbon_price["price_cny_per_t"].to_numpy() * money
                                   / tonnes, rel=1e-6, abs=1e-9)


def test_no_traceback_from_the_real_command(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {PEAK2025}\ntarget: {{peak_yaer: 2025}}\n")
    r = subprocess.run([sys.executable, "-m", "planner.cli", "run", str(bad)], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "key 'target.peak_yaer': unknown key" in r.stderr
    assert "did you mean 'peak_year'?" in r.stderr
