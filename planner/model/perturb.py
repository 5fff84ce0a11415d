"""Re-solves of one model with one small change at a time: a row's bounds shifted (one-sided
marginal values) or some columns' bounds replaced (e.g. a project's first builds held at zero).

Each job makes its change (original units), re-solves warm and puts the model back. Many jobs
on a large model run as two chains, the second on a clone of the session
(:meth:`HighsSession.clone`), in two threads where the machine has two cores (highspy releases
the GIL while HiGHS runs). Which job runs on which chain depends only on the jobs and the
model's size, never on the machine, so results are the same with one core or two.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from planner.errors import PlannerError
from planner.model.highs import HighsSession

#: two chains only from this many jobs ...
PARALLEL_MIN_JOBS = 8
#: ... on models with at least this many columns (a clone costs about one warm re-solve)
PARALLEL_MIN_COLS = 20_000


@dataclass(frozen=True)
class Shift:
    """Row `row` (global row number) with both bounds `lb`, `ub` (original units) moved by
    `delta` for one re-solve."""

    row: int
    lb: float
    ub: float
    delta: float

    def apply(self, session: HighsSession) -> None:
        """Move the row's bounds."""
        session.set_row_bounds([self.row], [self.lb + self.delta], [self.ub + self.delta])

    def undo(self, session: HighsSession) -> None:
        """Put the row's bounds back."""
        session.set_row_bounds([self.row], [self.lb], [self.ub])


@dataclass(frozen=True)
class Bound:
    """Columns `cols` bounded by `lo`, `hi` (original units) for one re-solve; their own
    bounds, `old_lo`, `old_hi`, restored afterwards."""

    cols: tuple[int, ...]
    lo: tuple[float, ...]
    hi: tuple[float, ...]
    old_lo: tuple[float, ...]
    old_hi: tuple[float, ...]

    def apply(self, session: HighsSession) -> None:
        """Set the columns' bounds for the job."""
        session.set_col_bounds(list(self.cols), list(self.lo), list(self.hi))

    def undo(self, session: HighsSession) -> None:
        """Put the columns' bounds back."""
        session.set_col_bounds(list(self.cols), list(self.old_lo), list(self.old_hi))


Job = Shift | Bound


@dataclass(frozen=True)
class Outcome:
    """One job's re-solve: status optimal | infeasible | unchecked (an optimum the caller's
    check refused), its objective (original units), or the error that stopped it (a re-solve
    without a trustworthy optimum)."""

    status: str
    objective: float
    error: PlannerError | None = None


Check = Callable[[HighsSession], bool]


def _chain(session: HighsSession, jobs: list[Job], accept: Check | None) -> list[Outcome]:
    """Run `jobs` one after another on `session`, each from the previous job's basis."""
    out = []
    for j in jobs:
        j.apply(session)
        try:
            sol = session.solve(values=False)  # the objective is all a job reads
            status = sol.status
            if status == "optimal" and accept is not None and not accept(session):
                status = "unchecked"
            out.append(Outcome(status, sol.objective))
        except PlannerError as exc:
            out.append(Outcome("error", float("nan"), exc))
        finally:
            j.undo(session)
    return out


def two_chains(jobs: list[Job], n_cols: int) -> bool:
    """True when `jobs` on a model of `n_cols` columns are split into two chains."""
    return len(jobs) >= PARALLEL_MIN_JOBS and n_cols >= PARALLEL_MIN_COLS


def shifted_objectives(session: HighsSession, jobs: list[Job],
                       accept: Check | None = None) -> list[Outcome]:
    """The outcome of every job, in order. `accept(session)`, called at each optimum while
    the session holds it, may refuse it (status unchecked). Leaves `session` off its optimum
    (its rows are restored, its basis is the last job's): re-solve to restore it."""
    if not two_chains(jobs, len(session.lp.col_lb)):
        return _chain(session, jobs, accept)
    half = (len(jobs) + 1) // 2
    other = session.clone()
    threads = 2 if (os.cpu_count() or 1) >= 2 else 1
    with ThreadPoolExecutor(max_workers=threads) as pool:
        first = pool.submit(_chain, session, jobs[:half], accept)
        second = pool.submit(_chain, other, jobs[half:], accept)
        return first.result() + second.result()


__all__ = ["Bound", "Check", "Job", "Outcome", "Shift", "shifted_objectives", "two_chains"]
