"""The one catalogue of the model's constraints, variables and objectives.

Every component of the formulation has one entry here: its group, the sets it is indexed over,
its equation and what it means. The formulation takes each component's ``doc`` from here, the
persistent model takes the list of re-solvable target rows, the dual table and the diagnosis
take the groups, and a test checks that every component has an entry and appears in
docs/formulation.md under the same name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One model component.

    kind: 'variable' | 'constraint' | 'objective'
    group: 'project' (project limits), 'emissions', 'target' (re-solvable target rows, which
        receive shortfall columns in the elastic form), 'auxiliary' (rows other analyses use),
        'regional' (the joint rows of several regions, planner.model.regional)
    sets: the index, as written in docs/formulation.md
    equation: the algebra, with the code's names
    meaning: one line in words
    level: True when the row's right-hand side is a tonne-valued target level (scaled by the
        marginal cost of the target)
    """

    name: str
    kind: str
    group: str
    sets: str
    equation: str
    meaning: str
    level: bool = False


_ENTRIES = [
    # ---- variables
    Entry("build", "variable", "project", "P × T", "0 ≤ build[p,t] ≤ R_p; = 0 for t < Y_p",
          "units added in year t, operating from t for L_p years [unit]"),
    Entry("stock", "variable", "project", "P × T", "0 ≤ stock[p,t] ≤ U_p",
          "units operating in year t [unit]"),
    Entry("choose", "variable", "project", "A (all_or_nothing projects)",
          "choose[p] ∈ {0, 1} (fixed after the MIP when prices are computed)",
          "1 when the all_or_nothing project p is undertaken (its fixed cost is paid)"),
    Entry("emissions", "variable", "emissions", "T", "free",
          "emissions in the target scope in year t [tCO2]"),
    Entry("shortfall", "variable", "target", "target rows",
          "0 ≤ shortfall[row] (fixed at 0 except in the elastic form)",
          "tonnes by which a target row is missed (diagnosis only) [tCO2]"),
    Entry("max_emissions", "variable", "auxiliary", "–", "free",
          "the highest emissions of the horizon (lowest-peak objective) [tCO2]"),
    # ---- project limits
    Entry("stock_balance", "constraint", "project", "P × T",
          "stock[p,t] = stock[p,t−1] + build[p,t] − build[p,t−L_p]",
          "units operate for L_p years, then retire (and may be rebuilt)"),
    Entry("exclusive_group_limit", "constraint", "project", "G × T",
          "Σ_{p∈g} stock[p,t] / U_p ≤ 1",
          "options that compete for one physical potential share it"),
    Entry("sector_floor", "constraint", "project", "S × T where BAU[s,t] > 0",
          "Σ_{p∈s} a[p,t]·stock[p,t] ≤ BAU[s,t]",
          "a sector's projects cannot abate more than the sector emits"),
    Entry("investment_budget", "constraint", "project", "T",
          "Σ_p capex[p,t]·build[p,t] ≤ max_investment_cny_per_year",
          "the optional yearly cap on capital spending [CNY]"),
    Entry("choice_capacity", "constraint", "project", "A × T",
          "stock[p,t] − U_p·choose[p] ≤ 0",
          "an all_or_nothing project operates only when chosen"),
    Entry("choice_minimum", "constraint", "project", "A",
          "Σ_{t ≤ target year} build[p,t] − m_p·U_p·choose[p] ≥ 0",
          "when chosen, at least the share m_p (min_share) of its potential is built by the "
          "target year"),
    # ---- emissions
    Entry("emissions_balance", "constraint", "emissions", "T",
          "emissions[t] + Σ_{p∈P_scope} a[p,t]·stock[p,t] = Σ_{s∈S_scope} BAU[s,t]",
          "emissions in the target scope; its dual / w(t) is the annual carbon price"),
    # ---- targets (right-hand sides fixed before the solve; +∞ where no target applies)
    Entry("emissions_cap", "constraint", "target", "T",
          "emissions[t] − shortfall ≤ cap_t", "the cap, every year", level=True),
    Entry("cap_path", "constraint", "target", "T",
          "emissions[t] − shortfall ≤ cap_path_t[t]", "a cap per year", level=True),
    Entry("per_capita_cap", "constraint", "target", "T",
          "emissions[t] − shortfall ≤ per_capita_t[t]·population[t]",
          "a per-capita cap", level=True),
    Entry("peak_level", "constraint", "target", "T",
          "emissions[t] − shortfall ≤ L·(1−g)^(t−Y) for t ≥ Y, L = min(cap_t, e0[Y])",
          "peak form 'level': from the peak year on, no year above a level fixed before the "
          "solve", level=True),
    Entry("non_increasing_after_peak", "constraint", "target", "T \\ {last}",
          "emissions[t+1] − emissions[t] − shortfall ≤ 0 for t ≥ Y",
          "peak form 'strict': no increase after the peak year"),
    Entry("no_target_guard", "constraint", "target", "T",
          "emissions[t] − shortfall ≤ e0[t]",
          "peak form 'strict': never emit more than the no-target plan"),
    Entry("carbon_budget", "constraint", "target", "–",
          "Σ_t emissions[t] − shortfall ≤ carbon_budget_t",
          "cumulative emissions over the optimised years", level=True),
    Entry("intensity_target", "constraint", "target", "K (intensity targets)",
          "emissions[y] − shortfall ≤ (1 − red)·GDP[y]/GDP[b]·E_b "
          "(base 'plan': emissions[y] − (1 − red)·GDP[y]/GDP[b]·emissions[b] ≤ 0)",
          "CO2 per GDP in year y at most (1 − red) times that of base year b", level=True),
    Entry("sector_cap", "constraint", "target", "(s, t) given",
          "BAU[s,t] − Σ_{p∈s} a[p,t]·stock[p,t] − shortfall ≤ sector_cap_t[s][t]",
          "a cap on one sector's emissions", level=True),
    # ---- auxiliary rows used by other analyses
    Entry("cost_limit", "constraint", "auxiliary", "–",
          "Σ cost coefficients·x ≤ cost_max (+∞ normally)",
          "holds the cost at its optimum while a second objective is optimised"),
    Entry("max_emissions_bound", "constraint", "auxiliary", "T",
          "emissions[t] − max_emissions ≤ 0", "defines the horizon's highest emissions"),
    # ---- several regions (planner.model.regional; indices carry a leading region level)
    Entry("shared_build", "variable", "regional", "S × T",
          "0 ≤ shared_build[s,t] ≤ R_s; = 0 for t < Y_s",
          "units of a shared project (serving several regions) added in year t [unit]"),
    Entry("shared_stock", "variable", "regional", "S × T", "0 ≤ shared_stock[s,t] ≤ U_s",
          "units of a shared project operating in year t [unit]"),
    Entry("transfer", "variable", "regional", "R × T",
          "−limit·|A[r,t]| ≤ transfer[r,t] ≤ limit·|A[r,t]| (0 under transfers: none)",
          "obligation bought (> 0) or sold (< 0) by region r in year t [tCO2]"),
    Entry("joint_shortfall", "variable", "regional", "joint and obligation rows",
          "joint_shortfall[row] ≥ 0; fixed at 0 unless elastic",
          "tonnes by which a joint target or obligation row falls short (elastic form) [tCO2]"),
    Entry("joint_emissions", "variable", "regional", "T", "free",
          "the sum of the regions' emissions in year t [tCO2]"),
    Entry("shared_stock_balance", "constraint", "regional", "S × T",
          "shared_stock[s,t] = shared_stock[s,t−1] + shared_build[s,t] − shared_build[s,t−L_s]",
          "shared units operate for L_s years (their abatement enters each region's "
          "emissions_balance and sector_floor rows times the abatement key k_a[s,r])"),
    Entry("regional_obligation", "constraint", "regional", "R × T",
          "emissions[r,t] − transfer[r,t] ≤ A[r,t]",
          "each region meets its share A of the joint target, after transfers"),
    Entry("regional_budget_obligation", "constraint", "regional", "R",
          "Σ_t emissions[r,t] − Σ_t transfer[r,t] ≤ B_r",
          "each region's share B of a joint carbon budget, after transfers"),
    Entry("transfer_balance", "constraint", "regional", "T", "Σ_r transfer[r,t] = 0",
          "what one region buys, others sell; −dual is the joint price of year t"),
    Entry("joint_emissions_balance", "constraint", "regional", "T",
          "joint_emissions[t] − Σ_r emissions[r,t] = 0", "the regions' emissions, summed"),
    Entry("joint_emissions_cap", "constraint", "regional", "T",
          "joint_emissions[t] ≤ cap_t", "the joint cap, every year"),
    Entry("joint_cap_path", "constraint", "regional", "T",
          "joint_emissions[t] ≤ cap_path_t[t]", "a joint cap per year"),
    Entry("joint_peak_level", "constraint", "regional", "T",
          "joint_emissions[t] ≤ L·(1−g)^(t−Y) for t ≥ Y, L = min(cap_t, e0_joint[Y])",
          "joint peak (level form): L is fixed before the solve from the joint no-target plan"),
    Entry("joint_carbon_budget", "constraint", "regional", "–",
          "Σ_t joint_emissions[t] ≤ carbon_budget_t", "a joint cumulative budget"),
    Entry("joint_cost_limit", "constraint", "regional", "–",
          "Σ cost coefficients·x ≤ cost_max (+∞ normally)",
          "holds the joint cost at its optimum in lexicographic solves"),
    # ---- objectives
    Entry("obj_cost", "objective", "objective", "–",
          "Σ_{p,t} capex_coeff[p,t]·build[p,t] + opex_coeff[p,t]·stock[p,t] "
          "+ Σ_{p∈A} F_p·df(max(Y_p, start))·choose[p] "
          "(+ price·w(t)·emissions[t] when a uniform carbon price is set)",
          "net present cost, CNY at the start of the start year"),
    Entry("obj_shortfall", "objective", "objective", "–", "Σ shortfall",
          "total shortfall (elastic form, diagnosis)"),
    Entry("obj_emissions", "objective", "objective", "–", "Σ_t emissions[t]",
          "cumulative emissions (picks the lowest-emission plan among least-cost plans)"),
    Entry("obj_peak", "objective", "objective", "–", "max_emissions",
          "the highest emissions of the horizon (lowest achievable peak)"),
]

CATALOGUE: dict[str, Entry] = {e.name: e for e in _ENTRIES}

#: target rows, in the order they are built; each may receive shortfall columns
TARGET_ROWS: tuple[str, ...] = tuple(e.name for e in _ENTRIES
                                     if e.kind == "constraint" and e.group == "target")

#: target rows whose right-hand side is a tonne-valued target level
LEVEL_ROWS: tuple[str, ...] = tuple(e.name for e in _ENTRIES if e.level)

#: rows whose duals are reported in duals.csv
DUAL_ROWS: tuple[str, ...] = tuple(e.name for e in _ENTRIES if e.kind == "constraint"
                                   and e.group in ("project", "emissions", "target"))


def doc(name: str) -> str:
    """`equation — meaning` of a component, for Pyomo's ``doc=``."""
    e = CATALOGUE[name]
    return f"{e.equation} — {e.meaning}"
