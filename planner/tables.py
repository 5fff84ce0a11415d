"""Rendering tables for people: Markdown and Excel (numbers stay numbers)."""

from __future__ import annotations

import math
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


def to_markdown(df: pd.DataFrame, digits: int = 2) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned, large ones with separators."""
    cols = [str(c) for c in df.columns]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
               for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v, digits) for v in row) + " |")
    return "\n".join(lines) + "\n"


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table, header row frozen, columns sized to their contents."""
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, df in sheets.items():
            sheet = name[:31]
            df.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            for j, col in enumerate(df.columns, start=1):
                width = max([len(str(col))] + [len(_cell(v, 2)) for v in df[col].head(200)])
                ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, width + 2))
