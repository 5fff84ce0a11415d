"""Display names of a dataset's ids (labels.csv): loading, errors, fallbacks, and a Chinese
report of the bundled data without raw sector or measure ids."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import REPO

import planner
from planner.errors import InputError
from planner.labels import Labels, display, load_labels

BUNDLED = REPO / "data" / "zhuzhou"


def write_labels(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "labels.csv").write_text(text, encoding="utf-8")
    return folder


def test_bundled_labels_name_every_sector_measure_and_group():
    labels = load_labels(BUNDLED)
    inp = planner.bind(planner.load_scenario(REPO / "scenarios" / "zhuzhou_peak2025.yaml"))
    groups = {g for g in inp.projects["exclusive_group"] if g}
    for kind, ids in (("sector", inp.sectors), ("measure", set(inp.projects["measure"])),
                      ("group", groups)):
        for i in ids:
            for lang in ("en", "zh"):
                assert (kind, i) in labels.names and labels.names[kind, i].get(lang), (kind, i)
    assert labels.display("sector", "power_heat", "zh") == "电力与热力"


def test_fallbacks(tmp_path):
    folder = write_labels(tmp_path, "kind,id,en,zh\nproject,a,Alpha,\nmeasure,m1,,措施一\n")
    labels = load_labels(folder).with_projects({"a": "甲", "b": "乙"})
    assert labels.display("project", "a", "en") == "Alpha"  # labels.csv first
    assert labels.display("project", "a", "zh") == "甲"  # then projects.csv's name
    assert labels.display("project", "c", "zh") == "c"  # then the id
    assert labels.display("measure", "m1", "zh") == "措施一"
    assert labels.display("measure", "m1", "en") == "M1"  # the id, humanised in English
    assert display("sector", "power_heat", "en") == "Power heat"
    assert display("sector", "power_heat", "zh") == "power_heat"
    assert load_labels(tmp_path / "none") == Labels()  # no file: no labels
    with pytest.raises(ValueError):
        labels.display("region", "a", "en")


@pytest.mark.parametrize(("text", "where", "words"), [
    ("kind,id,en,zh\nsector,a,A,甲\nsektor,b,B,乙\n", "line 3, column 'kind'", "'sektor'"),
    ("kind,id,en,zh\nsector,a,A,甲\nmeasure,a,A,甲\nsector,a,B,乙\n", "line 4, column 'id'",
     "first given on line 2"),
    ("kind,id,en,zh\nsector,,A,甲\n", "line 2, column 'id'", "empty cell"),
    ("kind,id,en,zh,fr\nsector,a,A,甲,Ah\n", "line 1, column 'fr'", "unknown column"),
])
def test_bad_rows_name_file_line_and_column(tmp_path, text, where, words):
    folder = write_labels(tmp_path / "d", text)
    with pytest.raises(InputError) as err:
        load_labels(folder)
    msg = str(err.value)
    assert "labels.csv" in msg and where in msg and words in msg, msg


def test_bad_labels_end_the_report_command_with_exit_2(case, capsys):
    path = case(baseline={"industry": [10.0, 10.0]}, projects=[{"project": "a"}])
    write_labels(path.parent / "data", "kind,id,en,zh\nsector,industry,Industry,工业\n"
                 "sector,industry,Industry,工业\n")
    from planner.cli import main

    assert main(["report", str(path), "--out", str(path.parent / "out")]) == 2
    assert "labels.csv" in capsys.readouterr().err
    assert not (path.parent / "out").exists()


def _visible_text(page: str) -> str:
    body = page.split("</style>", 1)[1]
    body = re.sub(r"<[^>]+>", " ", body)
    return html.unescape(body)


def test_chinese_report_shows_no_raw_sector_or_measure_ids():
    from chart_items import texts as chart_texts

    from planner.plot.frame import Chart
    from planner.plot.registry import draw
    from planner.report.content import build
    from planner.report.html import render
    from planner.report.workbook import workbook

    res = planner.solve(planner.load_scenario(REPO / "scenarios" / "zhuzhou_peak2025.yaml"))
    ids = set(res.inputs.sectors) | set(res.inputs.projects["measure"])
    rep = build(res, "zh")
    text = _visible_text(render(rep, {}))
    for i in ids:
        assert not re.search(rf"(?<![a-z_]){i}(?![a-z_])", text), i
    sheets, _ = workbook(rep)
    for name, df in sheets.items():
        cells = {str(v) for col in df.columns for v in df[col] if isinstance(v, str)}
        assert not (ids & (cells | {str(c) for c in df.columns})), name
    for stem in rep.charts:
        fig = draw(stem, rep)
        if isinstance(fig, Chart):  # drawn on planner's canvas: every text it draws
            texts = chart_texts(fig)
        else:
            texts = [tx.get_text() for leg in fig.legends for tx in leg.get_texts()]
            texts += [tx.get_text() for ax in fig.axes
                      for tx in ax.texts + ax.get_yticklabels()]
        assert texts and not ids & set(texts), stem
