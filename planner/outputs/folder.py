"""Writing result folders atomically.

Files are written into a hidden sibling folder ``.<name>.planner-partial-<pid>`` and moved into
place only when every file is complete. An existing output folder is replaced only if planner
made it (it holds the marker file ``.planner-output``); anything else is never deleted.
A run stopped by Ctrl-C or SIGTERM removes its partial folder; one killed outright leaves a
hidden partial folder that the next run into the same place removes.

One run at a time writes a folder: :func:`write_folder` holds a lock (the hidden sibling file
``.<name>.planner-lock``, via `filelock`); a second run waits for the first to finish writing.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from planner.errors import InputError, PlannerError

MARKER = ".planner-output"
PARTIAL = ".planner-partial-"
OLD = ".planner-old-"
LOCK = ".planner-lock"
#: float format of every CSV: 12 significant digits (≪ 1 t, ≪ 1 CNY at city scale)
FLOAT_FORMAT = "%.12g"


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write `df` as a CSV (no index, 12 significant digits, LF line ends) to `path`."""
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
    """Write `obj` as UTF-8 JSON to `path` (NaN and inf written as null)."""
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


#: seconds a run waits for another run writing the same output folder before giving up
LOCK_WAIT_S = 300.0


def lock_path(out: Path) -> Path:
    """The lock file of an output folder: a hidden sibling (the folder itself is replaced)."""
    out = Path(out)
    parent = out.parent if str(out.parent) else Path(".")
    return parent / f".{out.name}{LOCK}"


@contextmanager
def folder_lock(out: Path, wait_s: float | None = None):
    """Hold the output folder's lock: one writer at a time. Waits up to `wait_s` seconds
    (default LOCK_WAIT_S) for another run, then raises InputError saying the folder is busy.
    The operating system releases the lock of a killed run, so nothing is left locked."""
    from filelock import FileLock, Timeout  # only commands that write need it

    wait_s = LOCK_WAIT_S if wait_s is None else wait_s
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"note: another planner run is writing {out}/; waiting for it (up to "
              f"{wait_s:.0f} s)", file=sys.stderr)
        try:
            lock.acquire(timeout=wait_s)
        except Timeout:
            raise InputError(out, "--out", "the folder is busy: another planner run is still "
                             f"writing it after {wait_s:.0f} s",
                             "an output folder no other run is writing",
                             "wait for the other run to finish, or give another --out"
                             ) from None
    try:
        yield
    finally:
        lock.release()


def _remove_leftovers(parent: Path, name: str) -> None:
    """Partial and old folders of runs that were killed (only called under the lock)."""
    for pattern in (f".{name}{PARTIAL}*", f".{name}{OLD}*"):
        for stale in parent.glob(pattern):
            if (stale / MARKER).exists():
                shutil.rmtree(stale, ignore_errors=True)


def write_folder(out: Path, writers: dict[str, Callable[[Path], None]]) -> Path:
    """Write each file name -> writer(path) into `out`, atomically as a whole, holding the
    folder's lock (a second run into the same folder waits, see :func:`folder_lock`)."""
    out = Path(out)
    check_target(out)
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    with folder_lock(out):
        check_target(out)  # again: another run may have written it meanwhile
        _remove_leftovers(parent, out.name)
        tmp = parent / f".{out.name}{PARTIAL}{os.getpid()}"
        if tmp.exists():  # left by a killed run whose process id this one reuses
            shutil.rmtree(tmp)
        tmp.mkdir()
        (tmp / MARKER).write_text("This folder was written by planner; planner may replace "
                                  "it.\n")
        try:
            with _stop_on_term():
                for name, writer in writers.items():
                    writer(tmp / name)
                old = None
                if out.exists():
                    old = parent / f".{out.name}{OLD}{os.getpid()}"
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
