"""Side analyses fail soft: the plan and every other output are written, the missing values
are marked with the reason in the files and on the terminal, and the exit code stays 0."""

import json
from pathlib import Path

import pandas as pd
import pytest

import planner
from planner.cli import main
from planner.errors import SolverError


def small(case, **extra_columns):
    # a cheap project used by the plan and a dear one kept in reserve
    return case(baseline={"industry": [100.0, 100.0]},
                projects=[{"project": "cheap", "max_units": 10, "max_build_per_year": 10,
                           "fixed_om_cny_per_unit_year": 20.0, **extra_columns},
                          {"project": "dear", "max_units": 10, "max_build_per_year": 10,
                           "fixed_om_cny_per_unit_year": 90.0, **extra_columns}],
                scenario={"target": {"cap_t": 95.0}})


def boom(*args, **kwargs):
    raise SolverError("HiGHS did not find a trustworthy optimum (model status: Unknown)")


def test_failed_entry_prices_still_write_the_plan(case, tmp_path, monkeypatch, capsys):
    import planner.analysis.ranking as ranking

    monkeypatch.setattr(ranking, "entry_prices", boom)
    out = tmp_path / "out"
    assert main(["run", str(small(case)), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: entry price not computed: HiGHS did not find" in err
    for name in ("emissions.csv", "deployment.csv", "carbon_price.csv", "summary.json",
                 "ranking.csv", "recommendations.csv", "indicators.csv"):
        assert (out / name).is_file(), name
    rk = pd.read_csv(out / "ranking.csv").set_index("project")
    assert rk["entry_price_cny_per_t"].isna().all()
    assert rk["entry_price_note"].str.contains("model status: Unknown").all()
    assert rk.loc["cheap", "share_deployed_target_year"] == pytest.approx(0.5)  # the plan
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert any("entry price not computed" in n for n in summary["notes"])
    assert summary["status"] == "optimal"
    # the reserve project's recommendation says the entry price is unknown, not "never"
    rec = pd.read_csv(out / "recommendations.csv")
    dear = rec.loc[(rec["level"] == "project") & (rec["id"] == "dear"), "recommendation"].iloc[0]
    assert "unknown" in dear and "No constant carbon price" not in dear


def test_failed_recommendations_still_write_the_rest(case, tmp_path, monkeypatch, capsys):
    import planner.api as api

    monkeypatch.setattr(api, "recommendations", boom)
    out = tmp_path / "out"
    assert main(["run", str(small(case)), "--out", str(out)]) == 0
    assert "warning: recommendations not computed" in capsys.readouterr().err
    assert not (out / "recommendations.csv").exists()
    for name in ("emissions.csv", "deployment.csv", "ranking.csv", "summary.json"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["notes"] == ["recommendations not computed: HiGHS did not find a "
                                "trustworthy optimum (model status: Unknown)"]


def test_no_rank_skips_ranking_and_recommendations(case, tmp_path, monkeypatch):
    import planner.api as api

    monkeypatch.setattr(api, "ranking", boom)  # never called
    out = tmp_path / "out"
    assert main(["run", str(small(case)), "--out", str(out), "--no-rank"]) == 0
    names = {p.name for p in out.iterdir()}
    assert {"emissions.csv", "deployment.csv", "summary.json", "indicators.csv"} <= names
    assert not names & {"ranking.csv", "recommendations.csv", "mac_curve.png"}


def test_free_text_columns_reach_the_ranking(case, tmp_path):
    path = small(case, notes="估算", 来源="市发改委 2023")
    res = planner.solve(planner.load_scenario(path))
    table = planner.rank(res).table.set_index("project")
    assert table.loc["cheap", "notes"] == "估算"
    assert table.loc["dear", "来源"] == "市发改委 2023"
    assert list(table.columns[-2:]) == ["notes", "来源"]
    out = tmp_path / "rank"
    assert main(["rank", str(path), "--out", str(out)]) == 0
    written = pd.read_csv(out / "ranking.csv")
    assert written["来源"].tolist() == ["市发改委 2023"] * 2
    sheet = pd.read_excel(out / "ranking.xlsx", sheet_name="ranking")
    assert sheet["notes"].tolist() == ["估算"] * 2
    # without free-text columns there are none in the ranking
    plain = planner.rank(planner.solve(planner.load_scenario(small(case)))).table
    assert not {"notes", "source", "备注", "说明", "来源"} & set(plain.columns)


def test_a_failed_report_sweep_fails_soft(tmp_path, monkeypatch):
    import planner.report.content as content
    from planner.cli import main
    from planner.errors import SolverError

    def boom(*args, **kwargs):
        raise SolverError("HiGHS status Unknown (forced)")

    monkeypatch.setattr(content, "stringency", boom)
    out = tmp_path / "rep"
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "zhuzhou_peak2030.yaml"
    assert main(["report", str(scenario), "--sweep", "--out", str(out)]) == 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Not computed: Target stringency" in page and "forced" in page
    assert (out / "emissions_pathway.png").exists()  # the rest of the report is there
    assert not (out / "sweep_cost.png").exists()
