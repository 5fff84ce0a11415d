"""The command line itself: a fast --help, year ranges checked, Ctrl-C that stops at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from planner.cli import main

PEAK2025 = REPO / "scenarios" / "zhuzhou_peak2025.yaml"
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
HEAVY = ("pandas", "numpy", "pyomo", "matplotlib", "highspy", "scipy", "pydantic")


def test_help_imports_nothing_heavy():
    """--help parses arguments only: pandas, Pyomo, matplotlib… are imported by commands."""
    code = ("import sys, contextlib, io\n"
            "from planner.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=ENV, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("flags", [["--no-rank"], []])
def test_a_run_imports_no_heavy_module_it_does_not_use(tmp_path, flags):
    """`planner run`, with its ranking and two MAC charts (drawn on planner's own canvas) or
    without (`--no-rank`), imports no matplotlib, Pyomo, scipy.stats or openpyxl."""
    code = ("import sys, contextlib, io\n"
            "from planner.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    rc = main(['run', {str(PEAK2025)!r}, '--out', {str(tmp_path / 'out')!r}, "
            f"*{flags!r}])\n"
            "print(rc, sorted(m for m in ('matplotlib', 'pyomo', 'scipy.stats', 'openpyxl', "
            "'fontTools') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=ENV, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "0 []"
    assert (tmp_path / "out" / "summary.json").is_file()
    charts = [tmp_path / "out" / f"{stem}.{ext}" for stem in ("mac_curve", "mac_model")
              for ext in ("png", "svg")]
    assert all(p.is_file() for p in charts) == (not flags)


def test_help_is_fast():
    best = min(_timed([sys.executable, "-m", "planner.cli", "--help"]) for _ in range(3))
    assert best < 0.5, f"planner --help took {best:.2f} s"


def _timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60)
    assert proc.returncode == 0 and "usage: planner" in proc.stdout, proc.stderr
    return time.perf_counter() - t0


def test_public_names_still_importable():
    import planner

    assert callable(planner.solve) and callable(planner.bind) and callable(planner.load_scenario)
    assert planner.Result.__name__ == "Result" and planner.Scenario.__name__ == "Scenario"
    from planner import Result, solve  # noqa: F401
    with pytest.raises(AttributeError):
        planner.no_such_name  # noqa: B018


@pytest.mark.parametrize("argv, fragment", [
    (["sweep", str(PEAK2025), "--peak-year", "2030..2026"],
     "command line: --peak-year: found '2030..2026': the range is reversed (2030 > 2026)"),
    (["frontier", str(PEAK2025), "--peak-year", "2030..2026"],
     "did you mean 2026..2030?"),
    (["sweep", str(PEAK2025), "--peak-year", "2026.."], "--peak-year: found '2026..'"),
    (["frontier", str(PEAK2025), "--peak-year", "soon"], "--peak-year: found 'soon'"),
    (["sweep", str(PEAK2025), "--cap", "4e7:3e7:0"], "--cap: found '4e7:3e7:0'"),
])
def test_bad_year_ranges_are_input_errors(argv, fragment, tmp_path, capsys):
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and fragment in err, err
    assert "internal error" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_reversed_years_in_yaml(tmp_path, capsys):
    sc = tmp_path / "rev.yaml"
    sc.write_text(f"extends: {PEAK2025}\nname: rev\nyears: {{start: 2030, end: 2026}}\n")
    assert main(["run", str(sc), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "key 'years'" in err and "end (2026) is before start (2030)" in err, err


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc for worker processes")
@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_stops_at_once(tmp_path, jobs):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) during a sweep:
    exit 130 within 2 s, one line "interrupted…", no traceback or solver noise, no worker
    left behind, nothing written."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner.cli", "sweep", str(PEAK2025), "--cap",
         "4.2e7:3.5e7:400", "--peak-year", "2022..2035", "--jobs", str(jobs), "--out",
         str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
        start_new_session=True)
    deadline = time.time() + 120
    workers: list[int] = []
    while time.time() < deadline:  # until the sweep is under way
        assert proc.poll() is None, proc.communicate()
        workers = _children(proc.pid)
        if jobs == 1 or len(workers) >= 2:
            break
        time.sleep(0.1)
    time.sleep(3.0)  # well inside the solving
    assert proc.poll() is None
    t0 = time.time()
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=30)
    took = time.time() - t0
    assert proc.returncode == 130, stderr
    assert took < 2.0, f"took {took:.1f} s to stop"
    assert stderr.strip() == "interrupted; no results were written (earlier results are intact)"
    assert not out.exists()
    time.sleep(0.2)
    assert [w for w in workers if _alive(w)] == []


def test_run_in_chinese_draws_its_charts_in_chinese(tmp_path, capsys):
    from planner.i18n import t

    assert main(["run", str(PEAK2025), "--out", str(tmp_path / "out"), "--lang", "zh"]) == 0
    svg = (tmp_path / "out" / "mac_curve.svg").read_text(encoding="utf-8")
    assert t("mac.title", "zh") in svg and t("mac.title", "en") not in svg
    assert t("mac.xlabel", "zh") in svg
