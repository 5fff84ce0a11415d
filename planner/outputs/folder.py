"""Writing result folders atomically.

Files are written into a hidden sibling folder ``.<name>.planner-partial-<pid>`` and moved into
place only when every file is complete. An existing output folder is replaced only if planner
made it (it holds the marker file ``.planner-output``); anything else is never deleted.
A run stopped by Ctrl-C or SIGTERM removes its partial folder; one killed outright leaves a
hidden partial folder that the next run into the same place removes.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from planner.errors import InputError, PlannerError

MARKER = ".planner-output"
PARTIAL = ".planner-partial-"
#: float format of every CSV: 12 significant digits (≪ 1 t, ≪ 1 CNY at city scale)
FLOAT_FORMAT = "%.12g"


def write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def _json_default(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, Path):
        return str(v)
    raise TypeError(f"not JSON serialisable: {type(v).__name__}")


def _finite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {str(k): _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def write_json(obj: Any, path: Path) -> None:
    path.write_text(json.dumps(_finite(obj), indent=2, ensure_ascii=False,
                               default=_json_default) + "\n", encoding="utf-8")


class Interrupted(PlannerError):
    """SIGTERM during writing: the partial folder was removed, earlier results kept."""

    exit_code = 143


@contextmanager
def _stop_on_term():
    """Turn SIGTERM into an exception so the partial folder is cleaned up."""
    def handler(signum, frame):  # noqa: ARG001
        raise Interrupted("stopped by SIGTERM; nothing was written, earlier results are intact")

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not in the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def check_target(out: Path) -> None:
    """Refuse an output folder planner did not make (before any solving)."""
    if out.exists() and not out.is_dir():
        raise InputError(out, "--out", "exists and is a file", "a folder path")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise InputError(out, "--out", "the folder exists, is not empty and was not written "
                         "by planner", "a new or empty folder, or one planner wrote before",
                         "planner never deletes files it did not create")


def write_folder(out: Path, writers: dict[str, Callable[[Path], None]]) -> Path:
    """Write each file name -> writer(path) into `out`, atomically as a whole."""
    out = Path(out)
    check_target(out)
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f".{out.name}{PARTIAL}*"):
        if (stale / MARKER).exists():
            shutil.rmtree(stale, ignore_errors=True)
    tmp = parent / f".{out.name}{PARTIAL}{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    (tmp / MARKER).write_text("This folder was written by planner; planner may replace it.\n")
    try:
        with _stop_on_term():
            for name, writer in writers.items():
                writer(tmp / name)
            old = None
            if out.exists():
                old = parent / f".{out.name}.planner-old-{os.getpid()}"
                if (out / MARKER).exists():
                    os.replace(out, old)
                else:  # an empty folder the user made
                    out.rmdir()
            os.replace(tmp, out)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
