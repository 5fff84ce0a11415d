"""Relief of infeasible targets: skipping the re-solves that the phase-1 duals prove useless
gives exactly the table that re-solving every project gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import make_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis.diagnosis import relief
from planner.analysis.shortfall import SHORT_TOL
from planner.model.persistent import PlanningModel


def _tables(inp) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    pm = PlanningModel(inp, pyomo=False)
    pm.set_elastic(True)
    pm.session.set_objective("obj_shortfall")
    s1 = pm.solve()
    assert s1.status == "optimal"
    fast = relief(pm, s1.objective, s1)
    brute = relief(pm, s1.objective, s1, screen=False)
    return fast, brute, SHORT_TOL * pm.emission_scale


project = st.fixed_dictionaries({
    "max_units": st.integers(1, 8),
    "max_build_per_year": st.integers(1, 4),
    "abatement_t_per_unit": st.sampled_from([0.1, 0.5, 1.0, 3.0]),
    "lifetime_years": st.integers(1, 6),
    "earliest_year": st.integers(2020, 2024),
    "group": st.sampled_from(["", "g", "h"]),
})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(project, min_size=2, max_size=5), st.integers(1, 20),
       st.integers(2021, 2025))
def test_screened_relief_equals_re_solving_every_project(specs, cut, peak):
    projects = []
    for k, s in enumerate(specs):
        projects.append({"project": f"p{k}", "max_units": s["max_units"],
                         "max_build_per_year": s["max_build_per_year"],
                         "abatement_t_per_unit_year": s["abatement_t_per_unit"],
                         "lifetime_years": s["lifetime_years"],
                         "earliest_year": s["earliest_year"],
                         "exclusive_group": s["group"],
                         "fixed_om_cny_per_unit_year": 1.0 + k})
    bau = {"industry": list(np.linspace(110.0, 90.0, 6))}
    inp = make_inputs(bau, projects, target={"cap_t": 100.0 - cut, "peak_year": peak})
    fast, brute, tol = _tables(inp)
    pd.testing.assert_frame_equal(fast.drop(columns="relief_t"),
                                  brute.drop(columns="relief_t"))
    assert np.allclose(fast["relief_t"], brute["relief_t"], rtol=0, atol=tol)
