"""Fonts for charts: the bundled CJK font and installed ones, and what they can draw.

planner ships "Planner Sans SC" (``planner/fonts``, a GB 2312 subset of Noto Sans CJK SC under
the SIL OFL 1.1) and also uses an installed CJK font if there is one. Latin text is set in
DejaVu Sans in both languages. If no CJK font can be found at all, one
:class:`CJKFontWarning` is issued and charts fall back to English labels and project ids.

matplotlib is imported inside the functions that need it (deferred on purpose: the report's
HTML embeds :data:`BUNDLED_FONT` without drawing, and ``import planner`` stays light).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONT_DIR = Path(__file__).resolve().parents[1] / "fonts"
BUNDLED_FONT = FONT_DIR / "PlannerSansSC-Regular.otf"
LATIN_FAMILY = "DejaVu Sans"
#: Installed CJK families that are used (after the bundled font) when present.
SYSTEM_CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Sarasa Gothic SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
)
_GLYPH_WARNING = r"(?s).*Glyph .* missing from (current )?font"


class CJKFontWarning(UserWarning):
    """No font can render some Chinese text; a fallback label is used instead."""


@functools.cache
def find_cjk_fonts() -> tuple[tuple[str, str], ...]:
    """``(family, file)`` of usable CJK fonts: the bundled one first, then installed ones."""
    from matplotlib import font_manager

    found: list[tuple[str, str]] = []
    if BUNDLED_FONT.is_file():
        try:
            font_manager.fontManager.addfont(str(BUNDLED_FONT))
            found.append((font_manager.FontProperties(fname=BUNDLED_FONT).get_name(),
                          str(BUNDLED_FONT)))
        except (OSError, RuntimeError, ValueError):  # a damaged file: ignore it
            pass
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_CJK_FAMILIES:
        if family in installed:
            path = font_manager.findfont(font_manager.FontProperties(family=family),
                                         fallback_to_default=False)
            found.append((family, path))
    return tuple(found)


def cjk_font_available() -> bool:
    """Whether some font (bundled or installed) can render Chinese text."""
    return bool(find_cjk_fonts())


@functools.cache
def charmap(path: str) -> frozenset[int]:
    """The code points a font file can draw (empty for an unreadable file)."""
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError):
        return frozenset()


def latin_font_path() -> str:
    """The file of the Latin font (DejaVu Sans, shipped with matplotlib)."""
    from matplotlib import font_manager

    return font_manager.findfont(font_manager.FontProperties(family=LATIN_FAMILY))


_no_cjk_warned = False


def warn_no_cjk_once() -> None:
    """Warn, once per process, that no CJK font was found."""
    global _no_cjk_warned
    if _no_cjk_warned:
        return
    _no_cjk_warned = True
    warnings.warn(
        "planner.plot: no CJK font found (the bundled font "
        f"{BUNDLED_FONT.name} is missing and no installed font such as 'Noto Sans CJK SC' "
        "was found). Charts use English labels and project ids instead of Chinese text. "
        "Reinstall planner or install a CJK font (e.g. Debian's fonts-noto-cjk) to fix this.",
        CJKFontWarning,
        stacklevel=3,
    )

@contextmanager
def glyph_guard(fig: Figure) -> Iterator[None]:
    """Silence matplotlib's "Glyph missing" warnings for figures whose text was handled."""
    with warnings.catch_warnings():
        if getattr(fig, "_planner_fallback", False):
            warnings.filterwarnings("ignore", message=_GLYPH_WARNING)
        yield

