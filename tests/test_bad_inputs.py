"""The bad-input corpus (issue 7): every malformed input ends `planner run` with exit code 2
and ONE message naming the file, the place (line/column or YAML key path), the value found
and what was expected — and nothing is solved or written.

Each case copies the bundled Zhuzhou dataset and two scenarios into a fresh folder, applies
one mutation and runs the CLI in-process. The folder layout mirrors the repository:

    <ws>/data/zhuzhou/{baseline,projects,project_years,indicators}.csv
    <ws>/scenarios/{zhuzhou_bau,zhuzhou_peak2025}.yaml   (peak2025 extends bau)
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from planner.cli import main

REPO = Path(__file__).resolve().parents[1]
DATA = Path("data/zhuzhou")
BAU = Path("scenarios/zhuzhou_bau.yaml")
PEAK = Path("scenarios/zhuzhou_peak2025.yaml")
DELETE = object()  # yaml_update: remove this key


def make_workspace(ws: Path) -> Path:
    shutil.copytree(REPO / DATA, ws / DATA)
    (ws / "scenarios").mkdir()
    for sc in (BAU, PEAK):
        shutil.copy(REPO / sc, ws / sc)
    return ws


# ---------------------------------------------------------------- mutation helpers --------

def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(file: str, line: int, column: str, value: str) -> Callable[[Path], None]:
    """Set one cell; `line` counts the header as line 1."""
    def mutate(ws: Path) -> None:
        p = ws / DATA / file
        rows = read_rows(p)
        rows[line - 1][rows[0].index(column)] = value
        write_rows(p, rows)
    return mutate


def drop_column(file: str, column: str) -> Callable[[Path], None]:
    def mutate(ws: Path) -> None:
        p = ws / DATA / file
        rows = read_rows(p)
        i = rows[0].index(column)
        write_rows(p, [r[:i] + r[i + 1:] for r in rows])
    return mutate


def rename_column(file: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(ws: Path) -> None:
        p = ws / DATA / file
        rows = read_rows(p)
        rows[0][rows[0].index(old)] = new
        write_rows(p, rows)
    return mutate


def add_column(file: str, column: str, value: str) -> Callable[[Path], None]:
    def mutate(ws: Path) -> None:
        p = ws / DATA / file
        rows = read_rows(p)
        write_rows(p, [rows[0] + [column]] + [r + [value] for r in rows[1:]])
    return mutate


def drop_rows(file: str, **match: str) -> Callable[[Path], None]:
    """Remove every data row whose cells equal all of `match` (column=value)."""
    def mutate(ws: Path) -> None:
        p = ws / DATA / file
        rows = read_rows(p)
        idx = {c: rows[0].index(c) for c in match}
        keep = [rows[0]] + [r for r in rows[1:]
                            if not all(r[idx[c]] == v for c, v in match.items())]
        assert len(keep) < len(rows), f"no row of {file} matches {match}"
        write_rows(p, keep)
    return mutate


def append_row(file: str, copy_line: int, **changes: str) -> Callable[[Path], None]:
    """Append a copy of line `copy_line` (header = 1) with some cells changed."""
    def mutate(ws: Path) -> None:
        p = ws / DATA / file
        rows = read_rows(p)
        new = list(rows[copy_line - 1])
        for c, v in changes.items():
            new[rows[0].index(c)] = v
        write_rows(p, [*rows, new])
    return mutate


def edit_line(file: str, line: int, edit: Callable[[str], str]) -> Callable[[Path], None]:
    """Apply a text edit to one raw line of a CSV file (header = 1)."""
    def mutate(ws: Path) -> None:
        p = ws / DATA / file
        lines = p.read_text(encoding="utf-8").split("\n")
        lines[line - 1] = edit(lines[line - 1])
        p.write_text("\n".join(lines), encoding="utf-8")
    return mutate


def replace_bytes(file: str, fn: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def mutate(ws: Path) -> None:
        p = ws / DATA / file
        p.write_bytes(fn(p.read_bytes()))
    return mutate


def remove(rel: str | Path) -> Callable[[Path], None]:
    def mutate(ws: Path) -> None:
        (ws / rel).unlink()
    return mutate


def _merge(doc: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(doc)
    for k, v in over.items():
        if v is DELETE:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def yaml_update(over: dict[str, Any], file: Path = PEAK) -> Callable[[Path], None]:
    """Deep-merge `over` into a scenario file (DELETE removes a key)."""
    def mutate(ws: Path) -> None:
        p = ws / file
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
        p.write_text(yaml.safe_dump(_merge(doc, over), allow_unicode=True, sort_keys=False),
                     encoding="utf-8")
    return mutate


def yaml_text(text: str, file: Path = PEAK) -> Callable[[Path], None]:
    def mutate(ws: Path) -> None:
        (ws / file).write_text(text, encoding="utf-8")
    return mutate


def both(*mutations: Callable[[Path], None]) -> Callable[[Path], None]:
    def mutate(ws: Path) -> None:
        for m in mutations:
            m(ws)
    return mutate


# ---------------------------------------------------------------- the corpus --------------

@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    expect: tuple[str, ...]  # substrings of the message: file, place, value, expectation
    scenario: str = str(PEAK)  # the scenario argument, relative to the workspace
    problems: int = 1  # distinct problems the mutation makes (all named in one message)


INTENSITY = {"base_year": 2020, "year": 2030, "reduction": 0.2}
CHILD = "extends: zhuzhou_bau.yaml\nname: Zhuzhou — peak by 2025\n"

CASES = [
    # --- CSV: files -----------------------------------------------------------------------
    Case("missing_projects_file", remove(DATA / "projects.csv"),
         ("projects.csv", "not found", "expected a CSV file with columns project, name")),
    Case("missing_baseline_file", remove(DATA / "baseline.csv"),
         ("baseline.csv", "not found", "expected a CSV file with columns sector, year")),
    Case("empty_file", replace_bytes("projects.csv", lambda b: b""),
         ("projects.csv", "file", "the file is empty", "expected a header row")),
    Case("blank_lines_only", replace_bytes("baseline.csv", lambda b: b"\n \n\n"),
         ("baseline.csv", "the file is empty", "expected a header row")),
    Case("header_only", replace_bytes("projects.csv", lambda b: b.split(b"\n")[0] + b"\n"),
         ("projects.csv", "no data rows", "expected at least one row")),
    Case("semicolon_delimiter", replace_bytes("projects.csv", lambda b: b.replace(b",", b";")),
         ("projects.csv", "line 1", "separated by semicolons", "expected commas")),
    Case("tab_delimiter", replace_bytes("baseline.csv", lambda b: b.replace(b",", b"\t")),
         ("baseline.csv", "line 1", "separated by tabs", "expected commas")),
    Case("undecodable_bytes", replace_bytes("projects.csv", lambda b: b"\n".join(
        [*b.split(b"\n")[:2], b.split(b"\n")[2] + b"\xff", *b.split(b"\n")[3:]])),
         ("projects.csv", "line 3", "byte 0xff is neither UTF-8 nor GBK/GB18030",
          "expected UTF-8 (or GBK) text", "Excel: 'CSV UTF-8'")),
    Case("fullwidth_delimiter", replace_bytes("baseline.csv",
                                              lambda b: b.replace(b",", "，".encode())),
         ("baseline.csv", "line 1", "separated by full-width commas '，'", "expected commas",
          "half-width (半角)")),
    Case("fullwidth_comma_in_row", edit_line("baseline.csv", 5, lambda s: s.replace(",", "，", 1)),
         ("baseline.csv", "line 5", "2 fields: some are separated by full-width commas '，'",
          "expected 3 fields separated by commas", "half-width (半角)")),
    Case("fullwidth_digits", set_cell("projects.csv", 3, "max_units", "１，２００"),
         ("projects.csv", "line 3, column 'max_units'", "FULLWIDTH COMMA",
          "FULLWIDTH DIGIT ONE", "expected a number > 0 (units) in half-width",
          "e.g. '1200'", "half-width (半角)")),
    Case("thousands_separator_quoted", set_cell("projects.csv", 4, "capex_cny_per_unit",
                                                "1,200,000"),
         ("projects.csv", "line 4, column 'capex_cny_per_unit'",
          "found '1,200,000', a number with thousands separators", "expected a number >= 0",
          "remove the thousands separators")),
    Case("thousands_separator_unquoted",
         edit_line("baseline.csv", 6, lambda s: s.rsplit(",", 1)[0] + ",1,234,567"),
         ("baseline.csv", "line 6", "thousands separators split numbers",
          "column 'emissions_t' (1,234,567)", "expected 3 fields", "e.g. 1200")),
    Case("ragged_row_long", edit_line("projects.csv", 4, lambda s: s + ",extra"),
         ("projects.csv", "line 4", "18 fields", "expected 17 fields")),
    Case("ragged_row_short", edit_line("baseline.csv", 7, lambda s: s.rsplit(",", 1)[0]),
         ("baseline.csv", "line 7", "2 fields", "expected 3 fields")),
    # --- CSV: columns ---------------------------------------------------------------------
    Case("missing_column", drop_column("projects.csv", "lifetime_years"),
         ("projects.csv", "line 1", "column 'lifetime_years' is missing", "expected columns")),
    Case("misspelt_column", rename_column("projects.csv", "max_units", "max_unit"),
         ("projects.csv", "line 1, column 'max_unit'", "unknown column", "expected columns",
          "did you mean 'max_units'?")),
    Case("extra_unknown_column", add_column("baseline.csv", "comment", "x"),
         ("baseline.csv", "line 1, column 'comment'", "unknown column",
          "expected columns among sector, year, emissions_t")),
    Case("duplicate_column", add_column("indicators.csv", "gdp_cny", "1"),
         ("indicators.csv", "line 1", "column 'gdp_cny' appears twice", "expected each column")),
    Case("project_years_unknown_column",
         rename_column("project_years.csv", "abatement_t_per_unit_year", "abatement_t"),
         ("project_years.csv", "line 1, column 'abatement_t'", "unknown column",
          "did you mean 'abatement_t_per_unit_year'?")),
    # --- CSV: cells -----------------------------------------------------------------------
    Case("empty_number_cell", set_cell("projects.csv", 3, "capex_cny_per_unit", ""),
         ("projects.csv", "line 3, column 'capex_cny_per_unit'", "empty cell",
          "expected a number >= 0")),
    Case("empty_text_cell", set_cell("baseline.csv", 20, "sector", ""),
         ("baseline.csv", "line 20, column 'sector'", "empty cell", "expected a sector id")),
    Case("text_in_number", set_cell("projects.csv", 5, "max_units", "lots"),
         ("projects.csv", "line 5, column 'max_units'", "found 'lots'",
          "expected a number > 0")),
    Case("number_with_unit", set_cell("baseline.csv", 40, "emissions_t", "4.5e6 t"),
         ("baseline.csv", "line 40, column 'emissions_t'", "found '4.5e6 t'",
          "expected a finite number")),
    Case("nan", set_cell("projects.csv", 6, "abatement_t_per_unit_year", "nan"),
         ("projects.csv", "line 6, column 'abatement_t_per_unit_year'", "found 'nan'",
          "expected a number > 0")),
    Case("NaN_baseline", set_cell("baseline.csv", 10, "emissions_t", "NaN"),
         ("baseline.csv", "line 10, column 'emissions_t'", "found 'NaN'",
          "expected a finite number")),
    Case("inf", set_cell("project_years.csv", 9, "capex_cny_per_unit", "inf"),
         ("project_years.csv", "line 9, column 'capex_cny_per_unit'", "found 'inf'",
          "expected a number >= 0")),
    Case("zero_max_units", set_cell("projects.csv", 2, "max_units", "0"),
         ("projects.csv", "line 2, column 'max_units'", "found '0'", "expected a number > 0")),
    Case("negative_max_build", set_cell("projects.csv", 7, "max_build_per_year", "-10"),
         ("projects.csv", "line 7, column 'max_build_per_year'", "found '-10'",
          "expected a number > 0")),
    Case("zero_lifetime", set_cell("projects.csv", 8, "lifetime_years", "0"),
         ("projects.csv", "line 8, column 'lifetime_years'", "found '0'",
          "expected a whole number of years >= 1")),
    Case("fractional_lifetime", set_cell("projects.csv", 8, "lifetime_years", "12.5"),
         ("projects.csv", "line 8, column 'lifetime_years'", "found '12.5'",
          "expected a whole number of years >= 1")),
    Case("negative_abatement", set_cell("projects.csv", 9, "abatement_t_per_unit_year", "-7"),
         ("projects.csv", "line 9, column 'abatement_t_per_unit_year'", "found '-7'",
          "expected a number > 0")),
    Case("zero_abatement", set_cell("projects.csv", 10, "abatement_t_per_unit_year", "0"),
         ("projects.csv", "line 10, column 'abatement_t_per_unit_year'", "found '0'",
          "expected a number > 0")),
    Case("negative_capex_project_years", set_cell("project_years.csv", 3,
                                                  "capex_cny_per_unit", "-1"),
         ("project_years.csv", "line 3, column 'capex_cny_per_unit'", "found '-1'",
          "expected a number >= 0")),
    Case("non_integer_year", set_cell("baseline.csv", 2, "year", "2020.5"),
         ("baseline.csv", "line 2, column 'year'", "found '2020.5'", "expected a whole year")),
    Case("text_year", set_cell("projects.csv", 4, "earliest_year", "soon"),
         ("projects.csv", "line 4, column 'earliest_year'", "found 'soon'",
          "expected a whole year")),
    Case("indicators_zero_gdp", set_cell("indicators.csv", 5, "gdp_cny", "0"),
         ("indicators.csv", "line 5, column 'gdp_cny'", "found '0'", "expected a number > 0")),
    Case("indicators_negative_population", set_cell("indicators.csv", 6, "population", "-3"),
         ("indicators.csv", "line 6, column 'population'", "found '-3'",
          "expected a number > 0")),
    # --- CSV: ids and references ----------------------------------------------------------
    Case("duplicate_project", append_row("projects.csv", 5),
         ("projects.csv", "line 11", "duplicate project id", "'rooftop_pv'",
          "expected each project id once (first given on line 5)")),
    Case("duplicate_baseline_sector_year", append_row("baseline.csv", 20, emissions_t="1"),
         ("baseline.csv", "line 82", "duplicate sector and year", "sector='industry'",
          "year=2022", "first given on line 20")),
    Case("duplicate_project_years", append_row("project_years.csv", 4),
         ("project_years.csv", "line 82", "duplicate project and year",
          "project='industrial_motor_upgrade'", "year=2022", "first given on line 4")),
    Case("duplicate_indicator_year", append_row("indicators.csv", 3),
         ("indicators.csv", "line 18", "duplicate year", "year=2021", "first given on line 3")),
    Case("unknown_sector", set_cell("projects.csv", 3, "sector", "industy"),
         ("projects.csv", "line 3, column 'sector'", "found 'industy'", "not in baseline.csv",
          "expected one of", "did you mean 'industry'?")),
    Case("unknown_project_in_project_years",
         set_cell("project_years.csv", 20, "project", "rooftop_pv2"),
         ("project_years.csv", "line 20, column 'project'", "found 'rooftop_pv2'",
          "not in projects.csv", "expected one of", "did you mean 'rooftop_pv'?")),
    Case("project_years_year_outside_dataset", set_cell("project_years.csv", 10, "year", "2041"),
         ("project_years.csv", "line 10, column 'year'", "found 2041",
          "not in the years of baseline.csv", "expected one of 2020")),
    Case("baseline_year_missing", drop_rows("baseline.csv", sector="transport", year="2030"),
         ("baseline.csv", "sector 'transport'", "no row for year 2030",
          "expected a row for every year 2020–2035")),
    Case("baseline_shorter_than_horizon", yaml_update({"years": {"start": 2020, "end": 2040}}),
         ("baseline.csv", "sector 'power_heat' (and 4 more sectors)",
          "no row for year 2036 (and 4 more years)", "expected a row for every year 2020–2040",
          "indicators.csv: column 'year': no row for year 2036"), problems=2),
    Case("indicators_year_missing", drop_rows("indicators.csv", year="2027"),
         ("indicators.csv", "column 'year'", "no row for year 2027",
          "expected a row for every year 2020–2035")),
    # --- YAML: syntax and structure -------------------------------------------------------
    Case("scenario_file_missing", lambda ws: None,
         ("zhuzhou_peak2050.yaml", "scenario file not found", "expected a YAML scenario file"),
         scenario="scenarios/zhuzhou_peak2050.yaml"),
    Case("yaml_syntax_error", yaml_text(CHILD + "target: {peak_year: 2025, cap_t: 4.16e7\n"),
         ("zhuzhou_peak2025.yaml", "line 4, column 1", "YAML syntax error",
          "expected valid YAML")),
    Case("yaml_bad_indentation", yaml_text(CHILD + "target:\n  peak_year: 2025\n cap_t: 1\n"),
         ("zhuzhou_peak2025.yaml", "line 5", "YAML syntax error", "expected valid YAML")),
    Case("yaml_not_a_mapping", yaml_text("- name: a\n- data: b\n"),
         ("zhuzhou_peak2025.yaml", "top level", "found a list", "expected a mapping")),
    Case("yaml_undecodable_bytes", lambda ws: (ws / PEAK).write_bytes(
        "extends: zhuzhou_bau.yaml\nname: 株洲达峰\n".encode("gbk") + b"\xff\n"),
         ("zhuzhou_peak2025.yaml", "line 3", "byte 0xff is neither UTF-8 nor GBK/GB18030",
          "expected a UTF-8 (or GBK) YAML file")),
    Case("yaml_empty", yaml_text(""),
         ("zhuzhou_peak2025.yaml", "the file is empty", "expected a YAML mapping")),
    Case("duplicate_yaml_key", yaml_text(CHILD + "target:\n  peak_year: 2025\n"
                                         "  peak_year: 2030\n"),
         ("zhuzhou_peak2025.yaml", "line 5, column 3", "duplicate key 'peak_year'",
          "expected each key once")),
    Case("duplicate_top_level_key", yaml_text(CHILD + "name: again\n"),
         ("zhuzhou_peak2025.yaml", "line 3, column 1", "duplicate key 'name'",
          "expected each key once")),
    # --- YAML: keys -----------------------------------------------------------------------
    Case("unknown_top_level_key", yaml_update({"discount_rat": 0.05}),
         ("zhuzhou_peak2025.yaml", "key 'discount_rat'", "unknown key", "expected one of name",
          "did you mean 'discount_rate'?")),
    Case("unknown_key_target_cap", yaml_update({"target": {"cap": 4e7}}),
         ("zhuzhou_peak2025.yaml", "key 'target.cap'", "unknown key",
          "expected one of scope, peak_form, decline_after_peak, peak_year, cap_t",
          "did you mean 'cap_t'?")),
    Case("unknown_key_years_strat", yaml_text("name: x\ndata: ../data/zhuzhou\n"
                                              "years: {strat: 2020, end: 2035}\n"
                                              "discount_rate: 0.08\n"),
         ("zhuzhou_peak2025.yaml", "key 'years.strat'", "unknown key",
          "expected one of start, end", "did you mean 'start'?")),
    Case("unknown_key_in_parent", yaml_update({"budget": {"max_investment_cny_per_yr": 1e9}},
                                              BAU),
         ("zhuzhou_bau.yaml", "key 'budget.max_investment_cny_per_yr'", "unknown key",
          "did you mean 'max_investment_cny_per_year'?")),
    Case("override_unknown_column",
         yaml_update({"projects": {"override": {"rooftop_pv": {"bogus_column": 1}}}}),
         ("zhuzhou_peak2025.yaml", "key 'projects.override.rooftop_pv.bogus_column'",
          "unknown column", "expected one of name, measure")),
    Case("override_misspelt_column",
         yaml_update({"projects": {"override": {"rooftop_pv": {"max_unit": 100}}}}, BAU),
         ("zhuzhou_bau.yaml", "key 'projects.override.rooftop_pv.max_unit'", "unknown column",
          "did you mean 'max_units'?")),
    Case("missing_required_key", yaml_update({"discount_rate": DELETE}, BAU),
         ("zhuzhou_peak2025.yaml", "key 'discount_rate'", "missing",
          "expected this key to be given")),
    # --- YAML: types and values -----------------------------------------------------------
    Case("discount_rate_text", yaml_update({"discount_rate": "eight"}),
         ("zhuzhou_peak2025.yaml", "key 'discount_rate'", "found 'eight'",
          "expected a real rate between 0 and 1")),
    Case("discount_rate_out_of_range", yaml_update({"discount_rate": 8}),
         ("zhuzhou_peak2025.yaml", "key 'discount_rate'", "found 8",
          "expected a real rate between 0 and 1")),
    Case("fractional_start_year", yaml_update({"years": {"start": 2020.5}}),
         ("zhuzhou_peak2025.yaml", "key 'years.start'", "found 2020.5", "expected a whole year")),
    Case("end_before_start", yaml_update({"years": {"start": 2030, "end": 2025}}),
         ("zhuzhou_peak2025.yaml", "key 'years'", "end (2025) is before start (2030)",
          "expected")),
    Case("target_not_a_mapping", yaml_update({"target": 2025}),
         ("zhuzhou_peak2025.yaml", "key 'target'", "found 2025", "expected a mapping")),
    Case("cap_path_year_not_a_year", yaml_update({"target": {"cap_path_t": {"2030a": 4e7}}}),
         ("zhuzhou_peak2025.yaml", "key 'target.cap_path_t", "found '2030a'", "expected")),
    Case("cap_yes_no", yaml_text(CHILD + "target:\n  cap_t: yes\n"),
         ("zhuzhou_peak2025.yaml", "key 'target.cap_t'", "found True", "yes/no",
          "expected a number of tonnes of CO2")),
    Case("cap_nan", yaml_update({"target": {"cap_t": float("nan")}}),
         ("zhuzhou_peak2025.yaml", "key 'target.cap_t'", "found nan",
          "expected a number of tonnes of CO2")),
    Case("peak_year_after_end", yaml_update({"target": {"peak_year": 2040}}),
         ("zhuzhou_peak2025.yaml", "key 'target.peak_year'", "found 2040",
          "expected a year from 2020 to 2035")),
    Case("peak_year_in_parent_outside_horizon",
         both(yaml_update({"target": {"peak_year": 2019}}, BAU),
              yaml_update({"target": {"peak_year": DELETE}})),
         ("zhuzhou_bau.yaml", "key 'target.peak_year'", "found 2019",
          "expected a year from 2020 to 2035")),
    Case("cap_path_year_outside_horizon", yaml_update({"target": {"cap_path_t": {2040: 3e7}}}),
         ("zhuzhou_peak2025.yaml", "key 'target.cap_path_t.2040'", "year 2040",
          "expected a year from 2020 to 2035")),
    Case("intensity_year_outside_horizon",
         yaml_update({"target": {"intensity": {**INTENSITY, "year": 2045}}}),
         ("zhuzhou_peak2025.yaml", "key 'target.intensity.0.year'", "year 2045",
          "expected a year from 2020 to 2035")),
    Case("sector_cap_year_outside_horizon",
         yaml_update({"target": {"sector_cap_t": {"industry": {2019: 2e7}}}}),
         ("zhuzhou_peak2025.yaml", "key 'target.sector_cap_t.industry.2019'", "year 2019",
          "expected a year from 2020 to 2035")),
    # --- YAML: extends and data paths -----------------------------------------------------
    Case("extends_cycle", yaml_update({"extends": "zhuzhou_peak2025.yaml"}, BAU),
         ("zhuzhou_bau.yaml", "key 'extends'",
          "zhuzhou_peak2025.yaml -> zhuzhou_bau.yaml -> zhuzhou_peak2025.yaml",
          "expected a chain of scenarios that ends")),
    Case("extends_itself", yaml_update({"extends": "zhuzhou_peak2025.yaml"}),
         ("zhuzhou_peak2025.yaml", "key 'extends'", "extends cycle",
          "expected a chain of scenarios that ends")),
    Case("extends_missing_target", yaml_update({"extends": "zhuzhou_bua.yaml"}),
         ("zhuzhou_peak2025.yaml", "key 'extends'", "'zhuzhou_bua.yaml' not found",
          "expected an existing scenario file", "did you mean 'zhuzhou_bau.yaml'?")),
    Case("data_path_relative_to_cwd", yaml_update({"data": "data/zhuzhou"}),
         ("zhuzhou_peak2025.yaml", "key 'data'", "found 'data/zhuzhou'", "not found",
          "expected a dataset folder, relative to the scenario file")),
    Case("data_path_empty", yaml_update({"data": ""}, BAU),
         ("zhuzhou_bau.yaml", "key 'data'", "found ''", "expected a dataset folder")),
    Case("data_path_is_a_file", yaml_update({"data": "../data/zhuzhou/projects.csv"}),
         ("zhuzhou_peak2025.yaml", "key 'data'", "found '../data/zhuzhou/projects.csv'",
          "is not a folder", "expected a dataset folder")),
    Case("data_path_misspelt_in_parent", yaml_update({"data": "../data/zhuzho"}, BAU),
         ("zhuzhou_bau.yaml", "key 'data'", "found '../data/zhuzho'", "not found",
          "expected a dataset folder")),
    # --- YAML against the dataset ---------------------------------------------------------
    Case("exclude_unknown_project", yaml_update({"projects": {"exclude": ["rooftop_vp"]}}),
         ("zhuzhou_peak2025.yaml", "key 'projects.exclude.0'", "unknown project 'rooftop_vp'",
          "expected a project id of projects.csv", "did you mean 'rooftop_pv'?")),
    Case("override_unknown_project",
         yaml_update({"projects": {"override": {"electric_buses": {"max_units": 10}}}}),
         ("zhuzhou_peak2025.yaml", "key 'projects.override.electric_buses'",
          "unknown project 'electric_buses'", "expected a project id of projects.csv",
          "did you mean 'electric_bus'?")),
    Case("override_negative_max_units",
         yaml_update({"projects": {"override": {"rooftop_pv": {"max_units": -5}}}}),
         ("zhuzhou_peak2025.yaml", "key 'projects.override.rooftop_pv.max_units'", "found -5",
          "expected a number > 0")),
    Case("override_yes_no", yaml_text(CHILD + "projects:\n  override:\n"
                                      "    rooftop_pv: {max_units: yes}\n"),
         ("zhuzhou_peak2025.yaml", "key 'projects.override.rooftop_pv.max_units'",
          "found True", "expected a number > 0")),
    Case("exclude_every_project", lambda ws: yaml_update(
        {"projects": {"exclude": [r[0] for r in read_rows(ws / DATA / "projects.csv")[1:]]}})(ws),
         ("zhuzhou_peak2025.yaml", "key 'projects.exclude'", "excludes all 9 projects",
          "expected at least one project")),
    Case("override_text_lifetime",
         yaml_update({"projects": {"override": {"electric_bus": {"lifetime_years": "ten"}}}}),
         ("zhuzhou_peak2025.yaml", "key 'projects.override.electric_bus.lifetime_years'",
          "found 'ten'", "expected a whole number of years >= 1")),
    Case("intensity_without_indicators",
         both(remove(DATA / "indicators.csv"),
              yaml_update({"target": {"intensity": INTENSITY}})),
         ("zhuzhou_peak2025.yaml", "key 'target.intensity'", "needs GDP and population",
          "expected an indicators.csv file")),
    Case("sector_cap_unknown_sector",
         yaml_update({"target": {"sector_cap_t": {"industy": {2030: 2e7}}}}),
         ("zhuzhou_peak2025.yaml", "key 'target.sector_cap_t.industy'", "unknown sector 'industy'",
          "expected a sector of baseline.csv", "did you mean 'industry'?")),
]


def _check_message(err: str, out_dir: Path, case: Case) -> None:
    lines = err.strip().splitlines()
    if case.problems == 1:
        assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    else:  # one message: a heading line, then one line per problem
        assert lines[0] == f"error: {case.problems} problems in the input:", err
        assert len(lines) == case.problems + 1, err
    msg = " ".join(lines)
    assert msg.startswith("error: "), msg
    assert "Traceback" not in err
    assert "expected" in msg, msg
    for s in case.expect:
        assert s in msg, f"{s!r} not in message:\n{msg}"
    assert not out_dir.exists(), "an output folder was written for bad input"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path, monkeypatch, capsys):
    ws = make_workspace(tmp_path / "ws")
    case.mutate(ws)
    monkeypatch.chdir(ws)
    out = tmp_path / "out"
    code = main(["run", case.scenario, "--out", str(out)])
    cap = capsys.readouterr()
    assert code == 2, cap.err
    assert cap.out == ""
    _check_message(cap.err, out, case)
    assert not (ws / "results").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["ws"]  # no partial output folder either


def test_corpus_size_and_unique_ids():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


BY_ID = {c.id: c for c in CASES}


@pytest.mark.parametrize("case_id", ["override_negative_max_units", "undecodable_bytes"])
def test_subprocess_exit_code_and_no_traceback(case_id, tmp_path):
    """The real process: exit status 2, one line on stderr, no traceback."""
    case = BY_ID[case_id]
    ws = make_workspace(tmp_path / "ws")
    case.mutate(ws)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "planner.cli", "run", case.scenario,
                           "--out", str(out)], cwd=ws, capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    _check_message(proc.stderr, out, case)


def test_relative_paths_from_another_cwd(tmp_path, monkeypatch, capsys):
    """`data:` is relative to the scenario file, whatever the working directory: running the
    bundled layout from an unrelated folder works."""
    ws = make_workspace(tmp_path / "ws")
    elsewhere = tmp_path / "elsewhere" / "deeper"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    scenario = os.path.relpath(ws / PEAK, elsewhere)
    assert scenario.startswith("..")
    code = main(["run", scenario, "--out", "out"])
    cap = capsys.readouterr()
    assert code == 0, cap.err
    assert (elsewhere / "out" / "summary.json").is_file()
