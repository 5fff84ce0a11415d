"""Which characters a font file can draw, read from its ``cmap`` table without matplotlib.

A chart drawn without matplotlib still has to know which characters its fonts cover, to set
each piece of text in a font that has it or fall back to a label. Importing matplotlib's font
manager or fontTools just to ask would blow the start-up budget, so this module reads the two
parts of an sfnt file (TrueType ``.ttf`` or OpenType-CFF ``.otf``) it needs, the table
directory and the ``cmap`` table, with :mod:`struct`. The answer is the same as fontTools'
``set(TTFont(path).getBestCmap())``: code points mapped to glyph 0 (``.notdef``, "missing")
are left out, as fontTools leaves them out. ``tests/test_fontfiles.py`` checks this for DejaVu
Sans and for the bundled CJK font.

:func:`latin_font_file` locates the DejaVu Sans file that ships with matplotlib, also
without importing it.
"""

from __future__ import annotations

import functools
import importlib.util
import struct
from pathlib import Path

#: first four bytes of the files read: TrueType (Microsoft, Apple) and OpenType with CFF outlines
_SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"true", b"OTTO")
#: (platform ID, encoding ID) of the Unicode subtables, best first; the order of fontTools'
#: getBestCmap and HarfBuzz (full repertoire before BMP only, Windows before Unicode platform)
_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))
_MAX_CODEPOINT = 0x10FFFF


def _matplotlib_font(name: str) -> str:
    """Path of the font file ``name`` in matplotlib's ``mpl-data/fonts/ttf`` (not imported)."""
    spec = importlib.util.find_spec("matplotlib")  # a top-level package: finds, does not import
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        path = Path(location, "mpl-data", "fonts", "ttf", name)
        if path.is_file():
            return str(path)
    where = f"not in {locations}" if locations else "matplotlib is not installed"
    raise FileNotFoundError(f"font {name} (shipped with matplotlib, mpl-data/fonts/ttf): {where}")


@functools.cache
def latin_font_file() -> str:
    """Path of ``DejaVuSans.ttf``, the Latin chart font shipped inside matplotlib.

    Raises:
        FileNotFoundError: matplotlib is not installed or lacks the file.
    """
    return _matplotlib_font("DejaVuSans.ttf")


@functools.cache
def codepoints(path: str) -> frozenset[int]:
    """Unicode code points (ints) that the font file at ``path`` maps to a real glyph.

    Read from the best Unicode subtable of the ``cmap`` table (formats 0, 4, 6, 12 and 13) of
    a ``.ttf`` or ``.otf`` file; code points mapped to glyph 0 (``.notdef``) are not included.
    An unreadable, damaged or unsupported file (a ``.ttc`` collection, a ``cmap`` without a
    Unicode subtable in a supported format) gives an empty set; this never raises. Cached.
    """
    try:
        return frozenset(_unicode_cmap(Path(path).read_bytes()))
    except (OSError, ValueError, struct.error, OverflowError, MemoryError):
        return frozenset()


def _unicode_cmap(data: bytes) -> set[int]:
    """Code points of the first preferred Unicode ``cmap`` subtable that can be read."""
    if data[:4] not in _SFNT_VERSIONS:
        return set()
    (num_tables,) = struct.unpack_from(">H", data, 4)
    for i in range(num_tables):  # 16-byte records after the 12-byte header
        tag, _checksum, cmap, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            break
    else:
        return set()
    _version, num_subtables = struct.unpack_from(">HH", data, cmap)
    subtables: dict[tuple[int, int], int] = {}  # (platform, encoding) -> offset in the file
    for i in range(num_subtables):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        subtables.setdefault((platform, encoding), cmap + offset)  # the first, as fontTools
    for key in _PREFERENCES:
        if key in subtables:
            (fmt,) = struct.unpack_from(">H", data, subtables[key])
            if fmt in _READERS:
                return _READERS[fmt](data, subtables[key])
    return set()


def _format0(data: bytes, at: int) -> set[int]:
    """Format 0: one glyph byte for each of the code points 0-255."""
    return {code for code, glyph in enumerate(data[at + 6:at + 262]) if glyph}


def _format4(data: bytes, at: int) -> set[int]:
    """Format 4: segments of the BMP, glyph = (code + idDelta) mod 65536 or read from an array.

    Overlapping segments add to each other (a later glyph 0 does not erase an earlier
    mapping), and the last segment, the 0xFFFF end marker the format requires, is skipped:
    both as fontTools reads the table.
    """
    (seg_count_x2,) = struct.unpack_from(">H", data, at + 6)
    n = seg_count_x2 // 2
    ends = struct.unpack_from(f">{n}H", data, at + 14)
    starts = struct.unpack_from(f">{n}H", data, at + 16 + 2 * n)  # after a reserved pad
    deltas = struct.unpack_from(f">{n}H", data, at + 16 + 4 * n)
    range_offsets_at = at + 16 + 6 * n
    range_offsets = struct.unpack_from(f">{n}H", data, range_offsets_at)
    codes: set[int] = set()
    for i in range(n - 1):
        start, end, delta, range_offset = starts[i], ends[i], deltas[i], range_offsets[i]
        if end < start:
            continue
        if range_offset == 0:  # glyph 0 for at most one code: the one with code + delta = 65536k
            missing = -delta & 0xFFFF
            if start <= missing <= end:
                codes.update(range(start, missing), range(missing + 1, end + 1))
            else:
                codes.update(range(start, end + 1))
        else:  # glyph ids in an array, idRangeOffset bytes on from the idRangeOffset itself
            glyphs = struct.unpack_from(f">{end - start + 1}H", data,
                                        range_offsets_at + 2 * i + range_offset)
            codes.update(code for code, glyph in enumerate(glyphs, start)
                         if glyph and (glyph + delta) & 0xFFFF)
    return codes


def _format6(data: bytes, at: int) -> set[int]:
    """Format 6: a dense array of glyph ids for the code points from firstCode on."""
    first, count = struct.unpack_from(">HH", data, at + 6)
    glyphs = struct.unpack_from(f">{count}H", data, at + 10)
    return {code for code, glyph in enumerate(glyphs, first) if glyph}


def _groups(data: bytes, at: int, *, constant: bool) -> set[int]:
    """Formats 12 and 13: groups (first, last, glyph) of code points (32-bit).

    Format 12 maps ``first + k`` to ``glyph + k``, format 13 (``constant``) all to ``glyph``.
    Groups past U+10FFFF are clamped, inverted or out-of-order ones skipped (as fontTools and
    HarfBuzz do).
    """
    (num_groups,) = struct.unpack_from(">I", data, at + 12)
    groups = struct.unpack_from(f">{3 * num_groups}I", data, at + 16)
    codes: set[int] = set()
    previous_last = 0
    for first, last, glyph in zip(groups[0::3], groups[1::3], groups[2::3], strict=True):
        last = min(last, _MAX_CODEPOINT)
        if first > last or first < previous_last:
            continue
        previous_last = last
        if glyph == 0:  # only the first code point is missing, or all of a format 13 group
            if constant:
                continue
            first += 1
        codes.update(range(first, last + 1))
    return codes


def _format12(data: bytes, at: int) -> set[int]:
    """Format 12: sequential groups of code points (see :func:`_groups`)."""
    return _groups(data, at, constant=False)


def _format13(data: bytes, at: int) -> set[int]:
    """Format 13: groups of code points that all map to one glyph (see :func:`_groups`)."""
    return _groups(data, at, constant=True)


_READERS = {0: _format0, 4: _format4, 6: _format6, 12: _format12, 13: _format13}
