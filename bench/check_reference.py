"""Check bench/reference.py against hand calculations on tiny cases; exits 1 on a failure.

    python bench/check_reference.py

Case 1 (r = 10 %, years 2020-2022, money in CNY, emissions in tCO2):
  sector energy BAU 100 t/yr; sector forest BAU −50 t/yr (a sink, outside the gross scope).
  A (energy): capex 1000 (500 for units built in 2022, from project_years.csv), L = 2,
    fixed O&M 10/yr, abatement 10 t/unit/yr, max 5 units.
  B (forest): free, saves 5 CNY/unit/yr, abatement 1 t/unit/yr, max 3 units, L = 10.
  cap 60 t/yr: energy alone must abate 40 t every year (B does not count, gross scope), so
  A's stock is 4 in every year: build 4 in 2020 and 4 in 2022 (the 2022 units are cheap and
  their annuity is cut at the horizon). B is built to its potential for its savings alone.
Case 2: cap 40 needs 60 t of abatement; A (5 units) and C (5 units) could do it, but an
  exclusive group sharing one potential caps both at 50 t: infeasible with the group, feasible
  without it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

try:  # python -m bench.check_reference, or REPO on sys.path
    from bench.reference import solve
except ImportError:  # python bench/check_reference.py
    from reference import solve

HEADER = ("project,name,measure,sector,unit,max_units,max_build_per_year,earliest_year,"
          "lifetime_years,capex_cny_per_unit,fixed_om_cny_per_unit_year,"
          "savings_cny_per_unit_year,abatement_t_per_unit_year,exclusive_group\n")


def _write(folder: Path, projects: str, cap_t: float, project_years: str | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [f"{s},{y},{e}" for s, e in (("energy", 100), ("forest", -50))
            for y in (2020, 2021, 2022)]
    (folder / "baseline.csv").write_text("sector,year,emissions_t\n" + "\n".join(rows) + "\n")
    (folder / "projects.csv").write_text(HEADER + projects)
    if project_years is not None:
        (folder / "project_years.csv").write_text(project_years)
    path = folder / "scenario.yaml"
    path.write_text("name: check\ndata: .\nyears: {start: 2020, end: 2022}\n"
                    f"discount_rate: 0.1\ntarget:\n  cap_t: {cap_t}\n")
    return path


def expected_case1() -> float:
    """Hand calculation of case 1's objective (CNY at the start of 2020)."""
    r = 0.1
    crf = r * (1 + r) ** 2 / ((1 + r) ** 2 - 1)  # L = 2
    df = [1.0, 1 / 1.1, 1 / 1.21]  # 2020, 2021, 2022
    capex_2020 = 1000 * crf * (df[0] + df[1]) / (1 + r)  # = 1000 / 1.1
    capex_2022 = 500 * crf * df[2] / (1 + r)  # only 2022 is inside the horizon
    opex_a = sum(4 * 10 * d / (1 + r) for d in df)  # 4 units operating each year
    opex_b = sum(3 * (0 - 5) * d / (1 + r) for d in df)  # 3 units saving 5 CNY each
    return 4 * capex_2020 + 4 * capex_2022 + opex_a + opex_b


def main() -> int:
    """Run the checks; print one line each; return the process exit code."""
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / "c1",
                      "A,a,m,energy,u,5,5,2020,2,1000,10,0,10,\n"
                      "B,b,m,forest,u,3,3,2020,10,0,0,5,1,\n",
                      60, "project,year,capex_cny_per_unit\nA,2022,500\n")
        res, want = solve(path), expected_case1()
        ok = res.status == "optimal" and abs(res.objective - want) <= 1e-9 * abs(want)
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} case 1: reference {res.objective!r} "
              f"({res.status}), hand {want!r}")

        two = ("A,a,m,energy,u,5,5,2020,2,1000,10,0,10,{g}\n"
               "C,c,m,energy,u,5,5,2020,2,1000,10,0,10,{g}\n")
        grouped = solve(_write(Path(tmp) / "c2", two.format(g="grp"), 40, None))
        free = solve(_write(Path(tmp) / "c3", two.format(g=""), 40, None))
        ok = grouped.status == "infeasible" and free.status == "optimal"
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} case 2: with group {grouped.status}, "
              f"without {free.status}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
