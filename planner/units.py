"""Numbers for people: unit scales and number formatting shared by every presentation.

Display units: emissions in Mt CO₂ (10⁶ t), money in 亿元 (10⁸ CNY), prices in CNY/t CO₂.
Two styles exist on purpose: :func:`num` (and :func:`mt`, :func:`yi`, :func:`pct`) writes a
true minus sign "−" for reports; :func:`fmt_num` / :func:`fmt_pct` write ASCII for Markdown
and terminal tables.
"""

from __future__ import annotations

import math
import unicodedata

import pandas as pd

from planner.i18n import t

T_PER_MT = 1e6  # tonnes per Mt
CNY_PER_YI = 1e8  # CNY per 亿元 (100 million CNY)
MINUS = "\u2212"


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def num(v: object, digits: int = 0, scale: float = 1.0) -> str:
    """`v / scale` with thousands separators and a true minus sign ("" for NaN/None)."""
    if _missing(v):
        return ""
    try:
        x = float(v) / scale  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(x):
        return ""
    if math.isinf(x):
        return "∞" if x > 0 else f"{MINUS}∞"
    x = round(x, digits) + 0.0  # + 0.0: no "-0"
    return f"{x:,.{digits}f}".replace("-", MINUS)


def mt(v: object, digits: int = 2) -> str:
    """Tonnes shown as Mt (without the unit)."""
    return num(v, digits, T_PER_MT)


def yi(v: object, digits: int = 2) -> str:
    """CNY shown as 亿元, 100 million CNY (without the unit)."""
    return num(v, digits, CNY_PER_YI)


def pct(v: object, digits: int = 1) -> str:
    """A fraction shown as a percentage with a "%" sign ("" for NaN)."""
    if _missing(v):
        return ""
    return num(100 * float(v), digits) + "%"  # type: ignore[arg-type]


def fmt_num(v: object, scale: float = 1.0, digits: int = 2) -> str:
    """`v / scale` with thousands separators and `digits` decimals, ASCII ("" for NaN/None)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or pd.isna(v):
        return ""
    x = round(float(v) / scale, digits) + 0.0  # type: ignore[arg-type]  # + 0.0: no "-0.00"
    return f"{x:,.{digits}f}"


def fmt_pct(v: object, digits: int = 1) -> str:
    """A fraction as "12.3 %" ("" for NaN/None)."""
    if v is None or pd.isna(v):
        return ""
    return f"{100 * float(v):.{digits}f} %"  # type: ignore[arg-type]


def axis_number(v: float) -> str:
    """An axis tick: thousands separators from 1,000, up to two decimals, true minus."""
    if abs(v) >= 1000:
        s = f"{v:,.0f}"
    else:
        s = f"{v:g}" if abs(v - round(v, 2)) < 1e-9 else f"{v:.2f}"
    return s.replace("-", MINUS)


def cost_label(v: float) -> str:
    """A cost in a chart cell or bar label: fewer decimals the larger it is, true minus."""
    a = abs(v)
    if a >= 100 or a == 0:
        s = f"{v:,.0f}"
    elif a >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.2f}"
    return s.replace("-", MINUS)


def text_width(s: str) -> int:
    """Display width of `s` in columns: East Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


#: tonnes per unit, largest first, with the unit's key in planner/i18n/strings.csv
_TONNE_UNITS = ((1e6, "unit.tonnes.mt"), (1e3, "unit.tonnes.kt"), (1.0, "unit.tonnes.t"))


def tonnes(v: float, lang: str = "en", sig: int = 3) -> str:
    """Tonnes in t, kt or Mt to suit their size, `sig` significant digits, with the unit:
    15 → "15 t", 1,480 → "1.48 kt", 1.6e6 → "1.6 Mt" (zh: 吨, 千吨, 百万吨)."""
    if _missing(v):
        return ""
    x = float(v)  # type: ignore[arg-type]
    if not math.isfinite(x):
        return num(x)
    if x != 0:  # round to `sig` significant digits first, so 999.96 t reads "1 kt"
        x = round(x, sig - 1 - math.floor(math.log10(abs(x))))
    scale, key = next(((s, k) for s, k in _TONNE_UNITS if abs(x) >= s), _TONNE_UNITS[-1])
    y = x / scale
    digits = max(0, sig - 1 - math.floor(math.log10(abs(y)))) if y else 0
    s = f"{y:,.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return t("unit.tonnes", lang, value=s.replace("-", MINUS), unit=t(key, lang))
