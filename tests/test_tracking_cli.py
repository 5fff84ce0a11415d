"""`planner track` on the command line: bad actuals exit 2, an unreachable target exits 3,
the bundled example writes its report in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner.cli import main

REPO = Path(__file__).resolve().parents[1]

# peak by 2020 (no increase after it): the plan must build one unit of a every year from 2021
CASE = {"baseline": {"industry": [100, 104, 108, 112, 116]},
        "projects": [{"project": "a", "abatement_t_per_unit_year": 4.0, "max_units": 4,
                      "capex_cny_per_unit": 10.0}],
        "scenario": {"target": {"peak_year": 2020}}}


def write_actuals(folder: Path, emissions: str, deployment: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "actual_emissions.csv").write_text(emissions, encoding="utf-8")
    (folder / "actual_deployment.csv").write_text(deployment, encoding="utf-8")
    return folder


GOOD_EM = "year,emissions_t\n2020,100\n2021,100\n"
GOOD_DEP = "project,year,build_units\na,2021,1\n"


def test_on_plan_actuals_exit_0(case, tmp_path, capsys):
    sc = case(**CASE)
    act = write_actuals(tmp_path / "act", GOOD_EM, GOOD_DEP)
    assert main(["track", str(sc), "--actuals", str(act), "--out", str(tmp_path / "o")]) == 0
    s = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert s["gap_t"] == pytest.approx(0.0, abs=1e-9)
    assert s["cost_of_delay_cny"] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("emissions,deployment,file,where,words", [
    (GOOD_EM, "project,year,build_units\nzz,2021,1\n", "actual_deployment.csv",
     "line 2, column 'project'", "'zz'"),
    (GOOD_EM, "project,year,build_units\na,2021,1\na,2022,1\n", "actual_deployment.csv",
     "line 3, column 'year'", "after the as-of year"),
    ("year,emissions_t\n2020,100\n2021,100\n2023,90\n", GOOD_DEP, "actual_emissions.csv",
     "line 4, column 'year'", "after the as-of year"),
    (GOOD_EM, "project,year,build_units\na,2021,-1\n", "actual_deployment.csv",
     "line 2, column 'build_units'", ">= 0"),
    ("year,emissions_t\n2020,100\n,100\n", GOOD_DEP, "actual_emissions.csv",
     "line 3, column 'year'", "empty cell"),
    ("year,sector,emissions_t\n2020,industri,100\n", GOOD_DEP, "actual_emissions.csv",
     "line 2, column 'sector'", "industri"),
])
def test_bad_actuals_exit_2_naming_file_line_column(case, tmp_path, capsys, emissions,
                                                     deployment, file, where, words):
    sc = case(**CASE)
    act = write_actuals(tmp_path / "act", emissions, deployment)
    args = ["track", str(sc), "--actuals", str(act), "--out", str(tmp_path / "o")]
    if "2023,90" in emissions or "a,2022" in deployment:
        args += ["--as-of", "2021"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert file in err and where in err and words in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_unreachable_target_after_actuals_exits_3_with_earliest_peak_year(case, tmp_path,
                                                                          capsys):
    sc = case(**CASE)
    # nothing built in 2021: 2021 emissions 104 > 100, so "no increase after 2020" is broken
    act = write_actuals(tmp_path / "act", "year,emissions_t\n2020,100\n2021,104\n",
                        "project,year,build_units\na,2021,0\n")
    out = tmp_path / "o"
    assert main(["track", str(sc), "--actuals", str(act), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert "out of reach" in err
    # building one unit a year from 2022 holds 104 t: the earliest feasible peak year is 2021
    assert "Earliest feasible peak year: 2021." in err
    s = json.loads((out / "summary.json").read_text())
    assert s["replan_status"] == "infeasible" and s["earliest_feasible_peak_year"] == 2021
    assert s["lowest_feasible_cap_t"] == pytest.approx(104.0)
    assert s["lowest_feasible_cap_peak_year"] == 2021
    assert "Lowest feasible cap given what happened: 104 t" in err
    assert (out / "diagnosis.json").exists() and (out / "track.html").exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bundled_example_writes_report(tmp_path, capsys, lang):
    out = tmp_path / "o"
    code = main(["track", str(REPO / "scenarios/zhuzhou_peak2025.yaml"), "--actuals",
                 str(REPO / "data/zhuzhou/actuals"), "--lang", lang, "--out", str(out)])
    assert code == 0
    page = (out / "track.html").read_text(encoding="utf-8")
    assert ("Illustrative" in page) if lang == "en" else ("示意数据" in page)
    assert ("off track" in page) if lang == "en" else ("偏离轨道" in page)
    sheets = pd.read_excel(out / "track.xlsx", sheet_name=None)
    assert len(sheets) == 5
    gap = pd.read_csv(out / "gap.csv")
    parts = gap["from_baseline_t"] + gap["from_deployment_t"] + gap["from_performance_t"]
    assert (parts - gap["gap_t"]).abs().max() < 1e-6
    projects = pd.read_csv(out / "projects.csv").set_index("project")
    assert projects.loc["rooftop_pv", "slip_years"] == 2
    assert (projects.drop(index="rooftop_pv")["slip_years"] == 0).all()
