"""One writer per output folder: runs into the same --out at once never leave a half-written
folder, never fail with an internal error, and a folder left by a killed run is recovered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from conftest import REPO, write_case
from filelock import FileLock

from planner.cli import main
from planner.outputs import folder
from planner.outputs.folder import MARKER, lock_path

PAIRS = 20

#: one long-lived process per writer (the imports are paid once); before each round both
#: wait at a file barrier, then run `planner run` into the same folder at the same moment.
#: Charts are laid out but not rendered to bytes (a stub file instead), to keep 40 runs quick:
#: this test is about the folder, not the pictures.
WRITER = textwrap.dedent("""
    import contextlib, io, json, sys, time
    from pathlib import Path
    from matplotlib.figure import Figure
    from planner.cli import main

    Figure.savefig = lambda self, fname, **kw: Path(fname).write_bytes(b"chart")

    scenario, out, sync, me, rounds = sys.argv[1:6]
    sync = Path(sync)
    log = []
    for i in range(int(rounds)):
        (sync / f"ready-{i}-{me}").touch()
        while len(list(sync.glob(f"ready-{i}-*"))) < 2:
            time.sleep(0.002)
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["run", scenario, "--out", out])
        log.append({"round": i, "code": code, "stderr": err.getvalue()})
        (sync / f"done-{i}-{me}").touch()
        while len(list(sync.glob(f"done-{i}-*"))) < 2:
            time.sleep(0.002)
    (sync / f"log-{me}.json").write_text(json.dumps(log))
""")


def _tiny_case(tmp_path: Path) -> Path:
    return write_case(tmp_path / "case", baseline={"industry": [100.0, 100.0, 100.0]},
                      projects=[{"project": "a", "abatement_t_per_unit_year": 30.0,
                                 "capex_cny_per_unit": 10.0, "max_units": 2.0,
                                 "max_build_per_year": 2.0}],
                      scenario={"target": {"cap_t": 80.0}})


def _complete(out: Path, expected: set[str]) -> bool:
    names = {p.name for p in out.iterdir()}
    return names == expected and json.loads((out / "summary.json").read_text())["status"] \
        == "optimal"


def test_two_runs_into_one_folder_at_once(tmp_path, capsys):
    scenario = _tiny_case(tmp_path)
    ref = tmp_path / "ref"
    assert main(["run", str(scenario), "--out", str(ref)]) == 0
    capsys.readouterr()
    expected = {p.name for p in ref.iterdir()}
    assert {"summary.json", "emissions.csv", "deployment.csv", MARKER} <= expected

    out = tmp_path / "shared"
    sync = tmp_path / "sync"
    sync.mkdir()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, str(script), str(scenario), str(out), str(sync),
                               str(k), str(PAIRS)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, env=env) for k in (0, 1)]
    # watch the folder the whole time: it is always either complete or absent
    seen_complete = 0
    deadline = time.time() + 240
    while any(p.poll() is None for p in procs):
        assert time.time() < deadline, "the writers did not finish"
        try:
            if out.exists():
                assert _complete(out, expected), sorted(p.name for p in out.iterdir())
                seen_complete += 1
        except FileNotFoundError:  # replaced between listing and reading: look again
            pass
        time.sleep(0.005)
    logs = []
    for k, p in enumerate(procs):
        _, stderr = p.communicate()
        assert p.returncode == 0, stderr
        logs += json.loads((sync / f"log-{k}.json").read_text())
    assert len(logs) == 2 * PAIRS
    for entry in logs:
        err = entry["stderr"]
        assert "internal error" not in err and "Traceback" not in err, err
        # every run succeeds (the second waits for the first) or says the folder is busy
        assert entry["code"] == 0 or "the folder is busy" in err, entry
    assert sum(e["code"] == 0 for e in logs) >= PAIRS
    assert _complete(out, expected)
    assert seen_complete > 0
    leftovers = [p.name for p in tmp_path.iterdir()
                 if ".planner-partial-" in p.name or ".planner-old-" in p.name]
    assert leftovers == []


def test_busy_folder_is_a_clear_message(tmp_path, capsys, monkeypatch):
    scenario = _tiny_case(tmp_path)
    out = tmp_path / "busy"
    monkeypatch.setattr(folder, "LOCK_WAIT_S", 0.2)
    with FileLock(str(lock_path(out))):  # another run writing it
        code = main(["run", str(scenario), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "another planner run is writing" in err
    assert "the folder is busy" in err and "give another --out" in err
    assert "internal error" not in err
    assert not out.exists()
    # once the other run is done, the folder is written
    assert main(["run", str(scenario), "--out", str(out)]) == 0
    assert (out / "summary.json").is_file()


def test_killed_run_leaves_nothing_locked(tmp_path, capsys):
    """A run killed while holding the lock: the operating system releases it, and the next
    run removes the partial folder it left."""
    scenario = _tiny_case(tmp_path)
    out = tmp_path / "res"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import os, sys, time
            from pathlib import Path
            from filelock import FileLock
            FileLock({str(lock_path(out))!r}).acquire()
            partial = Path({str(tmp_path)!r}) / ".res.planner-partial-{{}}".format(os.getpid())
            partial.mkdir()
            (partial / {MARKER!r}).write_text("x")
            print("locked", flush=True)
            time.sleep(120)
        """)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=30)
    assert any(".planner-partial-" in p.name for p in tmp_path.iterdir())
    t0 = time.time()
    assert main(["run", str(scenario), "--out", str(out)]) == 0, capsys.readouterr().err
    assert time.time() - t0 < 30
    assert (out / "summary.json").is_file()
    assert not any(".planner-partial-" in p.name for p in tmp_path.iterdir())
