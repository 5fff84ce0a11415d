"""English/Chinese strings for the terminal, charts and reports.

The strings are data: ``strings.csv`` beside this file holds one row per key with its English
and Chinese text side by side (UTF-8, columns ``key,en,zh``). It is read once, on first use.
Look a string up with :func:`t`; placeholders in ``{braces}`` are filled from keyword
arguments::

    t("axis.year", "zh")                          # "年份"
    t("mac.price_label", "en", value=120)         # "Carbon price: 120 CNY/t"

An unknown key raises ``KeyError``; an unknown language raises ``ValueError``. Display names
of a dataset's sectors, measures, projects and groups are not here: they live with the
dataset (``labels.csv``, read by :mod:`planner.labels`).

Units follow one convention: emissions in Mt CO₂ (百万吨CO₂), costs per tonne in
CNY/t CO₂ (元/吨CO₂), totals in 100 million CNY (亿元).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping
from pathlib import Path

LANGS: tuple[str, ...] = ("en", "zh")
STRINGS_FILE = Path(__file__).with_name("strings.csv")


@functools.cache
def strings() -> dict[str, dict[str, str]]:
    """Every string, ``key -> {"en": ..., "zh": ...}`` (read from strings.csv once)."""
    out: dict[str, dict[str, str]] = {}
    with STRINGS_FILE.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for line, row in enumerate(reader, start=2):
            key = row["key"]
            if key in out:
                raise ValueError(f"{STRINGS_FILE.name}: line {line}: key {key!r} appears twice")
            out[key] = {lang: row[lang] for lang in LANGS}
    return out


def __getattr__(name: str) -> object:
    if name == "STRINGS":  # the table itself, loaded on first access
        return strings()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")


def t(key: str, lang: str = "en", **fmt: object) -> str:
    """The string for ``key`` in ``lang`` (``"en"`` or ``"zh"``), formatted with ``fmt``.

    Raises ``KeyError`` for an unknown key and ``ValueError`` for an unknown language.
    """
    _check_lang(lang)
    try:
        entry = strings()[key]
    except KeyError:
        raise KeyError(f"no i18n string for key {key!r}") from None
    text = entry[lang]
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    """Whether ``key`` is defined."""
    return key in strings()


def t_or(key: str, lang: str, default: str) -> str:
    """Like :func:`t` but returns ``default`` for an unknown key (for optional ids)."""
    return t(key, lang) if key in strings() else default


def add_strings(entries: Mapping[str, Mapping[str, str]], *, override: bool = False) -> None:
    """Add entries ``key -> {"en": ..., "zh": ...}`` for this process; each needs both
    languages. Re-defining a key with different text raises ``ValueError`` unless
    ``override`` is true."""
    table = strings()
    for key, entry in entries.items():
        missing = [lang for lang in LANGS if not entry.get(lang)]
        if missing:
            raise ValueError(f"i18n key {key!r} lacks text for {missing}")
        new = {lang: entry[lang] for lang in LANGS}
        if not override and key in table and table[key] != new:
            raise ValueError(f"i18n key {key!r} is already defined differently")
        table[key] = new
