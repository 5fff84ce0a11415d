"""Rebuild ``PlannerSansSC-Regular.otf`` (maintainers only; not used at run time).

The bundled font is a subset of Noto Sans CJK SC Regular 2.004 (SIL OFL 1.1), taken
from the Simplified-Chinese face (index 2) of ``NotoSansCJK-Regular.ttc`` as shipped by
Debian's ``fonts-noto-cjk`` package (upstream: googlefonts/noto-cjk). It keeps every
character of GB 2312 (6,763 hanzi plus its symbols), ASCII, Latin-1, Latin Extended-A,
general punctuation, super/subscripts, letter-like symbols, arrows, maths operators,
geometric shapes, CJK symbols/punctuation and full-width forms. It is renamed
"Planner Sans SC" because the OFL forbids a modified version from using the reserved
font name ("Source") and we also avoid the "Noto" trademark.

Usage::

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb deb
    python planner/fonts/build_font.py deb/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

FAMILY = "Planner Sans SC"
PS_NAME = "PlannerSansSC-Regular"
OUT = Path(__file__).with_name(PS_NAME + ".otf")

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x017F),  # Latin-1, Latin Extended-A
    (0x2000, 0x209F),  # general punctuation, super- and subscripts (CO₂)
    (0x2100, 0x22FF),  # letter-like symbols, number forms, arrows, maths operators
    (0x25A0, 0x25FF),  # geometric shapes
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF),  # half-width and full-width forms
]


def codepoints() -> list[int]:
    cps = {c for lo, hi in RANGES for c in range(lo, hi + 1)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                cps.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return sorted(cps)


def main(ttc: str) -> None:
    font = TTCollection(ttc).fonts[2]  # Noto Sans CJK SC
    assert font["name"].getDebugName(1) == "Noto Sans CJK SC"
    opts = subset.Options()
    opts.layout_features = ["kern"]
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=codepoints())
    sub.subset(font)

    name = font["name"]
    version = name.getDebugName(5)
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            rec.string = FAMILY if rec.nameID != 4 else FAMILY + " Regular"
        elif rec.nameID == 3:
            rec.string = f"{version.split(';')[0]};{PS_NAME}"
        elif rec.nameID == 6:
            rec.string = PS_NAME
        elif rec.nameID == 10:
            rec.string = (
                "Subset of Noto Sans CJK SC Regular (GB 2312 + Latin/punctuation) "
                "made for the planner package. Licensed under the SIL Open Font License 1.1."
            )
    cff = font["CFF "].cff
    cff.fontNames = [PS_NAME]
    top = cff.topDictIndex[0]
    top.FullName = FAMILY + " Regular"
    top.FamilyName = FAMILY
    font.save(OUT)
    print(OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main(sys.argv[1])
