"""planner's own xlsx writer (planner.outputs.xlsx), read back by openpyxl and pandas."""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.outputs.xlsx import column_letter, write_xlsx

FRAME = pd.DataFrame({
    "project": ["a<b&c", "屋顶光伏", None, "tab\there"],
    "units": [1, 2, 3, 40],
    "abatement (t)": [1.5, np.nan, np.inf, -np.inf],
    "used": [True, False, True, np.bool_(False)],
    "share": [0.1, 0.25, -0.5, 1.0],
    "count": pd.array([1, None, 3, 4], dtype="Int64"),
})


def test_values_types_and_layout_read_back(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx({"ranking": FRAME, "x" * 40: FRAME.head(1)}, path,
               {"ranking": {"share": "0.0%", "abatement (t)": "#,##0.0"}})
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["ranking", "x" * 31]
    ws = wb["ranking"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == list(FRAME.columns)
    assert all(c.font.b for c in ws[1])
    assert ws["A2"].value == "a<b&c" and ws["A3"].value == "屋顶光伏" and ws["A4"].value is None
    assert ws["A5"].value == "tab\there"
    assert ws["B5"].value == 40 and isinstance(ws["B5"].value, int)
    assert ws["C2"].value == 1.5 and ws["C3"].value is None
    assert (ws["C4"].value, ws["C5"].value) == ("inf", "-inf")  # as pandas writes them
    assert [ws[f"D{r}"].value for r in range(2, 6)] == [True, False, True, False]
    assert ws["F3"].value is None and ws["F4"].value == 3
    assert ws["E2"].number_format == "0.0%" and ws["C2"].number_format == "#,##0.0"
    assert ws["B2"].number_format == "General"
    assert ws.column_dimensions["A"].width >= 8
    back = pd.read_excel(path, sheet_name="ranking")
    assert back["units"].tolist() == [1, 2, 3, 40]
    assert back["share"].tolist() == [0.1, 0.25, -0.5, 1.0]


def test_same_tables_same_bytes(tmp_path):
    write_xlsx({"a": FRAME}, tmp_path / "1.xlsx")
    write_xlsx({"a": FRAME}, tmp_path / "2.xlsx")
    assert (tmp_path / "1.xlsx").read_bytes() == (tmp_path / "2.xlsx").read_bytes()


def test_no_sheet_or_a_bad_name_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        write_xlsx({}, tmp_path / "t.xlsx")
    for name in ("a/b", "x[1]", " ", "q?"):
        with pytest.raises(ValueError, match="sheet name"):
            write_xlsx({name: FRAME}, tmp_path / "t.xlsx")
    with pytest.raises(ValueError, match="duplicate"):
        write_xlsx({"y" * 31 + "1": FRAME, "y" * 31 + "2": FRAME}, tmp_path / "t.xlsx")


def test_column_letters():
    assert [column_letter(j) for j in (1, 26, 27, 52, 53, 702, 703)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
    assert column_letter(16384) == "XFD"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(allow_nan=True, allow_infinity=False, width=64),
                          st.integers(-2**53, 2**53),
                          st.text(alphabet=st.characters(codec="utf-8",
                                                         exclude_categories=("Cs",)),
                                  max_size=12)),
                min_size=1, max_size=8))
def test_round_trip_of_numbers_and_text(tmp_path_factory, rows):
    df = pd.DataFrame(rows, columns=["x", "n", "s"])
    path = tmp_path_factory.mktemp("rt") / "t.xlsx"
    write_xlsx({"s": df}, path)
    ws = openpyxl.load_workbook(path)["s"]
    for i, (x, n, s) in enumerate(rows, start=2):
        got = ws.cell(row=i, column=1).value
        assert (got is None) if math.isnan(x) else got == x
        assert ws.cell(row=i, column=2).value == n
        # XML 1.0 cannot hold most control characters: they are dropped; and XML reads
        # line ends (\r\n, \r) as \n
        kept = "".join(c for c in s if (ord(c) >= 32 or c in "\t\n\r")
                       and c not in "\ufffe\uffff")
        kept = kept.replace("\r\n", "\n").replace("\r", "\n")
        assert (ws.cell(row=i, column=3).value or "") == kept
