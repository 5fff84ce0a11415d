"""Exact breakpoints of a piecewise-linear function of one parameter that an LP defines.

The optimal value of an LP as a function of one cost parameter (concave) or one right-hand
side (convex) is piecewise linear. Given an oracle returning the value and one valid slope
(a sub- or supergradient: the emissions of an optimal plan, a row's dual) at any point, the
tangent-intersection method (Eisner & Severance, Operations Research 24, 1976) finds every
breakpoint in an interval with at most 2 oracle calls per breakpoint plus one: intersect the
tangents at the ends of an interval; if the function meets that intersection, it is the
interval's only breakpoint, else split there. No grid and no bisection tolerance: each
breakpoint is found exactly (to the solver's accuracy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    """The oracle at x: value and one valid slope; `data` is anything the oracle attaches."""

    x: float
    value: float
    slope: float
    data: object = None


def breakpoints(oracle: Callable[[float], Point], lo: float, hi: float, *,
                rel_tol: float = 1e-9, max_calls: int = 5000) -> tuple[list[float], list[Point]]:
    """(breakpoints strictly inside (lo, hi), every point evaluated, sorted by x).

    `oracle` must describe a convex or a concave piecewise-linear function on [lo, hi].
    """
    a, b = oracle(lo), oracle(hi)
    points = [a, b]
    found: list[float] = []
    stack = [(a, b)]
    calls = 2
    while stack:
        a, b = stack.pop()
        scale = max(1.0, abs(a.value), abs(b.value))
        if abs(a.slope - b.slope) * (b.x - a.x) <= rel_tol * scale:
            continue  # the same line at both ends: linear in between
        x = (b.value - a.value + a.slope * a.x - b.slope * b.x) / (a.slope - b.slope)
        width = b.x - a.x
        if not (a.x + 1e-12 * width < x < b.x - 1e-12 * width):
            # the intersection falls on an end (within round-off): that end is the breakpoint
            found.append(a.x if abs(x - a.x) <= abs(x - b.x) else b.x)
            continue
        if calls >= max_calls:
            raise RuntimeError(f"more than {max_calls} LP solves for breakpoints")
        c = oracle(x)
        calls += 1
        points.append(c)
        tangent = a.value + a.slope * (x - a.x)
        if abs(c.value - tangent) <= rel_tol * scale:
            found.append(x)  # the function touches both tangents here: the one breakpoint
        else:
            stack += [(a, c), (c, b)]
    found = sorted(x for x in set(found) if lo < x < hi)
    return found, sorted(points, key=lambda p: p.x)
