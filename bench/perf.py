"""Benchmark: planner against the straight-highspy reference LP on synthetic cases.

For each size (number of projects; 41 years) a case is generated with bench/synth.py in a
temporary folder, then, in the same run and each phase in its own fresh child process (spawn):

- reference: bench/reference.py end to end (YAML + CSV -> arrays -> passModel -> run) and
  HiGHS's own time inside it (wall time of h.run(), and HiGHS's getRunTime over it);
- planner build: planner.load_scenario + planner.bind, then the Pyomo model build
  (planner.model.formulation.build_model if it exists, else planner.model.build_model);
- planner.solve: planner.load_scenario(path) + planner.solve(sc), wall time (planner's
  modules imported before the clock starts, as the reference's are);
- the peak resident memory (max RSS, MB) of each child process.

Medians over --repeat runs. Plus, in fresh processes (medians of 5 paired runs, CPU time =
user + system): `import planner` against a bare import of pyomo.environ, highspy, pandas,
numpy and yaml, and `planner run scenarios/zhuzhou_peak2025.yaml --out <tmp>` against the same
bare import. Prints a markdown table and writes bench/out/perf.md and bench/out/perf.json.

    python bench/perf.py [--sizes 100,1000,3000] [--repeat 3] [--timeout 1800]
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
TOLERANCE = 1e-9  # relative objective difference above which the table says MISMATCH
BARE_IMPORT = "import pyomo.environ, highspy, pandas, numpy, yaml"
PLANNER_RUN = ("import sys; from planner.cli import main; "
               "sys.argv[0] = 'planner'; sys.exit(main())")


def _ensure_repo_path() -> None:
    """Make this checkout's `planner` and `bench` importable (before an installed planner)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))


def _rss_mb() -> float:
    """Peak resident memory of this process so far, MB (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _import_planner() -> Any:
    """`import planner` with the modules its solves use (planner.api, resolved lazily on first
    use) already loaded: imports are start-up, timed on their own in `startup_times`, and the
    reference's modules (highspy, pandas, scipy, yaml) are imported before its clock too."""
    import planner

    for name in ("load_scenario", "bind", "solve"):
        getattr(planner, name)
    return planner


# ------------------------------------------------------------------ phases (run in children)


def phase_reference(path: str) -> dict[str, Any]:
    """Reference LP end to end; times in s, objective in CNY."""
    from bench import reference

    rss0 = _rss_mb()
    r = reference.solve(path)
    return {"status": r.status, "objective": r.objective, "total_s": r.total_s,
            "read_s": r.read_s, "build_s": r.build_s, "highs_s": r.highs_s,
            "highs_runtime_s": r.highs_runtime_s, "num_col": r.num_col, "num_row": r.num_row,
            "nnz": r.nnz, "rss_after_import_mb": rss0}


def phase_planner_build(path: str) -> dict[str, Any]:
    """planner.load_scenario + bind, then the Pyomo model build (formulation blocks -> Pyomo,
    pyomo.environ imported before the clock starts); times in s."""
    planner = _import_planner()

    rss0 = _rss_mb()
    t0 = time.perf_counter()
    inp = planner.bind(planner.load_scenario(path))
    t1 = time.perf_counter()
    build, name = _find_builder()
    if build is None:
        return {"load_bind_s": t1 - t0, "build_s": None, "builder": "n/a",
                "rss_after_import_mb": rss0}
    import pyomo.environ  # noqa: F401 - the import is start-up, not build

    t1 = time.perf_counter()
    build(inp)
    t2 = time.perf_counter()
    return {"load_bind_s": t1 - t0, "build_s": t2 - t1, "builder": name,
            "rss_after_import_mb": rss0}


def _find_builder() -> tuple[Callable[..., Any] | None, str]:
    """formulate + blocks.to_pyomo, else planner.model.formulation.build_model, else None."""
    import importlib

    try:
        from planner.model.blocks import to_pyomo
        from planner.model.formulation import formulate

        return (lambda inp: to_pyomo(formulate(inp))), "blocks.to_pyomo(formulate(inp))"
    except ImportError:
        pass
    for mod, label in (("planner.model.formulation", "model.formulation.build_model"),
                       ("planner.model", "model.build_model")):
        try:
            fn = getattr(importlib.import_module(mod), "build_model", None)
        except ImportError:
            fn = None
        if callable(fn):
            return fn, label
    return None, "n/a"


def phase_planner_solve(path: str) -> dict[str, Any]:
    """planner.load_scenario(path) + planner.solve(sc) (economics=True, the default), wall
    time in s; objective in CNY."""
    planner = _import_planner()

    rss0 = _rss_mb()
    t0 = time.perf_counter()
    res = planner.solve(planner.load_scenario(path))
    t1 = time.perf_counter()
    return {"solve_s": t1 - t0, "objective": float(res.objective_cny),
            "rss_after_import_mb": rss0}


def phase_planner_core(path: str) -> dict[str, Any]:
    """The issue's end-to-end list: load, bind, build, solve, re-check, tables, duals,
    one-sided prices — planner.solve(sc, economics=False); wall time in s."""
    planner = _import_planner()

    rss0 = _rss_mb()
    t0 = time.perf_counter()
    res = planner.solve(planner.load_scenario(path), economics=False)
    t1 = time.perf_counter()
    return {"core_s": t1 - t0, "objective": float(res.objective_cny),
            "rss_after_import_mb": rss0}


#: the infeasible variant of a case: its cap scaled by this (projects abate ~30 % of BAU)
INFEASIBLE_CAP_SHARE = 0.6


def phase_planner_infeasible(path: str) -> dict[str, Any]:
    """The case with its cap at INFEASIBLE_CAP_SHARE of itself: planner.solve(sc,
    economics=False) with the explanation (diagnosis), wall time in s."""
    planner = _import_planner()

    rss0 = _rss_mb()
    sc = planner.load_scenario(path)
    tg = sc.target.model_copy(update={"cap_t": sc.target.cap_t * INFEASIBLE_CAP_SHARE})
    sc = sc.model_copy(update={"target": tg})
    t0 = time.perf_counter()
    res = planner.solve(sc, economics=False)
    t1 = time.perf_counter()
    return {"infeasible_s": t1 - t0, "status": res.status,
            "explained": res.diagnosis is not None, "rss_after_import_mb": rss0}


def phase_sweep(points: str) -> dict[str, Any]:
    """bench/sweep_bench.py's cap sweep on the bundled city (`points` caps): per point, the
    warm re-solve of one persistent model against a rebuild and solve, medians in s."""
    _import_planner()
    from bench import sweep_bench

    return sweep_bench.run(int(points))


def _child(fn: Callable[[str], dict[str, Any]], path: str, conn: Any) -> None:
    try:
        out = fn(path)
    except BaseException as exc:  # report anything, including SystemExit from planner
        out = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0][:200],
               "traceback": traceback.format_exc()}
    out["max_rss_mb"] = _rss_mb()
    conn.send(out)
    conn.close()


def in_child(fn: Callable[[str], dict[str, Any]], path: str, timeout: float) -> dict[str, Any]:
    """Run fn(path) in a fresh spawned process; its result plus max_rss_mb, or {'error': ...}."""
    ctx = mp.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, path, send))
    proc.start()
    send.close()
    out: dict[str, Any] | None = None
    if recv.poll(timeout):
        try:
            out = recv.recv()
        except EOFError:
            out = None
    if out is None:
        if proc.is_alive():
            proc.kill()
            out = {"error": f"timeout after {timeout:g} s"}
        else:
            proc.join()
            out = {"error": f"child died with exit code {proc.exitcode}"}
    proc.join()
    return out


# ------------------------------------------------------------------ fresh-process CPU times


def _cpu_of(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """(CPU seconds user+system, exit code) of one subprocess run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL, check=False).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)), rc


def startup_times(pairs: int = 5) -> dict[str, Any]:
    """Medians of paired fresh-process CPU times (s): bare import, import planner, planner run."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    py = sys.executable
    bare, imp, run, rcs = [], [], [], set()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(pairs):
            bare.append(_cpu_of([py, "-c", BARE_IMPORT], env, REPO)[0])
            imp.append(_cpu_of([py, "-c", "import planner"], env, REPO)[0])
            cpu, rc = _cpu_of([py, "-c", PLANNER_RUN, "run", "scenarios/zhuzhou_peak2025.yaml",
                               "--out", str(Path(tmp) / f"run{i}")], env, REPO)
            run.append(cpu)
            rcs.add(rc)
    med = statistics.median
    return {"pairs": pairs, "bare_import_cpu_s": med(bare), "planner_import_cpu_s": med(imp),
            "planner_run_cpu_s": med(run), "planner_run_exit_codes": sorted(rcs),
            "import_over_bare": med(i / b for i, b in zip(imp, bare, strict=True)),
            "run_over_bare": med(r / b for r, b in zip(run, bare, strict=True))}


# ------------------------------------------------------------------ driver


def _median(runs: list[dict[str, Any]], key: str) -> float | None:
    vals = [r[key] for r in runs if r.get(key) is not None and "error" not in r]
    return statistics.median(vals) if vals else None


def bench_size(n: int, repeat: int, timeout: float) -> dict[str, Any]:
    """Generate a case of n projects and time every phase `repeat` times (medians)."""
    from bench.synth import write_case

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = str(write_case(Path(tmp) / f"case{n}", n))
        gen_s = time.perf_counter() - t0
        runs: dict[str, list[dict[str, Any]]] = {"reference": [], "build": [], "core": [],
                                                 "solve": [], "infeasible": []}
        for _ in range(repeat):
            runs["reference"].append(in_child(phase_reference, path, timeout))
            runs["build"].append(in_child(phase_planner_build, path, timeout))
            runs["core"].append(in_child(phase_planner_core, path, timeout))
            runs["solve"].append(in_child(phase_planner_solve, path, timeout))
            runs["infeasible"].append(in_child(phase_planner_infeasible, path, timeout))
    ref, build, solve = runs["reference"], runs["build"], runs["solve"]
    core, infeas = runs["core"], runs["infeasible"]
    out: dict[str, Any] = {
        "size": n, "generate_s": gen_s, "runs": runs,
        "ref_total_s": _median(ref, "total_s"), "highs_s": _median(ref, "highs_s"),
        "highs_runtime_s": _median(ref, "highs_runtime_s"),
        "ref_objective": _median(ref, "objective"), "ref_status": ref[0].get("status"),
        "ref_rss_mb": _median(ref, "max_rss_mb"),
        "load_bind_s": _median(build, "load_bind_s"), "build_s": _median(build, "build_s"),
        "builder": build[0].get("builder", "n/a"), "build_rss_mb": _median(build, "max_rss_mb"),
        "solve_s": _median(solve, "solve_s"), "planner_objective": _median(solve, "objective"),
        "solve_rss_mb": _median(solve, "max_rss_mb"),
        "core_s": _median(core, "core_s"), "core_objective": _median(core, "objective"),
        "core_rss_mb": _median(core, "max_rss_mb"),
        "infeasible_s": _median(infeas, "infeasible_s"),
        "infeasible_status": sorted({str(r.get("status")) for r in infeas}),
        "infeasible_explained": all(r.get("explained") for r in infeas),
        "errors": {k: sorted({r["error"] for r in v if "error" in r}) for k, v in runs.items()},
        "lp": {k: ref[0].get(k) for k in ("num_col", "num_row", "nnz")},
    }
    a, b = out["planner_objective"], out["ref_objective"]
    out["rel_diff"] = (abs(a - b) / max(1.0, abs(b)) if a is not None and b is not None
                       and math.isfinite(a) and math.isfinite(b) else None)
    c = out["core_objective"]
    out["core_rel_diff"] = (abs(c - b) / max(1.0, abs(b)) if c is not None and b is not None
                            else None)
    out["mismatch"] = out["rel_diff"] is not None and out["rel_diff"] > TOLERANCE or (
        out["core_rel_diff"] is not None and out["core_rel_diff"] > TOLERANCE)
    return out


def _f(x: float | None, fmt: str = ".3f") -> str:
    return "n/a" if x is None else format(x, fmt)


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.1f}x"


def table(results: list[dict[str, Any]], start: dict[str, Any] | None, repeat: int) -> str:
    """The markdown report: one row per size, then start-up CPU times and any errors."""
    lines = [
        f"Medians of {repeat} run(s); 41 years; times are wall seconds; memory is each child "
        "process's max RSS (MB).",
        "",
        "| size | LP cols x rows | reference total s | HiGHS solve s | Pyomo build s (x HiGHS) "
        "| planner.solve economics=False s (x HiGHS, x ref) | planner.solve s (x HiGHS) | "
        "infeasible + explanation s (x economics=False) | objective rel. diff | "
        "peak RSS MB ref / build / solve |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in results:
        lp = r["lp"]
        shape = f"{lp['num_col']} x {lp['num_row']}" if lp.get("num_col") else "n/a"
        build = ("n/a" if r["build_s"] is None and r["builder"] == "n/a"
                 else f"{_f(r['build_s'])} ({_ratio(r['build_s'], r['highs_s'])})")
        if r["errors"]["build"]:
            build = f"error: {r['errors']['build'][0]}"
        core = (f"{_f(r['core_s'])} ({_ratio(r['core_s'], r['highs_s'])}, "
                f"{_ratio(r['core_s'], r['ref_total_s'])})")
        if r["errors"]["core"]:
            core = f"error: {r['errors']['core'][0]}"
        solve = f"{_f(r['solve_s'])} ({_ratio(r['solve_s'], r['highs_s'])})"
        if r["errors"]["solve"]:
            solve = f"error: {r['errors']['solve'][0]}"
        inf = f"{_f(r['infeasible_s'])} ({_ratio(r['infeasible_s'], r['core_s'])})"
        if r["infeasible_status"] != ["infeasible"] or not r["infeasible_explained"]:
            inf += f" status {r['infeasible_status']}"
        if r["errors"]["infeasible"]:
            inf = f"error: {r['errors']['infeasible'][0]}"
        diff = _f(r["rel_diff"], ".2e") if r["rel_diff"] is not None else "n/a (no objective)"
        if r["mismatch"]:
            diff = f"**MISMATCH** {diff} (planner {_f(r['planner_objective'], '.6e')}, " \
                   f"ref {_f(r['ref_objective'], '.6e')})"
        rss = " / ".join(_f(r[k], ".0f") for k in ("ref_rss_mb", "build_rss_mb", "solve_rss_mb"))
        ref_total = _f(r["ref_total_s"])
        if r["errors"]["reference"]:
            ref_total = f"error: {r['errors']['reference'][0]}"
        lines.append(f"| {r['size']} | {shape} | {ref_total} | {_f(r['highs_s'])} | {build} | "
                     f"{core} | {solve} | {inf} | {diff} | {rss} |")
    if start is not None:
        lines += [
            "",
            f"Start-up, fresh processes, CPU s (user+system), medians of {start['pairs']} "
            "paired runs:",
            "",
            "| command | CPU s | x bare import |",
            "|---|---:|---:|",
            f"| `python -c \"{BARE_IMPORT}\"` | {start['bare_import_cpu_s']:.3f} | 1.0x |",
            f"| `python -c \"import planner\"` | {start['planner_import_cpu_s']:.3f} | "
            f"{start['import_over_bare']:.2f}x |",
            f"| `planner run scenarios/zhuzhou_peak2025.yaml --out <tmp>` | "
            f"{start['planner_run_cpu_s']:.3f} | {start['run_over_bare']:.2f}x |",
        ]
        if start["planner_run_exit_codes"] != [0]:
            lines.append(f"\n`planner run` exit codes: {start['planner_run_exit_codes']}")
    mism = [r["size"] for r in results if r["mismatch"]]
    if mism:
        lines += ["", f"**MISMATCH**: planner's objective differs from the reference by more "
                  f"than {TOLERANCE:g} (relative) at sizes {mism}."]
    return "\n".join(lines) + "\n"


def targets(results: list[dict[str, Any]], start: dict[str, Any] | None,
            sweep: dict[str, Any] | None) -> list[tuple[str, str, float | None, float]]:
    """Each target of the performance issue with the value this run measured (None: not
    measured in this run) and its limit (met when value ≤ limit)."""
    at = {r["size"]: r for r in results}

    def ratio(size: int, a: str, b: str) -> float | None:
        r = at.get(size)
        return None if r is None or r[a] is None or not r[b] else r[a] / r[b]

    out = [
        ("Pyomo build / HiGHS solve", "1000", ratio(1000, "build_s", "highs_s"), 1.0),
        ("planner.solve economics=False / HiGHS solve", "1000",
         ratio(1000, "core_s", "highs_s"), 3.0),
        ("planner.solve economics=False / straight-highspy reference", "1000",
         ratio(1000, "core_s", "ref_total_s"), 2.0),
    ]
    for n in sorted(at):
        out.append(("infeasible + explanation / feasible economics=False solve", str(n),
                    ratio(n, "infeasible_s", "core_s"), 3.0))
    for n in sorted(at):
        out.append(("objective: relative difference from the reference", str(n),
                    max(x for x in (at[n]["rel_diff"], at[n]["core_rel_diff"], 0.0)
                        if x is not None), TOLERANCE))
    if 3000 in at:
        rss = [at[3000][k] for k in ("ref_rss_mb", "build_rss_mb", "solve_rss_mb")
               if at[3000][k] is not None]
        out.append(("peak memory, MB", "3000", max(rss) if rss else None, 4096.0))
    out.append(("`planner run` CPU / bare import", "city",
                start["run_over_bare"] if start else None, 2.0))
    out.append(("sweep: warm re-solve / rebuild and solve, per point", "city",
                sweep["warm_s"] / sweep["rebuild_s"] if sweep and "warm_s" in sweep else None,
                0.2))
    return out


def targets_table(rows: list[tuple[str, str, float | None, float]]) -> str:
    """The targets as a markdown table: value, limit, met / NOT MET / not measured."""
    lines = ["", "Targets of the performance issue, this run:", "",
             "| target | at | value | limit | |", "|---|---|---:|---:|---|"]
    for what, at, value, limit in rows:
        verdict = ("not measured" if value is None
                   else "met" if value <= limit else "**NOT MET**")
        shown = "n/a" if value is None else (f"{value:.2e}" if limit < 1e-3 else f"{value:.2f}")
        lines.append(f"| {what} | {at} | {shown} | {limit:g} | {verdict} |")
    return "\n".join(lines) + "\n"


def sweep_table(sweep: dict[str, Any] | None, points: int) -> str:
    """The sweep's per-point medians as a markdown table (or its error)."""
    if sweep is None:
        return ""
    if "error" in sweep:
        return f"\nSweep: error: {sweep['error']}\n"
    return "\n".join([
        "", f"Cap sweep on the bundled city ({points} points, fresh process; "
        "`bench/sweep_bench.py`), medians per point:", "",
        "| warm re-solve ms | rebuild and solve ms | x | sweep point ms | HiGHS alone ms | "
        "same objectives |", "|---:|---:|---:|---:|---:|---|",
        f"| {sweep['warm_s'] * 1e3:.2f} | {sweep['rebuild_s'] * 1e3:.2f} | "
        f"{sweep['rebuild_s'] / sweep['warm_s']:.0f}x | {sweep['sweep_point_s'] * 1e3:.2f} | "
        f"{sweep['highs_s'] * 1e3:.2f} | {sweep['same_objectives']} |"]) + "\n"


def main() -> None:
    """Command line entry point."""
    _ensure_repo_path()
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,3000", help="comma-separated project counts")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size (medians)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per phase")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up timings")
    ap.add_argument("--sweep-points", type=int, default=100,
                    help="caps of the sweep on the bundled city (0: no sweep)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    results = []
    for n in sizes:
        print(f"size {n} ...", file=sys.stderr, flush=True)
        results.append(bench_size(n, args.repeat, args.timeout))
    start = None
    if not args.no_startup:
        print("start-up times ...", file=sys.stderr, flush=True)
        start = startup_times()
    sweep = None
    if args.sweep_points > 0:
        print("sweep ...", file=sys.stderr, flush=True)
        sweep = in_child(phase_sweep, str(args.sweep_points), args.timeout)
    md = (table(results, start, args.repeat) + sweep_table(sweep, args.sweep_points)
          + targets_table(targets(results, start, sweep)))
    print(md)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "perf.md").write_text(md, encoding="utf-8")
    meta = {"python": sys.version.split()[0], "machine": platform.platform(),
            "cpus": os.cpu_count(), "repeat": args.repeat, "tolerance": TOLERANCE}
    (OUT / "perf.json").write_text(json.dumps({"meta": meta, "sizes": results,
                                               "startup": start, "sweep": sweep},
                                              indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
