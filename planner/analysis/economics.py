"""What the target costs: the headline numbers a policymaker reads.

All against the no-target plan (the least-cost plan with every target row removed; among
those, the one with the lowest Σ_t e[t]). Money in CNY at the start of the start year;
tonnes discounted with the weights of operating flows, D = Σ_t e[t]·w(t), w(t) = df(t)/(1+r).

- target_cost_cny = NPV − NPV of the no-target plan;
- average_cost_cny_per_t = target cost / (D0 − D);
- marginal_cost_cny_per_t = {tighten, loosen}: the change in NPV per discounted tonne when every
  tonne-valued target level is scaled by (1 − δ) or (1 + δ);
- uniform_price_cny_per_t: the lowest constant real carbon price p such that, with no target
  rows and p·Σ_t w(t)·e[t] in the objective, some least-cost plan meets every target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from planner.analysis.parametric import Point
from planner.model.catalogue import LEVEL_ROWS, TARGET_ROWS
from planner.model.formulation import emission_scale
from planner.model.highs import Solution, highspy
from planner.model.persistent import PlanningModel

#: scaling of the target levels for the marginal cost (checked against δ/4)
DELTA = 1e-5
#: the uniform price search gives up above this (CNY/t)
PRICE_CEILING = 100_000.0
#: precision of the uniform price (CNY/t)
PRICE_PRECISION = 0.01


@dataclass
class Marginal:
    """The marginal cost of the target per discounted tonne (CNY/t): to tighten and to
    loosen; None, with the reason, when there is none."""

    tighten: float | None
    loosen: float | None
    reason: str = ""


def discounted_tonnes(pm: PlanningModel, sol: Solution) -> float:
    """D = Σ_t emissions[t]·w(t) of a solution (t)."""
    return pm.discounted_tonnes(pm.array(sol, "emissions"))


def _has_level(pm: PlanningModel) -> bool:
    return any(np.isfinite(pm.target_ub(n).to_numpy()).any() for n in LEVEL_ROWS)


def _solve_scaled(pm: PlanningModel, scale: float) -> Solution:
    target = pm.target
    pm.set_target(target, scale)
    try:
        return pm.solve()
    finally:
        pm.set_target(target, 1.0)


def marginal_cost(pm: PlanningModel, sol: Solution, delta: float = DELTA) -> Marginal:
    """ΔNPV/ΔD when every tonne-valued target level is scaled by 1 ∓ δ (CNY per discounted
    tonne, ≥ 0). `tighten` is inf when a tighter target is infeasible."""
    if not _has_level(pm):
        return Marginal(None, None, "the target has no tonne-valued level")
    D = discounted_tonnes(pm, sol)

    def side(sign: int, d: float) -> tuple[float | None, bool]:
        s2 = _solve_scaled(pm, 1.0 - sign * d)
        if s2.status != "optimal":
            return math.inf, True
        dD = sign * (D - discounted_tonnes(pm, s2))
        dC = sign * (s2.objective - sol.objective)
        if abs(dD) <= 1e-9 * max(1.0, abs(D)) * d / DELTA:
            return None, False
        v = dC / dD
        return (0.0 if -1e-3 < v < 0 else v), True  # solver noise around zero

    out = {}
    for sign, key in ((+1, "tighten"), (-1, "loosen")):
        v, ok = side(sign, delta)
        if ok and v is not None and math.isfinite(v):
            v2, _ = side(sign, delta / 4)  # same linear piece?
            if v2 is not None and math.isfinite(v2) and abs(v2 - v) > 1e-4 * max(1.0, abs(v)):
                v = v2
        out[key] = v
    pm.solve()  # back to the unperturbed basis
    if out["tighten"] is None and out["loosen"] is None:
        return Marginal(None, None, "the target does not bind")
    return Marginal(out["tighten"], out["loosen"])


def _shortfall_of(pm: PlanningModel, x: np.ndarray, ubs: dict[str, np.ndarray]) -> float:
    """Σ over target rows of max(0, row activity − bound) of the plan x (tCO2)."""
    total = 0.0
    for name, ub in ubs.items():
        fin = np.flatnonzero(np.isfinite(ub))
        if len(fin) == 0:
            continue
        rows = pm.layout.rows_of(name)
        act = pm.A[rows.start + fin] @ x
        total += float(np.maximum(act - ub[fin], 0.0).sum())
    return total


def _unique_optimum(pm: PlanningModel) -> bool:
    """True when HiGHS's last optimal basis shows the plan to be the only optimum: every
    nonbasic column and row that could move (lower < upper bound) has a reduced cost or dual
    above the dual tolerance, so any other plan costs more. The one exception allowed is a
    single nonbasic max_emissions_bound row while max_emissions is basic: moving that row only
    moves max_emissions, which appears nowhere else in the priced problem."""
    h = pm.session.h
    lp = pm.lp
    basis, sol = h.getBasis(), h.getSolution()
    basic = int(highspy.HighsBasisStatus.kBasic)
    cs = np.fromiter(map(int, basis.col_status), dtype=np.int8, count=len(lp.col_lb))
    rs = np.fromiter(map(int, basis.row_status), dtype=np.int8, count=len(lp.row_lb))
    tol = 1e-9  # HiGHS's dual feasibility tolerance (scaled LP)
    col_free = (cs != basic) & (lp.col_ub > lp.col_lb) & (np.abs(sol.col_dual) <= tol)
    row_free = (rs != basic) & (lp.row_ub > lp.row_lb) & (np.abs(sol.row_dual) <= tol)
    if col_free.any():
        return False
    mrows = pm.layout.rows_of("max_emissions_bound")
    m_basic = bool(cs[pm.layout.cols("max_emissions")][0] == basic)
    nonbasic_m = int((rs[mrows] != basic).sum())
    if m_basic and nonbasic_m <= 1:
        row_free[mrows] = False
    return not row_free.any()


def _price_point(pm: PlanningModel, price: float, ubs: dict[str, np.ndarray],
                 tol: float, bases: dict[float, object] | None = None,
                 thorough: bool = True) -> tuple[Point, bool]:
    """The priced problem with no target rows at `price`: (its optimal value (CNY) with the
    slope D = Σ_t w(t)·e[t] of the plan found, does some least-cost plan meet every target?).
    The plan found is checked first; only when it misses a target does the elastic form look
    for another plan within the priced optimum. `bases`: optimal bases of earlier priced
    solves by price; the nearest one warm-starts this solve, and this one is added.
    `thorough` False (a price that is no breakpoint but by accident): when the basis shows the
    plan to be the only optimum, it alone decides. At a breakpoint found by intersecting
    tangents, which is exact only to the solver's accuracy, plans within the cost tolerance
    of the elastic form must be looked at, so `thorough` is True there."""
    free = {k: np.full_like(v, math.inf) for k, v in ubs.items()}
    pm._set_target_ubs(free)
    pm.set_emission_price(price)
    h = pm.session.h
    try:
        if bases:
            h.setBasis(bases[min(bases, key=lambda q: abs(q - price))])
        sol = pm.solve()
        if bases is not None and sol.status == "optimal":
            bases[price] = h.getBasis()
        if sol.status != "optimal":  # pragma: no cover - the no-target model is feasible
            return Point(price, math.nan, math.nan), False
        point = Point(price, sol.objective, discounted_tonnes(pm, sol))
        if _shortfall_of(pm, sol.x, ubs) <= tol:
            return point, True
        if not thorough and _unique_optimum(pm):
            return point, False  # no other least-cost plan to look at
        pm._set_target_ubs(ubs)
        pm.set_elastic(True)
        s2 = pm.solve_holding_cost(sol.objective, "obj_shortfall")
        return point, s2.status == "optimal" and s2.objective <= tol
    finally:
        pm.set_elastic(False)
        pm.set_emission_price(0.0)
        pm._set_target_ubs(ubs)


def _meets_at_price(pm: PlanningModel, price: float, ubs: dict[str, np.ndarray],
                    tol: float) -> bool:
    """Does some least-cost plan with no target rows and a uniform price meet every target?"""
    return _price_point(pm, price, ubs, tol)[1]


def uniform_price(pm: PlanningModel) -> tuple[float | None, str]:
    """The lowest constant real carbon price (CNY/t) whose least-cost plan meets every target;
    (None, reason) when none up to PRICE_CEILING does.

    The priced optimum f(p) = min cost + p·D is concave and piecewise linear in p, and the
    least-cost plans change only at its breakpoints, so the lowest price that works is a
    breakpoint (or 0). The search keeps a price that fails (lo) and one that works (hi) and
    tries the intersection of their tangents (slopes: the plans' D): when f meets it, it is the
    one breakpoint between them and the answer is it or hi, exactly (Eisner & Severance, as in
    planner.analysis.parametric); otherwise it replaces lo or hi. A tangent step that does not
    halve the interval is followed by a bisection step, so the search never takes more steps
    than bisection to PRICE_PRECISION."""
    ubs = {k: pm.target_ub(k).to_numpy().copy() for k in TARGET_ROWS}
    if not any(np.isfinite(v).any() for v in ubs.values()):
        return None, "no target"
    tol = 1e-7 * emission_scale(pm.inp)
    bases: dict[float, object] = {}
    try:
        lo, ok = _price_point(pm, 0.0, ubs, tol, bases)
        if ok:
            return 0.0, ""
        hi, ok = _price_point(pm, PRICE_CEILING, ubs, tol, bases)
        if not ok:
            return None, (f"no uniform carbon price up to {PRICE_CEILING:,.0f} CNY/t makes the "
                          "least-cost plan meet every target")
        bisect = False
        while hi.x - lo.x > PRICE_PRECISION:
            width = hi.x - lo.x
            scale = max(1.0, abs(lo.value), abs(hi.value))
            if abs(lo.slope - hi.slope) * width <= 1e-9 * scale:
                found = hi  # one plan all the way from lo to hi: hi is the breakpoint
            else:
                x = 0.5 * (lo.x + hi.x)
                tangent = False
                if not bisect:
                    cross = ((hi.value - lo.value + lo.slope * lo.x - hi.slope * hi.x)
                             / (lo.slope - hi.slope))
                    if lo.x + 1e-12 * width < cross < hi.x - 1e-12 * width:
                        x, tangent = cross, True
                c, ok = _price_point(pm, x, ubs, tol, bases, thorough=tangent)
                touches = abs(c.value - (lo.value + lo.slope * (x - lo.x))) <= 1e-9 * scale
                if not (tangent and touches):
                    lo, hi = (lo, c) if ok else (c, hi)
                    bisect = tangent and hi.x - lo.x > 0.5 * width
                    continue
                found = c if ok else hi  # the only breakpoint between lo and hi
            # the breakpoint is exact up to the solver's accuracy: confirm, as bisection
            # would, that PRICE_PRECISION less does not work
            below = found.x - PRICE_PRECISION
            if below <= lo.x:
                return found.x, ""
            c, ok = _price_point(pm, below, ubs, tol, bases, thorough=False)
            if not ok:
                return found.x, ""
            hi, bisect = c, True
        return hi.x, ""
    finally:
        pm.solve()


def achieved_peak_year(years: list[int], emissions: np.ndarray, share: float = 0.005) -> int:
    """The first year whose emissions are within `share` of the horizon's maximum."""
    e = np.asarray(emissions, float)
    top = float(e.max())
    return int(years[int(np.argmax(e >= top - share * abs(top)))])


def headlines(pm: PlanningModel, sol: Solution, *, uniform: bool = True) -> dict[str, Any]:
    """The target's cost and prices against the no-target plan (see the module docstring)."""
    nt = pm.no_target
    D = discounted_tonnes(pm, sol)
    D0 = pm.discounted_tonnes(nt.emissions_t)
    cost = sol.objective - nt.objective_cny
    out: dict[str, Any] = {
        "no_target_objective_cny": nt.objective_cny,
        "target_cost_cny": cost,
        "discounted_tonnes_t": D,
        "no_target_discounted_tonnes_t": D0,
        "average_cost_cny_per_t": (cost / (D0 - D) if D0 - D > 1e-9 * max(1.0, abs(D0))
                                   else None),
    }
    mc = marginal_cost(pm, sol)
    out["marginal_cost_cny_per_t"] = {"tighten": mc.tighten, "loosen": mc.loosen}
    if mc.reason:
        out["marginal_cost_note"] = mc.reason
    if uniform:
        p, why = uniform_price(pm)
        out["uniform_price_cny_per_t"] = p
        if why:
            out["uniform_price_note"] = why
    tg = pm.target
    if tg is not None and tg.peak_year is not None and tg.peak_form == "strict":
        level = tg.model_copy(update={"peak_form": "level"})
        pm.set_target(level)
        s2 = pm.solve()
        pm.set_target(tg)
        pm.solve()
        out["ratchet_premium_cny"] = (sol.objective - s2.objective
                                      if s2.status == "optimal" else None)
    return out
