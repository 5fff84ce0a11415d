"""Rendering tables for people: Markdown and Excel (numbers stay numbers)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd


def _cell(v: object, digits: int) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        if math.isinf(v):
            return "∞" if v > 0 else "−∞"
        if abs(v) >= 1e4 or v == int(v):
            return f"{v:,.0f}"
        return f"{v:,.{digits}f}"
    return str(v).replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                   align: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table of preformatted cells; `align` holds "l" or "r"."""
    align = align or ["l"] * len(headers)
    rule = {"l": ":---", "r": "---:"}
    lines = ["| " + " | ".join(_cell(h, 0) for h in headers) + " |",
             "| " + " | ".join(rule[a] for a in align) + " |"]
    lines += ["| " + " | ".join(_cell(c, 2) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def to_markdown(df: pd.DataFrame, digits: int = 2) -> str:
    """A DataFrame as a Markdown table; numbers right-aligned, large ones with separators."""
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]
    rows = [[_cell(v, digits) for v in row] for row in df.itertuples(index=False)]
    return markdown_table([str(c) for c in df.columns], rows,
                          ["r" if n else "l" for n in numeric]) + "\n"


def fmt_num(v: object, scale: float = 1.0, digits: int = 2) -> str:
    """`v / scale` with thousands separators and `digits` decimals ("" for NaN/None)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or pd.isna(v):
        return ""
    x = round(float(v) / scale, digits) + 0.0  # + 0.0: no "-0.00"
    return f"{x:,.{digits}f}"


def fmt_pct(v: object, digits: int = 1) -> str:
    if v is None or pd.isna(v):
        return ""
    return f"{100 * float(v):.{digits}f} %"


def text_width(s: str) -> int:
    """Display width of `s` in columns: East Asian wide and full-width characters count 2."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path,
               formats: dict[str, dict[str, str]] | None = None) -> None:
    """One sheet per table, header row frozen, columns sized to their contents (CJK text
    counted double). Numbers stay numbers. `formats` maps sheet -> column -> an Excel number
    format (e.g. "#,##0", "0.0%") applied to that column's cells below the header."""
    from openpyxl.utils import get_column_letter

    formats = formats or {}
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in sheets.items():
            sheet = name[:31]
            df.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            fmt = formats.get(name, {})
            for j, col in enumerate(df.columns, start=1):
                width = max([text_width(str(col))]
                            + [text_width(_cell(v, 2)) for v in df[col].head(200)])
                letter = get_column_letter(j)
                ws.column_dimensions[letter].width = min(60, max(8, width + 2))
                if col in fmt:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                        cell.number_format = fmt[col]
