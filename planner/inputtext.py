"""Text of input files as people really write it: encodings, thousands separators and
full-width (全角) punctuation.

Excel's "CSV UTF-8" writes a byte-order mark and Chinese Windows' "CSV (comma delimited)" writes
GBK; both are read here. Thousands separators and full-width characters in a number are named as
such, with the fix, rather than reported as a bare parse failure.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from pathlib import Path

from planner.errors import EncodingNote, InputError

BOM = b"\xef\xbb\xbf"

#: paths already announced as read in a legacy encoding (one note per file and process)
_NOTED: set[str] = set()


def decode(path: Path, raw: bytes, what: str = "UTF-8 text") -> str:
    """The text of `raw` (the bytes of `path`): UTF-8 with or without a byte-order mark, or
    GB18030 (a superset of GBK and GB2312) when the bytes are not UTF-8. The first time a file
    is read as GB18030 an :class:`~planner.errors.EncodingNote` warning says so. Bytes that are
    neither raise InputError naming the line and the byte."""
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as gb_error:
        # the later failure is the stray byte: a GBK file fails UTF-8 at its first Chinese
        # character, a UTF-8 file may fail GB18030 early on valid UTF-8
        pos = max(utf8_error.start, gb_error.start)
        line = raw[:pos].count(b"\n") + 1
        raise InputError(path, f"line {line}",
                         f"byte {raw[pos]:#04x} is neither UTF-8 nor GBK/GB18030",
                         what, "re-save the file as UTF-8 (Excel: 'CSV UTF-8'; a text editor: "
                         "encoding UTF-8)") from None
    key = str(Path(path).resolve())
    if key not in _NOTED:
        _NOTED.add(key)
        warnings.warn(EncodingNote(f"{path} read as GB18030 (GBK), as it is not UTF-8"),
                      stacklevel=2)
    return text


# ---------------------------------------------------------------- full-width characters ---

#: U+FF01..U+FF5E are the full-width forms of ASCII '!'..'~'; U+3000 is the ideographic space
_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000\u3001\u3002]")
#: the ideographic comma and full stop, often typed for ',' and '.'
_IDEOGRAPHIC = {"\u3001": ",", "\u3002": "."}


def halfwidth(ch: str) -> str:
    """The ASCII character a full-width one stands for."""
    if ch == "\u3000":
        return " "
    if ch in _IDEOGRAPHIC:
        return _IDEOGRAPHIC[ch]
    return chr(ord(ch) - 0xFEE0)


def fullwidth_chars(text: str) -> list[str]:
    """The distinct full-width characters of `text`, in order of appearance."""
    return list(dict.fromkeys(_FULLWIDTH.findall(text)))


def describe_fullwidth(text: str) -> str | None:
    """'full-width '，' (FULLWIDTH COMMA, for ',')…' for the full-width characters of `text`,
    or None when it has none."""
    chars = fullwidth_chars(text)
    if not chars:
        return None
    named = [f"{c!r} ({unicodedata.name(c, f'U+{ord(c):04X}')}, for {halfwidth(c)!r})"
             for c in chars[:4]]
    more = f" and {len(chars) - 4} more" if len(chars) > 4 else ""
    return "full-width (全角) character" + ("s " if len(chars) > 1 else " ") + \
        ", ".join(named) + more


def to_halfwidth(text: str) -> str:
    """`text` with every full-width character replaced by its ASCII counterpart."""
    return _FULLWIDTH.sub(lambda m: halfwidth(m.group(0)), text)


FULLWIDTH_FIX = "switch the input method to half-width (半角) punctuation and retype"

# ---------------------------------------------------------------- thousands separators ----

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?$")
_HEAD = re.compile(r"^\s*[+-]?\d{1,3}$")
_GROUP = re.compile(r"^\d{3}(\.\d*)?\s*$")


def has_thousands_separator(cell: str) -> bool:
    """True for a number written with commas between groups of three digits, e.g. '1,200'."""
    return bool(_THOUSANDS.match(cell.strip()))


THOUSANDS_FIX = ("remove the thousands separators (in Excel: Format Cells → Number, untick "
                 "'Use 1000 Separator (,)'), e.g. 1200")


def rejoin_thousands(cells: list[str], n_fields: int) -> list[tuple[int, str]] | None:
    """When a row has more fields than the header because unquoted numbers such as 1,200 were
    split at their separators, the (column index, rejoined text) of each split number — if
    rejoining them gives exactly `n_fields` fields; otherwise None."""
    extra = len(cells) - n_fields
    if extra <= 0:
        return None
    out: list[str] = []
    joined: list[tuple[int, str]] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        if extra > 0 and _HEAD.match(cell) and i + 1 < len(cells) and _GROUP.match(cells[i + 1]):
            j = i + 1
            while extra > 0 and j < len(cells) and _GROUP.match(cells[j]) and "." not in cell:
                cell += "," + cells[j]
                extra -= 1
                j += 1
            joined.append((len(out), cell.strip()))
            out.append(cell)
            i = j
        else:
            out.append(cell)
            i += 1
    if extra != 0 or len(out) != n_fields:
        return None
    return joined
