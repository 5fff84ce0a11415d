"""Writing an Excel workbook: one sheet per table, numbers kept as numbers.

The file is written here as the few SpreadsheetML parts a workbook needs (ECMA-376: content
types, relationships, workbook, styles, one worksheet per table), zipped with fixed dates, so
the same tables give the same bytes on every run, and ``planner run`` does not import
openpyxl (a tenth of its start-up). Cells: numbers (and booleans) as numbers, text as inline
strings, missing values (NaN, None, NA) as empty cells, infinities as the text ``inf`` /
``-inf`` (as pandas writes them). The header row is bold and frozen.
"""

from __future__ import annotations

import math
import numbers
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from planner.text import cell_text
from planner.units import text_width

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: characters XML 1.0 cannot hold: dropped from text
_ILLEGAL = {c: None for c in [*range(32), 0xFFFE, 0xFFFF] if c not in (9, 10, 13)}


def column_letter(j: int) -> str:
    """Excel's name of column `j` (1 = A, 27 = AA)."""
    s = ""
    while j > 0:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _text(v: object) -> str:
    return escape(str(v).translate(_ILLEGAL))


def _cell(ref: str, v: object, style: int) -> str:
    """One cell's XML ('' for a missing value)."""
    s = f' s="{style}"' if style else ""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, bool | np.bool_):
        return f'<c r="{ref}"{s} t="b"><v>{int(bool(v))}</v></c>'
    if isinstance(v, numbers.Real):
        x = float(v)
        if math.isnan(x):
            return ""
        if math.isinf(x):
            inf = "inf" if x > 0 else "-inf"
            return f'<c r="{ref}"{s} t="inlineStr"><is><t>{inf}</t></is></c>'
        num = str(int(v)) if isinstance(v, numbers.Integral) else repr(x)
        return f'<c r="{ref}"{s}><v>{num}</v></c>'
    return (f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(v)}</t></is>'
            f"</c>")


def _sheet_xml(df: pd.DataFrame, widths: list[float], styles: list[int]) -> str:
    cols = "".join(f'<col min="{j}" max="{j}" width="{w:g}" customWidth="1"/>'
                   for j, w in enumerate(widths, start=1))
    letters = [column_letter(j) for j in range(1, len(df.columns) + 1)]
    rows = ['<row r="1">' + "".join(_cell(f"{c}1", str(h), 1)
                                    for c, h in zip(letters, df.columns, strict=True))
            + "</row>"]
    columns = [df[c].tolist() for c in df.columns] if len(df.columns) else []
    for i in range(len(df)):
        r = i + 2
        cells = "".join(_cell(f"{c}{r}", col[i], st)
                        for c, col, st in zip(letters, columns, styles, strict=True))
        rows.append(f'<row r="{r}">{cells}</row>')
    return (f'{_XML}<worksheet xmlns="{_NS}" xmlns:r="{_REL}">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
            'activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + f'<sheetData>{"".join(rows)}</sheetData></worksheet>')


def _styles_xml(formats: list[str]) -> str:
    num = "".join(f'<numFmt numFmtId="{164 + k}" formatCode="{_text(f)}"/>'
                  for k, f in enumerate(formats))
    xfs = ('<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
           + "".join(f'<xf numFmtId="{164 + k}" fontId="0" fillId="0" borderId="0" xfId="0" '
                     'applyNumberFormat="1"/>' for k in range(len(formats))))
    return (f'{_XML}<styleSheet xmlns="{_NS}">'
            + (f'<numFmts count="{len(formats)}">{num}</numFmts>' if formats else "")
            + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            f'borderId="0"/></cellStyleXfs><cellXfs count="{2 + len(formats)}">{xfs}'
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>")


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path,
               formats: dict[str, dict[str, str]] | None = None) -> None:
    """One sheet per table, header row frozen, columns sized to their contents (CJK text
    counted double). Numbers stay numbers. `formats` maps sheet -> column -> an Excel number
    format (e.g. "#,##0", "0.0%") applied to that column's cells below the header."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    formats = formats or {}
    codes = sorted({f for fmt in formats.values() for f in fmt.values()})
    style_of = {f: 2 + k for k, f in enumerate(codes)}
    parts: dict[str, str] = {}
    names = []
    for k, (name, df) in enumerate(sheets.items(), start=1):
        bad = set(name) & set("[]:*?/\\")
        if bad or not name.strip() or name[:31] in names:
            raise ValueError(f"not a usable sheet name: {name!r} (empty, a duplicate within "
                             "31 characters, or with one of []:*?/\\)")
        names.append(name[:31])
        fmt = formats.get(name, {})
        widths = [min(60, max(8, max([text_width(str(col))]
                                     + [text_width(cell_text(v, 2)) for v in df[col].head(200)])
                              + 2)) for col in df.columns]
        styles = [style_of.get(fmt.get(col, ""), 0) for col in df.columns]
        parts[f"xl/worksheets/sheet{k}.xml"] = _sheet_xml(df, widths, styles)
    n = len(names)
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for k in range(1, n + 1))
    parts["[Content_Types].xml"] = (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheet_types}</Types>")
    parts["_rels/.rels"] = (
        f'{_XML}<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    parts["xl/workbook.xml"] = (
        f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_REL}"><bookViews><workbookView/>'
        "</bookViews><sheets>"
        + "".join(f'<sheet name="{_text(s)}" sheetId="{k}" r:id="rId{k}"/>'
                  for k, s in enumerate(names, start=1))
        + "</sheets></workbook>")
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{_XML}<Relationships xmlns="{_PKG}">'
        + "".join(f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" '
                  f'Target="worksheets/sheet{k}.xml"/>' for k in range(1, n + 1))
        + f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>")
    parts["xl/styles.xml"] = _styles_xml(codes)
    order = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
             "xl/_rels/workbook.xml.rels", "xl/styles.xml",
             *(f"xl/worksheets/sheet{k}.xml" for k in range(1, n + 1))]
    with zipfile.ZipFile(path, "w") as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name].encode("utf-8"))
