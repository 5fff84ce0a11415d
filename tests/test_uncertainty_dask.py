"""The Dask engines give the files of the serial engine: a local cluster (--workers 2) and an
existing cluster started here (`dask scheduler` + 2 `dask worker` processes, --scheduler)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from uq_cases import SPEC, tiny_case, write_spec

from planner.cli import main

REPO = Path(__file__).resolve().parents[1]
FILES = ("samples.csv", "robust_projects.csv", "uq_summary.json")
N = "8"


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    root = tmp_path_factory.mktemp("uq_dask")
    scen = tiny_case(root / "case")
    spec = write_spec(root, SPEC)
    serial = root / "serial"
    assert main(["uncertainty", str(scen), "--spec", str(spec), "--samples", N,
                 "--out", str(serial)]) == 0
    return root, scen, spec, serial


def _same(a: Path, b: Path) -> None:
    for f in FILES:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_local_cluster_gives_the_serial_files(case):
    root, scen, spec, serial = case
    out = root / "local"
    assert main(["uncertainty", str(scen), "--spec", str(spec), "--samples", N,
                 "--workers", "2", "--out", str(out)]) == 0
    _same(serial, out)


@pytest.fixture
def cluster(tmp_path):
    """A scheduler on a free port of 127.0.0.1 and two single-threaded workers."""
    dask = str(Path(sys.executable).parent / "dask")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    info = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(info)],
                              env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert info.exists(), "the scheduler did not start"
        for _ in range(2):
            procs.append(subprocess.Popen(
                [dask, "worker", "--scheduler-file", str(info), "--nthreads", "1",
                 "--no-dashboard", "--host", "127.0.0.1"],
                env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        from dask.distributed import Client

        with Client(scheduler_file=str(info), timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            address = client.scheduler.address
        yield address, procs[1:]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def test_existing_cluster_gives_the_serial_files(case, cluster):
    root, scen, spec, serial = case
    out = root / "remote"
    assert main(["uncertainty", str(scen), "--spec", str(spec), "--samples", N,
                 "--scheduler", cluster[0], "--out", str(out)]) == 0
    _same(serial, out)


def _kept(outcomes) -> list[tuple]:
    """What the files hold of each outcome (no timings), NaN-safe."""
    return [(o.sample, o.status, repr(o.npv_cny), repr(o.no_target_npv_cny), repr(o.peak_t),
             repr(o.shortfall_t), o.stock.tobytes(), o.first_build.tobytes()) for o in outcomes]


def test_a_worker_lost_mid_run_has_its_batches_done_again(case, cluster):
    """One of the two workers is killed while both hold batches: the run ends with every
    sample, the same as the serial run."""
    import threading

    from dask.distributed import Client

    import planner
    from planner.analysis.uncertainty.engine import run
    from planner.analysis.uncertainty.sampling import dimensions, draw
    from planner.uqspec import load_spec

    address, workers = cluster
    root, scen, spec, _ = case
    inp = planner.bind(planner.load_scenario(scen))
    dims = dimensions(load_spec(spec), inp)
    values = draw(dims, 2000, 1)
    serial = run(inp, dims, values)
    got: dict = {}
    thread = threading.Thread(target=lambda: got.setdefault(
        "out", run(inp, dims, values, scheduler=address, batch_size=10)))
    # the watching client lives longer than the run's (closing a second client of the same
    # process while the run's waits on a lost worker's batches stalls that one in Dask)
    with Client(address, timeout=60) as client:
        thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # both workers busy with batches
            if sum(bool(tasks) for tasks in client.processing().values()) == 2:
                break
            time.sleep(0.005)
        running = thread.is_alive()
        workers[0].kill()
        thread.join(timeout=120)
    assert running, "the run ended before a worker could be lost"
    assert not thread.is_alive()
    assert _kept(got["out"]) == _kept(serial)
