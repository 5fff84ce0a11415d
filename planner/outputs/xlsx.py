"""Writing an Excel workbook: one sheet per table, numbers kept as numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planner.text import cell_text
from planner.units import text_width


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
                            + [text_width(cell_text(v, 2)) for v in df[col].head(200)])
                letter = get_column_letter(j)
                ws.column_dimensions[letter].width = min(60, max(8, width + 2))
                if col in fmt:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                        cell.number_format = fmt[col]
