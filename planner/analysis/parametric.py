"""Exact breakpoints of a piecewise-linear function of one parameter that an LP defines.

The optimal value of an LP as a function of one cost parameter (concave) or one right-hand
side (convex) is piecewise linear. Given an oracle returning the value and one valid slope
(a sub- or supergradient: the emissions of an optimal plan, a row's dual) at any point, the
tangent-intersection method (Eisner & Severance, Operations Research 24, 1976) finds every
breakpoint in an interval with at most 2 oracle calls per breakpoint plus one: intersect the
tangents at the ends of an interval; if the function meets that intersection, it is the
interval's only breakpoint, else split there. No grid and no bisection tolerance: each
breakpoint is found exactly (to the solver's accuracy).

Large models have thousands of breakpoints, so every search has a budget of oracle calls
(:func:`solve_budget`: fewer on larger models). Within it the result is exact; when it runs
out, the intervals not yet refined are returned as `open`, their ends still exact points of
the function. Which intervals are refined first is the caller's `priority`; a complete search
evaluates the same points in any order.
"""

from __future__ import annotations

import heapq
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field

#: a model of this many columns or fewer gets a search's full budget of solves ...
BUDGET_REFERENCE_COLS = 1_000
#: ... a larger one proportionally fewer, but never fewer than this
BUDGET_MIN_SOLVES = 40
#: searches on models of about this many columns or more run two at a time (threads, each
#: on a model of its own; HiGHS releases the GIL) where there are two cores
PARALLEL_MIN_COLS = 4_000


def two_at_a_time(n_projects: int, n_years: int) -> bool:
    """Whether searches on a model of `n_projects` × `n_years` (about 2 columns each: build
    and stock) run two at a time: from PARALLEL_MIN_COLS columns, on a machine with two cores
    or more. The results are the same either way (each search has a model of its own)."""
    return 2 * n_projects * n_years >= PARALLEL_MIN_COLS and (os.cpu_count() or 1) >= 2


def solve_budget(n_cols: int, solves: int) -> int:
    """Oracle calls (LP solves) a search may make on a model of `n_cols` columns: `solves` up
    to BUDGET_REFERENCE_COLS columns, then in inverse proportion to the size (each solve costs
    about proportionally more), at least BUDGET_MIN_SOLVES. Depends only on the model's size,
    so results do not depend on the machine."""
    return max(BUDGET_MIN_SOLVES, solves * BUDGET_REFERENCE_COLS // max(n_cols,
                                                                         BUDGET_REFERENCE_COLS))


@dataclass(frozen=True)
class Point:
    """The oracle at x: value and one valid slope; `data` is anything the oracle attaches."""

    x: float
    value: float
    slope: float
    data: object = None


@dataclass
class Search:
    """points: every point evaluated, sorted by x (breakpoints found by touching included);
    found: breakpoints located, sorted; at_breakpoint: the x of evaluated points that lie on
    a breakpoint found by touching (their plan is one of several optimal ones). An interval
    searched ends as located[(a.x, b.x)] = its one breakpoint (between or at a or b), as open
    (a, b) left unrefined for want of budget (it may hold breakpoints), or else on one line
    (no breakpoint). calls: oracle calls."""

    points: list[Point]
    found: list[float]
    at_breakpoint: set[float] = field(default_factory=set)
    located: dict[tuple[float, float], float] = field(default_factory=dict)
    open: list[tuple[Point, Point]] = field(default_factory=list)
    calls: int = 0

    @property
    def complete(self) -> bool:
        """True when no interval was left unrefined for want of budget."""
        return not self.open


def breakpoints(oracle: Callable[[float], Point], lo: float, hi: float, *,
                rel_tol: float = 1e-9, max_calls: int = 5000,
                refine: Callable[[Point, Point], bool] | None = None,
                priority: Callable[[Point, Point], float] | None = None) -> Search:
    """Breakpoints strictly inside (lo, hi) of the convex or concave piecewise-linear function
    that `oracle` describes on [lo, hi], with at most `max_calls` oracle calls.

    `refine(a, b)`: whether the interval between evaluated points a and b is searched at all
    (default: every interval; a caller that needs only some changes, e.g. where a plan's use
    of a project differs, prunes the rest). `priority(a, b)`: lower is refined first when the
    budget may not cover everything (default: the widest gap between the function's tangents
    and its chord first).
    """
    refine = refine or (lambda a, b: True)
    priority = priority or _gap_first
    a, b = oracle(lo), oracle(hi)
    out = Search(points=[a, b], found=[], calls=2)
    heap: list = []
    order = itertools.count()

    def push(p: Point, q: Point) -> None:
        if refine(p, q):
            heapq.heappush(heap, (priority(p, q), p.x, next(order), p, q))

    push(a, b)
    while heap:
        *_, a, b = heapq.heappop(heap)
        scale = max(1.0, abs(a.value), abs(b.value))
        if abs(a.slope - b.slope) * (b.x - a.x) <= rel_tol * scale:
            continue  # the same line at both ends: linear in between
        x = _intersection(a, b)
        width = b.x - a.x
        if not (a.x + 1e-12 * width < x < b.x - 1e-12 * width):
            # the intersection falls on an end (within round-off): that end is the breakpoint
            end = a.x if abs(x - a.x) <= abs(x - b.x) else b.x
            out.found.append(end)
            out.located[(a.x, b.x)] = end
            continue
        if out.calls >= max_calls:
            out.open.append((a, b))
            continue
        c = oracle(x)
        out.calls += 1
        out.points.append(c)
        tangent = a.value + a.slope * (x - a.x)
        if abs(c.value - tangent) <= rel_tol * scale:
            out.found.append(x)  # the function touches both tangents here: the one breakpoint
            out.at_breakpoint.add(x)
            out.located[(a.x, b.x)] = x
        else:
            push(a, c)
            push(c, b)
    out.found = sorted(x for x in set(out.found) if lo < x < hi)
    out.points.sort(key=lambda p: p.x)
    out.open.sort(key=lambda ab: ab[0].x)
    return out


def _intersection(a: Point, b: Point) -> float:
    """Where the tangents at a and b meet (their slopes differ)."""
    return (b.value - a.value + a.slope * a.x - b.slope * b.x) / (a.slope - b.slope)


def _gap_first(a: Point, b: Point) -> float:
    """Minus the vertical distance between the chord of a, b and their tangents' meeting
    point: the largest possible error of the chord comes first."""
    if a.slope == b.slope:
        return 0.0
    x = _intersection(a, b)
    chord = a.value + (b.value - a.value) * (x - a.x) / (b.x - a.x)
    return -abs(chord - (a.value + a.slope * (x - a.x)))
