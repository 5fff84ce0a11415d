"""CSV and YAML files as Excel writes them: UTF-8 with a byte-order mark, and GBK."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_case

import planner
from planner.cli import main
from planner.data import load_dataset
from planner.errors import EncodingNote, InputError

PROJECTS = [
    {"project": "屋顶光伏", "name": "屋顶光伏，一期（工业园）", "sector": "工业",
     "measure": "光伏", "unit": "兆瓦", "abatement_t_per_unit_year": 30.0,
     "capex_cny_per_unit": 100.0, "max_units": 3.0, "max_build_per_year": 1.0},
    {"project": "电动公交", "name": "电动公交车", "sector": "交通", "measure": "电动化",
     "unit": "辆", "abatement_t_per_unit_year": 10.0, "capex_cny_per_unit": 20.0,
     "max_units": 6.0, "max_build_per_year": 3.0},
]


def _case(folder: Path) -> Path:
    return write_case(folder, baseline={"工业": [100.0, 110.0, 120.0, 130.0],
                                        "交通": [50.0, 55.0, 60.0, 65.0]},
                      projects=PROJECTS, scenario={"name": "株洲测试", "target": {"cap_t": 140.0},
                                                   "discount_rate": 0.05})


def _recode(folder: Path, encode) -> None:
    for p in [*(folder / "data").glob("*.csv"), *folder.glob("*.yaml")]:
        p.write_bytes(encode(p.read_text(encoding="utf-8")))


def _plan(path: Path) -> planner.Result:
    res = planner.solve(planner.load_scenario(path))
    assert res.status == "optimal"
    return res


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030"])
def test_bom_and_gbk_files_give_the_same_plan(tmp_path, encoding):
    ref = _plan(_case(tmp_path / "utf8"))
    path = _case(tmp_path / encoding)
    _recode(path.parent, lambda text: text.encode(encoding))
    raw = (path.parent / "data" / "projects.csv").read_bytes()
    if encoding == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf")
    else:
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = _plan(path)
    notes = [str(w.message) for w in caught if issubclass(w.category, EncodingNote)]
    if encoding == "utf-8-sig":
        assert notes == []
    else:  # each file said once: two CSV files and the YAML
        assert len(notes) == 3 and all("read as GB18030" in n for n in notes), notes
    assert res.objective_cny == pytest.approx(ref.objective_cny, rel=1e-9)
    assert res.objective_cny > 0
    pd.testing.assert_frame_equal(res.deployment, ref.deployment)
    assert res.deployment["build_units"].sum() > 0
    assert list(res.inputs.projects.index) == ["屋顶光伏", "电动公交"]
    assert res.inputs.projects.loc["屋顶光伏", "name"] == "屋顶光伏，一期（工业园）"
    assert res.inputs.scenario.name == "株洲测试"


def test_gbk_note_is_printed_once_on_the_terminal(tmp_path, capsys):
    path = _case(tmp_path / "gbk")
    csv = path.parent / "data" / "projects.csv"
    csv.write_bytes(csv.read_text(encoding="utf-8").encode("gbk"))
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert notes == [f"note: {csv} read as GB18030 (GBK), as it is not UTF-8"], err


def test_bytes_that_are_neither_utf8_nor_gbk_are_an_error(tmp_path):
    path = _case(tmp_path / "bad")
    csv = path.parent / "data" / "baseline.csv"
    lines = csv.read_bytes().split(b"\n")
    lines[2] += b"\x80"  # a lone 0x80 is invalid in both
    csv.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as exc:
        load_dataset(csv.parent)
    msg = str(exc.value)
    assert "baseline.csv: line 3: byte 0x80 is neither UTF-8 nor GBK/GB18030" in msg
    assert "expected UTF-8 (or GBK) text" in msg
