"""Run Monte Carlo samples: serially in this process, or on a Dask cluster.

Every engine runs the same function, :func:`run_batch`, on batches of sample ids. A process
keeps ONE persistent model per run and re-solves it per sample after
:meth:`PlanningModel.resample` (the lean form of :meth:`PlanningModel.update_inputs`, with the
same HiGHS calls) has changed its coefficients, costs and bounds; before each solve the basis is
reset to the base scenario's optimal basis, so a sample's result does not depend on which
samples the process solved before it. Results are sorted by sample id: identical files
whichever engine ran them.

- serial (default): no Dask import at all;
- ``workers=N``: ``dask.distributed.LocalCluster(n_workers=N, threads_per_worker=1,
  processes=True)``;
- ``scheduler="tcp://host:8786"``: ``dask.distributed.Client(address)`` on an existing cluster.

A batch lost with its worker is retried (``retries=2``).

Per sample: status; NPV (start-year CNY); the NPV of the same sample without any target row
(the no-target plan) and the difference, the target cost; peak year and level; each project's
stock in the target year and first build year; for an infeasible sample the total shortfall
(tCO2) of the elastic model, its first year and the target groups that fall short.
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field

import numpy as np

from planner.analysis.uncertainty.apply import SampleApplier
from planner.analysis.uncertainty.sampling import Dimension
from planner.model.catalogue import TARGET_ROWS
from planner.model.inputs import ModelInputs
from planner.model.persistent import PlanningModel, StructureChanged
from planner.model.resample import SampledValues
from planner.scenario import Target

#: share of a project's potential above which it counts as built / used
USED_TOL = 1e-6


@dataclass(frozen=True)
class Payload:
    """What every process needs to solve samples: the base inputs and the dimensions."""

    token: str
    inp: ModelInputs
    dims: tuple[Dimension, ...]
    fast: bool = True


@dataclass
class Outcome:
    """One sample's outcome (money in start-year CNY, emissions in tCO2)."""

    sample: int
    status: str
    npv_cny: float = math.nan
    no_target_npv_cny: float = math.nan
    peak_year: float = math.nan
    peak_t: float = math.nan
    shortfall_t: float = math.nan
    shortfall_first_year: float = math.nan
    shortfall_groups: str = ""
    stock: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per project, target year
    first_build: np.ndarray = field(default_factory=lambda: np.zeros(0))  # per project, NaN: never
    path: str = "resample"  # resample | rebuild
    solve_seconds: float = 0.0  # HiGHS time of the sample's target solve (benchmarks only)
    extra_solve_seconds: float = 0.0  # HiGHS time of its shortfall solve (infeasible samples)
    # HiGHS's own clock (benchmarks only): every solve of the sample (no-target plan, target,
    # shortfall), and its target solve alone
    highs_seconds: float = 0.0
    target_highs_seconds: float = 0.0
    wall_seconds: float = 0.0  # the whole sample in its process: apply, update, solves, outcome
    cpu_seconds: float = 0.0  # the same, in this process's CPU time (a shared machine)
    target_cpu_seconds: float = 0.0  # CPU time of the target solve


def target_year(inp: ModelInputs) -> int:
    """The target's peak year, or the last year of the horizon when there is none."""
    return inp.scenario.target.peak_year or inp.report_end


class _Columns:
    """Column indices of build, stock (project x year) and emissions (year) in a built LP, and
    what a sample's outcome reads that samples do not change (found once per model)."""

    def __init__(self, pm: PlanningModel):
        inp = pm.inp
        self.build = pm.project_columns("build")
        self.stock = pm.project_columns("stock")
        self.em = pm.columns("emissions")
        self.years = np.asarray(inp.years)
        self.k = inp.years.index(target_year(inp))
        self.umax = inp.projects["max_units"].to_numpy(dtype=float)
        self.shortfall = pm.columns("shortfall")
        idx = pm.layout.variables["shortfall"].index
        self.short_rows = np.asarray(idx.get_level_values(0), dtype=object)
        self.short_years = pm.row_years()[pm.layout.row_offset[TARGET_ROWS[0]]:][:len(idx)]


def _plan(out: Outcome, cols: _Columns, x: np.ndarray) -> None:
    """Fill the plan columns of an optimal outcome from the solution vector `x`."""
    years, k, umax = cols.years, cols.k, cols.umax
    tiny = USED_TOL * umax
    stock = x[cols.stock[:, k]]
    out.stock = np.where(np.abs(stock) > 1e-9 * umax, stock, 0.0)
    built = x[cols.build] > tiny[:, None]
    out.first_build = np.where(built.any(axis=1), years[np.argmax(built, axis=1)], np.nan)
    e = x[cols.em]
    tol = 1e-9 * max(1.0, float(np.abs(e).max()))
    i = int(np.argmax(e >= e.max() - tol))
    out.peak_year, out.peak_t = float(years[i]), float(e[i])


def _shortfall(out: Outcome, cols: _Columns, sol, bau: np.ndarray) -> None:
    """Total shortfall of the elastic form's phase 1, its first year and groups (`bau`: the
    sample's BAU table, tCO2)."""
    E = max(1.0, float(np.abs(bau.sum(axis=0)).max()))
    groups, first = [], math.inf
    if sol.status == "optimal":
        values = sol.x[cols.shortfall]
        hit = values > 1e-6 * E
        for name in cols.short_rows[hit]:
            if name not in groups:
                groups.append(name)
        years = cols.short_years
        if hit.any() and np.isfinite(years[hit]).any():
            first = float(np.nanmin(years[hit]))
    out.shortfall_t = float(sol.objective) if sol.status == "optimal" else math.nan
    out.shortfall_first_year = float(first) if math.isfinite(first) else math.nan
    out.shortfall_groups = " ".join(groups)


class _Process:
    """The per-process state of one run: the base inputs, the persistent model and the two
    bases every sample starts from (the base scenario's optimum with and without targets)."""

    def __init__(self, payload: Payload, lean: bool = True):
        self.payload = payload
        self.lean = lean  # PlanningModel.resample (else update_inputs, the general path)
        self.inp = payload.inp
        self.fast = payload.fast
        self.apply = SampleApplier(self.inp, list(payload.dims))
        self.pm: PlanningModel | None = None
        if self.fast:
            pm = PlanningModel(self.inp, pyomo=False)
            target = pm.target
            pm.set_target(_untargeted(target))
            pm.solve()
            self.free_basis = pm.session.h.getBasis()
            pm.set_target(target)
            pm.solve()
            self.basis = pm.session.h.getBasis()
            self.pm, self.cols = pm, _Columns(pm)

    def solve(self, i: int, values: np.ndarray) -> Outcome:
        t0, c0 = time.perf_counter(), time.process_time()
        sampled = self.apply.values(values)
        out = None
        if self.pm is not None:
            try:
                out = self._resampled(i, sampled)
            except StructureChanged:
                pass
        if out is None:
            out = self._rebuilt(i, sampled.inputs())
        out.wall_seconds = time.perf_counter() - t0
        out.cpu_seconds = time.process_time() - c0
        return out

    def _resampled(self, i: int, sampled: SampledValues) -> Outcome:
        pm = self.pm
        t0 = pm.session.h.getRunTime()
        if self.lean:
            pm.resample(sampled, basis=self.basis, no_target_basis=self.free_basis)
        else:  # the general path (tests compare the two)
            pm.update_inputs(sampled.inputs(), basis=self.basis,
                             no_target_basis=self.free_basis)
        out = _outcome(i, pm, sampled.table("bau"), self.cols, "resample")
        out.highs_seconds = pm.session.h.getRunTime() - t0
        return out

    def _rebuilt(self, i: int, inp: ModelInputs) -> Outcome:
        pm = PlanningModel(inp, pyomo=False)
        out = _outcome(i, pm, inp.bau.to_numpy(dtype=float), _Columns(pm), "rebuild")
        out.highs_seconds = pm.session.h.getRunTime()
        return out


def _untargeted(target: Target) -> Target:
    """`target` without the levels a model can re-bound (its no-target plan's start): the
    intensity targets and sector caps, part of the structure, are kept."""
    return target.model_copy(update={"peak_year": None, "cap_t": None, "cap_path_t": {},
                                     "per_capita_t": {}, "carbon_budget_t": None})


def _outcome(i: int, pm: PlanningModel, bau: np.ndarray, cols: _Columns, path: str) -> Outcome:
    """Solve `pm` (its inputs' BAU table is `bau`) and describe the sample: the plan, or the
    shortfall."""
    t0, c0 = pm.session.h.getRunTime(), time.process_time()
    sol = pm.solve(duals=False)
    out = Outcome(i, sol.status, path=path, solve_seconds=sol.seconds,
                  target_highs_seconds=pm.session.h.getRunTime() - t0,
                  target_cpu_seconds=time.process_time() - c0)
    if sol.status == "optimal":
        out.npv_cny = sol.objective
        _plan(out, cols, sol.x)
        out.no_target_npv_cny = pm.no_target.objective_cny
        return out
    pm.set_elastic(True)
    pm.session.set_objective("obj_shortfall")
    try:
        short = pm.solve(duals=False)
        _shortfall(out, cols, short, bau)
        out.extra_solve_seconds = short.seconds
    finally:
        pm.set_elastic(False)
        pm.session.set_objective("obj_cost")
    return out


#: per-process cache: run token -> state (one run at a time is kept)
_STATE: dict[str, _Process] = {}


def run_batch(payload: Payload, indices: list[int], values: np.ndarray) -> list[Outcome]:
    """Solve the samples `indices` (rows of `values`) with this process's persistent model."""
    state = _STATE.get(payload.token)
    if state is None:
        _STATE.clear()
        state = _STATE[payload.token] = _Process(payload)
    return [state.solve(i, v) for i, v in zip(indices, values, strict=True)]


def batches(n: int, size: int) -> list[list[int]]:
    """The indices 0 .. n-1 in consecutive batches of at most `size`."""
    return [list(range(a, min(a + size, n))) for a in range(0, n, size)]


def _progress(total: int, show: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="sample", disable=not show, leave=False)


def _serial(payload: Payload, values: np.ndarray, size: int, show: bool) -> list[Outcome]:
    out: list[Outcome] = []
    try:
        with _progress(len(values), show) as bar:
            for idx in batches(len(values), size):
                out += run_batch(payload, idx, values[idx])
                bar.update(len(idx))
    finally:
        _STATE.pop(payload.token, None)
    return out


def _dask(payload: Payload, values: np.ndarray, size: int, show: bool, workers: int | None,
          scheduler: str | None) -> list[Outcome]:
    # deferred on purpose: Dask is an optional extra, imported only when asked for
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        from planner.errors import InputError

        raise InputError("command line", "--workers/--scheduler", "Dask is not installed",
                         "pip install 'planner[distributed]'") from None
    cluster = None
    if scheduler is not None:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        [pay] = client.scatter([payload], broadcast=True)
        futures = [client.submit(run_batch, pay, idx, values[idx], retries=2, pure=False)
                   for idx in batches(len(values), size)]
        out: list[Outcome] = []
        with _progress(len(values), show) as bar:
            for fut in as_completed(futures):
                got = fut.result()
                out += got
                bar.update(len(got))
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run(inp: ModelInputs, dims: list[Dimension], values: np.ndarray, *,
        workers: int | None = None, scheduler: str | None = None, batch_size: int | None = None,
        fast: bool = True, progress: bool = False) -> list[Outcome]:
    """Solve every sample (row of `values`); outcomes sorted by sample id."""
    payload = Payload(uuid.uuid4().hex, inp, tuple(dims), fast)
    n = len(values)
    if workers is None and scheduler is None:
        out = _serial(payload, values, batch_size or 25, progress)
    else:
        parts = 4 * (workers or 2)
        size = batch_size or max(1, min(50, math.ceil(n / parts)))
        out = _dask(payload, values, size, progress, workers, scheduler)
    out.sort(key=lambda o: o.sample)
    return out


__all__ = ["Outcome", "Payload", "USED_TOL", "batches", "run", "run_batch", "target_year"]
