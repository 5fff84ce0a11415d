"""Region scenarios: reading, strict keys, and data errors that name the region."""

from __future__ import annotations

import pytest
import yaml

from planner.cli import main
from planner.errors import InputError
from planner.regions import is_region_scenario, load_regions
from tests.conftest import REPO
from tests.regions_cases import hand_case

pytestmark = pytest.mark.filterwarnings("ignore::planner.errors.PlausibilityWarning")


def _exit2(path, capsys, *needles):
    code = main(["run", str(path), "--out", str(path.parent / "out")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    for n in needles:
        assert n in err, (n, err)
    return err


def test_a_region_scenario_is_recognised_and_a_city_scenario_is_not():
    assert is_region_scenario(REPO / "scenarios" / "changzhutan_joint_transfers.yaml")
    assert not is_region_scenario(REPO / "scenarios" / "zhuzhou_peak2025.yaml")


def test_bundled_region_scenario_loads_with_shared_projects():
    rg = load_regions(REPO / "scenarios" / "changzhutan_joint_peak2025.yaml")
    assert rg.names == ["changsha", "zhuzhou", "xiangtan"]
    assert rg.shared is not None
    assert rg.shared.abatement_key.sum(axis=1).tolist() == pytest.approx([1.0, 1.0])
    assert rg.cities["xiangtan"].target.intensity[0].reduction == 0.19
    assert rg.scenario.transfer_limit == 0.2


def test_data_error_names_region_file_and_line(tmp_path, capsys):
    path = hand_case(tmp_path)
    p = tmp_path / "b" / "projects.csv"
    text = p.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",300.0,", ",lots,")
    p.write_text("\n".join(text) + "\n", encoding="utf-8")
    err = _exit2(path, capsys, "region 'b'", str(p), "line 2", "capex_cny_per_unit")
    assert "region 'a'" not in err


def test_region_without_projects(tmp_path, capsys):
    path = hand_case(tmp_path)
    p = tmp_path / "a" / "projects.csv"
    p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    _exit2(path, capsys, "region 'a'", "projects.csv", "no data rows")
    p.unlink()
    _exit2(path, capsys, "region 'a'", "projects.csv", "not found")


def test_shared_key_not_summing_to_one(tmp_path, capsys):
    path = hand_case(tmp_path, shared_projects="shared_projects.csv")
    (tmp_path / "shared_projects.csv").write_text(
        "project,name,measure,sector,unit,max_units,max_build_per_year,earliest_year,"
        "lifetime_years,capex_cny_per_unit,fixed_om_cny_per_unit_year,"
        "savings_cny_per_unit_year,abatement_t_per_unit_year\n"
        "link,link,m1,industry,unit,10,10,2025,1,50,0,0,1\n", encoding="utf-8")
    keys = tmp_path / "shared_project_keys.csv"
    keys.write_text("project,region,abatement_share,cost_share\n"
                    "link,a,0.5,0.5\nlink,b,0.4,0.5\n", encoding="utf-8")
    _exit2(path, capsys, str(keys), "lines 2, 3", "abatement_share", "adds up to 0.9")
    keys.write_text("project,region,abatement_share,cost_share\n"
                    "link,a,0.5,0.5\nlink,c,0.5,0.5\n", encoding="utf-8")
    _exit2(path, capsys, str(keys), "line 3", "'c'")


def test_shared_project_cheapens_the_joint_plan(tmp_path):
    from planner.analysis.agglomeration import agglomeration
    from planner.model.regional import bind_regions

    path = hand_case(tmp_path, shared_projects="shared_projects.csv")
    (tmp_path / "shared_projects.csv").write_text(
        "project,name,measure,sector,unit,max_units,max_build_per_year,earliest_year,"
        "lifetime_years,capex_cny_per_unit,fixed_om_cny_per_unit_year,"
        "savings_cny_per_unit_year,abatement_t_per_unit_year\n"
        "link,link,m1,industry,unit,2,2,2025,1,50,0,0,2\n", encoding="utf-8")
    (tmp_path / "shared_project_keys.csv").write_text(
        "project,region,abatement_share,cost_share\nlink,a,0.5,0.25\nlink,b,0.5,0.75\n",
        encoding="utf-8")
    ag = agglomeration(bind_regions(load_regions(path)))
    # the link abates 4 t (2 t per city) for 100 CNY in all: 25 CNY/t; A does the other 4 t
    assert ag.joint.total_cost_cny == pytest.approx(100.0 + 400.0)
    run = ag.scenario_run
    assert run.cost_cny == pytest.approx([25.0 + 400.0, 75.0])
    assert run.emissions_t[:, 0].sum() == pytest.approx(192.0)


def test_differing_year_ranges(tmp_path, capsys):
    path = hand_case(tmp_path)
    p = tmp_path / "b" / "baseline.csv"
    p.write_text("sector,year,emissions_t\nindustry,2025,100\nindustry,2026,101\n",
                 encoding="utf-8")
    _exit2(path, capsys, "region 'b'", str(p), "years 2025–2026", "region 'a' has 2025")


def test_unknown_keys_and_bad_rule(tmp_path, capsys):
    path = hand_case(tmp_path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["allocation"] = "equal_efort"
    doc["target"]["joint"]["cap"] = 1.0
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    _exit2(path, capsys, "key 'allocation'", "equal_effort", "key 'target.joint.cap'",
           "did you mean 'cap_t'?")


def test_by_region_names_a_region_and_keys_are_strict(tmp_path, capsys):
    path = hand_case(tmp_path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["target"]["by_region"] = {"c": {"cap_t": 1.0}}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    _exit2(path, capsys, "'c'", "not one of the regions")
    doc["target"]["by_region"] = {"a": {"peak_year": 2040}}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    _exit2(path, capsys, "region 'a'", "target.by_region.a.peak_year")


def test_missing_region_folder(tmp_path):
    path = hand_case(tmp_path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["regions"]["b"] = "nowhere"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match="key 'regions.b'"):
        load_regions(path)


def test_one_region_is_not_enough(tmp_path):
    path = hand_case(tmp_path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    del doc["regions"]["b"]
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match="at least two"):
        load_regions(path)


def test_compare_lists_the_rules_side_by_side(tmp_path, capsys):
    path = hand_case(tmp_path)
    assert main(["compare", str(path), "--out", str(tmp_path / "cmp")]) == 0
    out = capsys.readouterr().out
    assert "equal effort" in out and "least cost" in out
    import pandas as pd

    rules = pd.read_csv(tmp_path / "cmp" / "rules.csv")
    assert set(rules["rule"]) == {"equal_effort", "grandfathering", "per_capita",
                                  "gdp_capacity", "intensity", "least_cost"}
    ee = rules.set_index("rule").loc["equal_effort"]
    assert ee["autarky_cost_cny"] == pytest.approx(1600.0)
    assert ee["cost_with_transfers_cny"] == pytest.approx(800.0)
