"""Display names of a dataset's ids: the optional ``labels.csv`` of a dataset folder.

``labels.csv`` has the columns ``kind,id,en,zh``: ``kind`` is one of ``sector``, ``measure``,
``project`` or ``group`` (an ``exclusive_group`` of projects.csv), ``id`` the id as the other
files write it, ``en`` and ``zh`` its display name in English and Chinese (either may be
empty). Every chart, table and report names an id through :meth:`Labels.display`, which
falls back, per language, from labels.csv to the ``name`` column of projects.csv (projects
only) and then to the id itself ("power_heat" is shown as "Power heat" in English).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from planner.data import read_table
from planner.errors import InputError

LABELS_FILE = "labels.csv"
KINDS: tuple[str, ...] = ("sector", "measure", "project", "group")
LANGS: tuple[str, ...] = ("en", "zh")


class LabelRow(BaseModel):
    """A row of labels.csv: unknown columns are errors, text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str = Field(description=f"one of {', '.join(KINDS)}")
    id: str = Field(min_length=1, description="the id as the other files write it")
    en: str = Field(default="", description="the English display name, or empty")
    zh: str = Field(default="", description="the Chinese display name, or empty")


@dataclass(frozen=True)
class Labels:
    """Display names: ``names[kind, id] = {"en": ..., "zh": ...}`` from labels.csv (empty
    texts left out) and ``project_names`` (the ``name`` column of projects.csv)."""

    names: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)
    project_names: Mapping[str, str] = field(default_factory=dict)

    def display(self, kind: str, ident: object, lang: str, name: object = None) -> str:
        """The name of `ident` (a `kind` id) in `lang`: labels.csv, then `name` (or, for a
        project, projects.csv's ``name``), then the id ("power_heat" -> "Power heat" in
        English)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
        key = str(ident)
        text = self.names.get((kind, key), {}).get(lang)
        if text:
            return text
        if isinstance(name, str) and name.strip():
            return name.strip()
        if kind == "project" and self.project_names.get(key):
            return self.project_names[key]
        return humanise(key) if lang == "en" else key

    def with_projects(self, project_names: Mapping[str, str]) -> Labels:
        """These labels with the project names of projects.csv as a fallback."""
        return Labels(self.names, {str(k): str(v).strip() for k, v in project_names.items()})


def humanise(ident: str) -> str:
    """An id as English words: "power_heat" -> "Power heat" (other text unchanged)."""
    if re.fullmatch(r"[a-z0-9_]+", ident):
        return ident.replace("_", " ").capitalize()
    return ident


def display(kind: str, ident: object, lang: str, labels: Labels | None = None,
            name: object = None) -> str:
    """The display name of `ident` through `labels` (see :meth:`Labels.display`); without
    labels, `name` or the id (humanised in English)."""
    return (labels or NO_LABELS).display(kind, ident, lang, name)


NO_LABELS = Labels()


def load_labels(folder: Path | str) -> Labels:
    """The labels of a dataset folder (empty when it has no labels.csv). Raises InputError
    naming the line and column of an unknown kind, a duplicate (kind, id) or a missing id."""
    path = Path(folder) / LABELS_FILE
    if not path.is_file():
        return NO_LABELS
    stat = path.stat()
    return _load(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _load(path_text: str, _mtime_ns: int, _size: int) -> Labels:
    path = Path(path_text)
    df = read_table(path, LabelRow)
    names: dict[tuple[str, str], dict[str, str]] = {}
    first: dict[tuple[str, str], int] = {}
    for kind, ident, en, zh, line in zip(df["kind"], df["id"], df["en"], df["zh"], df["line"],
                                         strict=True):
        if kind not in KINDS:
            raise InputError(path, f"line {line}, column 'kind'", f"found {kind!r}",
                             f"one of {', '.join(KINDS)}")
        key = (kind, ident)
        if key in first:
            raise InputError(path, f"line {line}, column 'id'",
                             f"duplicate {kind} id {ident!r}",
                             f"each (kind, id) once (first given on line {first[key]})")
        first[key] = int(line)
        names[key] = {lang: text for lang, text in (("en", en), ("zh", zh)) if text}
    return Labels(names)
