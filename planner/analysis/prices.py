"""Time conventions shared by the ranking analyses: the target year and the weight of one
tonne emitted in year t when a constant real carbon price is added to the objective."""

from __future__ import annotations

import numpy as np

from planner.model.inputs import ModelInputs


def target_year(inp: ModelInputs) -> int:
    """The scenario's peak year (target.peak_year), or the last reported year (years.end; as
    Result.target_year: the years.extend extension is optimised, never reported)."""
    return int(inp.scenario.target.peak_year or inp.report_end)


def carbon_price_weights(inp: ModelInputs) -> np.ndarray:
    """w(t) = df(t)/(1+r) per year of the horizon: start-year CNY per (CNY/t of constant real
    carbon price × tonne emitted in year t). Emissions are operating flows, counted at the end
    of each year like O&M and savings, so a price p adds p·Σ_t w(t)·emissions[t] to the
    objective, and D = Σ_t w(t)·emissions[t] is the discounted tonnes (tCO2) of a plan.

    It is :attr:`ModelInputs.weights` (planner.model.finance.flow_weights).
    """
    return np.asarray(inp.weights, dtype=float)


def discounted_tonnes(inp: ModelInputs, emissions_t: np.ndarray) -> float:
    """D = Σ_t w(t)·emissions[t] (discounted tCO2) of a per-year emissions vector."""
    return float(np.dot(carbon_price_weights(inp), np.asarray(emissions_t, dtype=float)))
