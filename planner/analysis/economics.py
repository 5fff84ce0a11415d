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

from planner.model.catalogue import LEVEL_ROWS, TARGET_ROWS
from planner.model.formulation import emission_scale
from planner.model.highs import Solution
from planner.model.persistent import PlanningModel

#: scaling of the target levels for the marginal cost (checked against δ/4)
DELTA = 1e-5
#: the uniform price search gives up above this (CNY/t)
PRICE_CEILING = 100_000.0
#: precision of the uniform price (CNY/t)
PRICE_PRECISION = 0.01


@dataclass
class Marginal:
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


def _meets_at_price(pm: PlanningModel, price: float, ubs: dict[str, np.ndarray],
                    tol: float) -> bool:
    """Does some least-cost plan with no target rows and a uniform price meet every target?"""
    free = {k: np.full_like(v, math.inf) for k, v in ubs.items()}
    pm._set_target_ubs(free)
    pm.set_emission_price(price)
    try:
        sol = pm.solve()
        if sol.status != "optimal":  # pragma: no cover - the no-target model is feasible
            return False
        pm._set_target_ubs(ubs)
        pm.set_elastic(True)
        s2 = pm.solve_holding_cost(sol.objective, "obj_shortfall")
        return s2.status == "optimal" and s2.objective <= tol
    finally:
        pm.set_elastic(False)
        pm.set_emission_price(0.0)
        pm._set_target_ubs(ubs)


def uniform_price(pm: PlanningModel) -> tuple[float | None, str]:
    """The lowest constant real carbon price (CNY/t) whose least-cost plan meets every target,
    to PRICE_PRECISION; (None, reason) when none up to PRICE_CEILING does."""
    ubs = {k: pm.target_ub(k).to_numpy().copy() for k in TARGET_ROWS}
    if not any(np.isfinite(v).any() for v in ubs.values()):
        return None, "no target"
    tol = 1e-7 * emission_scale(pm.inp)
    try:
        if _meets_at_price(pm, 0.0, ubs, tol):
            return 0.0, ""
        if not _meets_at_price(pm, PRICE_CEILING, ubs, tol):
            return None, (f"no uniform carbon price up to {PRICE_CEILING:,.0f} CNY/t makes the "
                          "least-cost plan meet every target")
        lo, hi = 0.0, PRICE_CEILING
        while hi - lo > PRICE_PRECISION:
            mid = 0.5 * (lo + hi)
            if _meets_at_price(pm, mid, ubs, tol):
                hi = mid
            else:
                lo = mid
        return hi, ""
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
