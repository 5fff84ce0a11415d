"""planner.plot.fontfiles: a font's code points read without matplotlib or fontTools."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from planner.plot import fontfiles

REPO = Path(__file__).resolve().parents[1]
CJK_FONT = REPO / "planner" / "fonts" / "PlannerSansSC-Regular.otf"


def _font_paths() -> list[str]:
    return [fontfiles.latin_font_file(), fontfiles._matplotlib_font("DejaVuSans-Bold.ttf"),
            str(CJK_FONT)]


@pytest.mark.parametrize("path", _font_paths(), ids=lambda p: Path(p).name)
def test_same_code_points_as_fonttools(path: str) -> None:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    assert font.getGlyphOrder()[0] == ".notdef"  # glyph 0, the "missing glyph" box
    # A code point mapped to glyph 0 draws the missing-glyph box, so it is not covered:
    # `codepoints` leaves it out. fontTools' getBestCmap leaves such entries out as well
    # (its cmap readers skip glyph id 0); the filter on '.notdef' keeps the comparison
    # exact with a fontTools that keeps them, and is a no-op for these fonts.
    expected = {cp for cp, name in font.getBestCmap().items() if name != ".notdef"}
    assert fontfiles.codepoints(path) == expected
    assert len(expected) > 5000


def test_fonts_cover_what_charts_need() -> None:
    latin = fontfiles.codepoints(fontfiles.latin_font_file())
    cjk = fontfiles.codepoints(str(CJK_FONT))
    assert {ord(c) for c in "CO₂ Mt –"} <= latin
    # the CJK font is the fallback after DejaVu Sans: it has no U+2082 (₂) of its own
    assert {ord(c) for c in "碳达峰亿元（）、：CO2"} <= cjk
    assert ord("碳") not in latin


def test_latin_font_files() -> None:
    assert Path(fontfiles.latin_font_file()).name == "DejaVuSans.ttf"
    assert Path(fontfiles._matplotlib_font("DejaVuSans-Bold.ttf")).name == "DejaVuSans-Bold.ttf"
    assert Path(fontfiles.latin_font_file()).parent.parts[-3:] == ("mpl-data", "fonts", "ttf")


def test_latin_font_file_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fontfiles.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="matplotlib is not installed"):
        fontfiles._matplotlib_font("DejaVuSans.ttf")


def test_unreadable_files_give_no_code_points(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.ttf"
    garbage.write_bytes(b"\x00\x01\x00\x00" + bytes(range(256)) * 8)  # sfnt magic, then noise
    truncated = tmp_path / "truncated.ttf"
    truncated.write_bytes(Path(fontfiles.latin_font_file()).read_bytes()[:400])
    text = tmp_path / "text.otf"
    text.write_text("not a font")
    for path in (garbage, truncated, text, tmp_path / "missing.ttf", tmp_path):
        assert fontfiles.codepoints(str(path)) == frozenset()


def _sfnt(subtables: dict[tuple[int, int], bytes]) -> bytes:
    """A TrueType file holding only a ``cmap`` table with these (platform, encoding) tables."""
    cmap = struct.pack(">HH", 0, len(subtables))
    offset = 4 + 8 * len(subtables)
    body = b""
    for (platform, encoding), subtable in subtables.items():
        cmap += struct.pack(">HHI", platform, encoding, offset + len(body))
        body += subtable
    return (b"true" + struct.pack(">HHHH", 1, 16, 0, 0)
            + struct.pack(">4sIII", b"cmap", 0, 28, len(cmap + body)) + cmap + body)


def _format4() -> bytes:
    # 'A'-'C': idDelta -0x42, so 'B' -> glyph 0 and 'A' -> 0xFFFF (idDelta wraps mod 65536);
    # 'a'-'c': glyph array [5, 0, 0xFFFF] plus idDelta 1 -> 6, missing, 0 (wrapped);
    # then the 0xFFFF end marker, which maps 0xFFFF to glyph 0 and is not a character
    starts, ends = (0x41, 0x61, 0xFFFF), (0x43, 0x63, 0xFFFF)
    deltas, range_offsets = (-0x42 & 0xFFFF, 1, 1), (0, 4, 0)  # 4: two idRangeOffsets on
    glyph_array = (5, 0, 0xFFFF)
    body = struct.pack(">3HH3H3H3H3H", *ends, 0, *starts, *deltas, *range_offsets, *glyph_array)
    return struct.pack(">7H", 4, 14 + len(body), 0, 6, 4, 1, 2) + body


def _format12() -> bytes:
    groups = ((0x20, 0x21, 3), (0x1F600, 0x1F602, 0))  # glyph 0: only U+1F600 is missing
    body = b"".join(struct.pack(">3I", *group) for group in groups)
    return struct.pack(">HHIII", 12, 0, 16 + len(body), 0, len(groups)) + body


def test_subtable_formats(tmp_path: Path) -> None:
    bmp = tmp_path / "bmp.ttf"
    bmp.write_bytes(_sfnt({(1, 0): b"\x00\x00", (3, 1): _format4()}))
    assert fontfiles.codepoints(str(bmp)) == {0x41, 0x43, 0x61}
    full = tmp_path / "full.ttf"  # (3, 10) is preferred to (3, 1)
    full.write_bytes(_sfnt({(3, 1): _format4(), (3, 10): _format12()}))
    assert fontfiles.codepoints(str(full)) == {0x20, 0x21, 0x1F601, 0x1F602}


def test_no_matplotlib_or_fonttools_imported() -> None:
    code = ("import sys; import planner.plot.fontfiles as f; "
            "assert 0x41 in f.codepoints(f.latin_font_file()); "
            "print(sorted(m for m in sys.modules "
            "if m.partition('.')[0] in ('matplotlib', 'fontTools')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"
