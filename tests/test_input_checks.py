"""Input checking as a new user meets it: every problem in one run, numbers as Excel writes
them, free-text columns, gaps named where they are, plausibility warnings."""

from __future__ import annotations

import subprocess
import sys
import warnings

import pandas as pd
import pytest
from conftest import REPO, write_case

import planner
from planner.cli import main
from planner.data import load_dataset
from planner.errors import InputError, InputErrors, PlausibilityWarning

PROJECTS = [{"project": f"p{i}", "abatement_t_per_unit_year": 10.0 + i,
             "capex_cny_per_unit": 100.0 * (i + 1), "max_units": 4.0, "max_build_per_year": 2.0}
            for i in range(3)]


def _case(folder, **kwargs):
    kw = {"baseline": {"industry": [100.0, 100.0, 100.0]}, "projects": PROJECTS,
          "scenario": {"target": {"cap_t": 80.0}},
          "project_years": pd.DataFrame({"project": ["p0", "p1"], "year": [2021, 2022],
                                         "capex_cny_per_unit": [90.0, 150.0]})}
    kw.update(kwargs)
    return write_case(folder, **kw)


def _lines(path):
    return path.read_text(encoding="utf-8").split("\n")


def _set(path, line: int, column: str, value: str) -> None:
    """Set one cell of a CSV file written by write_case (no quoting), header = line 1."""
    lines = _lines(path)
    cols = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[cols.index(column)] = value
    lines[line - 1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_four_errors_in_three_files_in_one_run(tmp_path):
    path = _case(tmp_path)
    data = path.parent / "data"
    _set(data / "baseline.csv", 3, "emissions_t", '"1,200"')
    _set(data / "projects.csv", 2, "max_units", "１２")
    _set(data / "projects.csv", 4, "lifetime_years", "-3")
    _set(data / "project_years.csv", 3, "capex_cny_per_unit", "inf")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "planner.cli", "run", str(path), "--out",
                           str(out)], capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0] == "error: 4 problems in the input:", proc.stderr
    assert len(lines) == 5
    expected = [
        ("baseline.csv: line 3, column 'emissions_t'", "found '1,200', a number with thousands "
         "separators", "expected a finite number", "remove the thousands separators"),
        ("projects.csv: line 2, column 'max_units'", "found '１２'", "FULLWIDTH DIGIT ONE",
         "expected a number > 0 (units) in half-width", "e.g. '12'", "半角"),
        ("projects.csv: line 4, column 'lifetime_years'", "found '-3'",
         "expected a whole number of years >= 1"),
        ("project_years.csv: line 3, column 'capex_cny_per_unit'", "found 'inf'",
         "expected a number >= 0"),
    ]
    for line, parts in zip(lines[1:], expected, strict=True):
        for part in parts:
            assert part in line, (part, line)
    assert not out.exists()


def test_many_errors_are_listed_up_to_a_limit(tmp_path):
    projects = [{**PROJECTS[0], "project": f"q{i}"} for i in range(30)]
    path = _case(tmp_path, projects=projects, project_years=None)
    csv = path.parent / "data" / "projects.csv"
    for line in range(2, 32):
        _set(csv, line, "max_units", "many")
    with pytest.raises(InputErrors) as exc:
        load_dataset(csv.parent)
    assert len(exc.value.errors) == 30
    msg = str(exc.value).splitlines()
    assert msg[0] == "30 problems in the input:"
    assert len(msg) == 1 + 20 + 1 and msg[-1] == "  and 10 more"
    assert "line 2, column 'max_units': found 'many'" in msg[1]
    assert isinstance(exc.value, InputError)  # callers catching InputError still catch it


def test_thousands_separators_in_unquoted_numbers(tmp_path):
    path = _case(tmp_path)
    csv = path.parent / "data" / "projects.csv"
    lines = _lines(csv)
    cols = lines[0].split(",")
    cells = lines[2].split(",")
    cells[cols.index("capex_cny_per_unit")] = "1,250,000"
    cells[cols.index("max_units")] = "1,200"
    lines[2] = ",".join(cells)
    csv.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_dataset(csv.parent)
    msg = str(exc.value)
    assert "projects.csv: line 3: 16 fields: thousands separators split numbers" in msg
    assert "columns 'max_units' (1,200), 'capex_cny_per_unit' (1,250,000)" in msg
    assert "expected 13 fields" in msg and "remove the thousands separators" in msg


def test_fullwidth_comma_between_fields(tmp_path):
    path = _case(tmp_path)
    csv = path.parent / "data" / "baseline.csv"
    lines = _lines(csv)
    lines[1] = lines[1].replace(",", "，")
    csv.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_dataset(csv.parent)
    assert "baseline.csv: line 2: 1 fields: some are separated by full-width commas '，'" \
        in str(exc.value)


def test_free_text_columns_are_kept_and_others_refused(tmp_path):
    ref = planner.solve(planner.load_scenario(_case(tmp_path / "plain")))
    path = _case(tmp_path / "notes")
    data = path.parent / "data"
    for name, extra in (("projects.csv", {"notes": "from the 2023 plan", "备注": "试点，优先",
                                          "来源": "统计年鉴"}),
                        ("baseline.csv", {"source": "bureau"}),
                        ("project_years.csv", {"说明": "quote, with comma"})):
        df = pd.read_csv(data / name)
        for col, text in extra.items():
            df[col] = text
        df.to_csv(data / name, index=False)
    sc = planner.load_scenario(path)
    sc = sc.model_copy(update={"projects": sc.projects.model_copy(
        update={"override": {"p1": {"max_units": 3.0}}})})
    inp = planner.bind(sc)
    assert list(inp.projects["备注"]) == ["试点，优先"] * 3
    assert inp.projects.loc["p1", "max_units"] == 3.0  # an override keeps the free text
    assert inp.projects.loc["p1", "notes"] == "from the 2023 plan"
    assert list(inp.dataset.baseline["source"]) == ["bureau"] * 3
    assert list(inp.dataset.project_years["说明"]) == ["quote, with comma"] * 2
    res = planner.solve(planner.load_scenario(path))
    assert res.objective_cny == pytest.approx(ref.objective_cny, rel=1e-12)
    pd.testing.assert_frame_equal(res.deployment, ref.deployment)

    df = pd.read_csv(data / "baseline.csv")
    df["remarks"] = "x"
    df.to_csv(data / "baseline.csv", index=False)
    with pytest.raises(InputError) as exc:
        load_dataset(data)
    assert "baseline.csv: line 1, column 'remarks': unknown column" in str(exc.value)
    assert "free-text columns notes, source, 备注, 说明, 来源" in str(exc.value)


def test_baseline_gap_is_the_baseline_error(tmp_path, capsys):
    """A baseline that lacks the first years of the horizon: project_years.csv rows for those
    years are not the problem; baseline.csv is."""
    base = pd.DataFrame({"sector": "industry", "year": [2022, 2023, 2024],
                         "emissions_t": 100.0})
    path = _case(tmp_path, baseline=base, scenario={"years": {"start": 2020, "end": 2024},
                                                    "target": {"cap_t": 80.0}},
                 project_years=pd.DataFrame({"project": ["p0"], "year": [2020],
                                             "capex_cny_per_unit": [90.0]}))
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert "baseline.csv: sector 'industry': no row for year 2020 (and 1 more years)" in err
    assert "expected a row for every year 2020–2024" in err
    assert "project_years.csv" not in err


@pytest.mark.parametrize("target, fragment", [
    ({"cap_t": 2.0e6}, "key 'target.cap_t': 2 Mt is 5% of the start year's BAU (2020) (40 Mt); "
                       "did you mean t rather than kt or Mt?"),
    ({"cap_path_t": {2022: 3.0e4}}, "key 'target.cap_path_t.2022': 30 kt is 0% of"),
    ({"cap_t": 4.0e9}, "4,000 Mt is 100 times the start year's BAU (2020) (40 Mt), so it "
                       "never binds"),
])
def test_unit_slip_in_a_cap_is_a_warning(tmp_path, target, fragment):
    path = _case(tmp_path, baseline={"industry": [4.0e7] * 3}, scenario={"target": target})
    sc = planner.load_scenario(path)
    with pytest.warns(PlausibilityWarning) as rec:
        load_dataset(sc.data, sc)
    messages = [str(w.message) for w in rec]
    assert len(messages) == 1 and fragment in messages[0], messages
    assert str(path) in messages[0]


def test_plausible_inputs_give_no_warning(tmp_path):
    path = _case(tmp_path, baseline={"industry": [4.0e7] * 3},
                 scenario={"target": {"cap_t": 3.8e7}})
    sc = planner.load_scenario(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PlausibilityWarning)
        load_dataset(sc.data, sc)


def test_totals_outside_any_city_are_a_warning(tmp_path, capsys):
    path = _case(tmp_path, baseline={"industry": [4.0e10] * 3}, scenario={"target": {}})
    with warnings.catch_warnings():
        warnings.simplefilter("always", PlausibilityWarning)
        assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "total BAU emissions in 2020 are 40,000 Mt, above any " \
        "city's (10 kt to 1,000 Mt a year)" in err, err
    assert "Traceback" not in err


def test_every_problem_of_a_scenario_file_in_one_run(tmp_path, capsys):
    peak = REPO / "scenarios" / "zhuzhou_peak2025.yaml"
    sc = tmp_path / "bad.yaml"
    sc.write_text(f"extends: {peak}\nname: bad\ndiscount_rat: 0.05\n"
                  "target: {peak_yaer: 2025, cap_t: lots}\nsolver: {time_limit_s: -1}\n",
                  encoding="utf-8")
    assert main(["run", str(sc), "--out", str(tmp_path / "out")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0] == "error: 4 problems in the input:"
    text = "\n".join(lines)
    for part in ("key 'target.peak_yaer': unknown key", "did you mean 'peak_year'?",
                 "key 'discount_rat': unknown key", "key 'target.cap_t': found 'lots'",
                 "key 'solver.time_limit_s': found -1"):
        assert part in text, part
    assert "missing" not in text  # discount_rate comes from the parent; peak_year is misspelt
