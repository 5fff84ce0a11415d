"""Benchmark: `planner run` end to end on synthetic cases of province size.

For each size (projects; 41 years) a case is generated with bench/synth.py, then
`planner run <case> --out <tmp>` runs in a fresh process: the whole command an analyst types
(solve with headlines, one-sided prices, ranking with entry prices and the model-derived MAC
curve, recommendations, charts, files). Reports wall and CPU seconds, the exit code and the
notes the run printed (e.g. budgets of solves spent), and the same run with `--no-rank`.

    python bench/run_bench.py [--sizes 100,300,1000] [--timeout 1800]

Writes bench/out/run_bench.md and bench/out/run_bench.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
RUN = "import sys; from planner.cli import main; sys.argv[0] = 'planner'; sys.exit(main())"


def timed_run(args: list[str], timeout: float) -> dict[str, Any]:
    """Wall and CPU seconds (user + system of the child), exit code and warning lines."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        p = subprocess.run([sys.executable, "-c", RUN, *args], cwd=REPO, capture_output=True,
                           text=True, timeout=timeout, check=False)
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        rc, err = None, f"timed out after {timeout:g} s"
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    notes = [ln for ln in err.splitlines() if ln.startswith(("warning:", "internal error"))]
    return {"wall_s": wall, "cpu_s": cpu, "exit_code": rc, "notes": notes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,300,1000")
    ap.add_argument("--timeout", type=float, default=1800.0)
    a = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from bench.synth import write_case

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in a.sizes.split(",")):
            print(f"size {n} ...", file=sys.stderr, flush=True)
            case = write_case(Path(tmp) / f"case{n}", n)
            full = timed_run(["run", str(case), "--out", str(Path(tmp) / f"out{n}")],
                             a.timeout)
            bare = timed_run(["run", str(case), "--out", str(Path(tmp) / f"norank{n}"),
                              "--no-rank"], a.timeout)
            rows.append({"projects": n, "run": full, "no_rank": bare})
    lines = ["| projects | `planner run` wall s | CPU s | exit | `--no-rank` wall s | notes |",
             "|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        f, b = r["run"], r["no_rank"]
        notes = "; ".join(n.split(":")[1].split("(")[0].strip()[:60] for n in f["notes"])
        lines.append(f"| {r['projects']} | {f['wall_s']:.1f} | {f['cpu_s']:.1f} | "
                     f"{f['exit_code']} | {b['wall_s']:.1f} | {notes or '-'} |")
    table = "\n".join(lines)
    print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "run_bench.md").write_text(table + "\n", encoding="utf-8")
    (OUT / "run_bench.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
