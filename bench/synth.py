"""Seeded synthetic cases in planner's data contract (docs/inputs.md), any size.

    write_case(folder, n_projects, n_years=41, seed=0, start=2020) -> Path of the scenario YAML

Writes baseline.csv, projects.csv, project_years.csv, indicators.csv and scenario.yaml into
`folder`. Five sectors with positive BAU that grows then flattens; projects spread over the
sectors with random costs (about 15 % no-regret), lifetimes 8-30 years, roll-out limits,
earliest years, a few exclusive groups of two, and falling capex over time for about 20 % of
the projects (plus falling abatement for a few power projects as the grid gets cleaner).
The target is a constant cap_t of 92 % of the largest BAU total, loosened in steps of 2 points
until the reference LP (bench/reference.py) is feasible. Same arguments, same bytes.

    python bench/synth.py FOLDER N_PROJECTS [--years 41] [--seed 0]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

try:  # python -m bench.synth, or REPO on sys.path
    from bench.reference import solve as ref_solve
except ImportError:  # python bench/synth.py
    from reference import solve as ref_solve

SECTORS = ("power", "industry", "buildings", "transport", "waste")
UNITS = ("MW", "kt/yr", "10k m2", "vehicle", "t/day")
CAP_FRACTIONS = (0.92, 0.94, 0.96, 0.98, 1.0)
POTENTIAL_SHARE = 0.3  # all projects of a sector together can abate ~30 % of its peak BAU


def baseline(rng: np.random.Generator, years: np.ndarray) -> pd.DataFrame:
    """BAU per sector and year (tCO2/yr): base · (1 + growth · (1 − exp(−k·(t − start))))."""
    k = (years - years[0]).astype(float)
    rows = []
    for s in SECTORS:
        base = rng.uniform(2e6, 2e7)
        growth = rng.uniform(0.2, 0.6)  # total growth until it flattens
        rate = rng.uniform(0.08, 0.2)  # how fast it flattens, 1/yr
        e = np.round(base * (1.0 + growth * (1.0 - np.exp(-rate * k))))
        rows.append(pd.DataFrame({"sector": s, "year": years, "emissions_t": e.astype(np.int64)}))
    return pd.concat(rows, ignore_index=True)


def projects(rng: np.random.Generator, n: int, bau_peak: dict[str, float], start: int,
             end: int) -> pd.DataFrame:
    """n candidate projects (columns of projects.csv; money in CNY, abatement in tCO2/unit/yr)."""
    sector_idx = np.arange(n) % len(SECTORS)
    rng.shuffle(sector_idx)
    sector = np.array(SECTORS)[sector_idx]
    life = rng.integers(8, 31, n)
    abate = np.round(rng.lognormal(np.log(200.0), 1.0, n), 3)  # tCO2/unit/yr
    # share of the sector potential: random weights normalised within each sector
    w = rng.gamma(2.0, 1.0, n)
    w_sum = np.bincount(sector_idx, weights=w, minlength=len(SECTORS))
    peak = np.array([bau_peak[s] for s in SECTORS])
    potential_t = POTENTIAL_SHARE * peak[sector_idx] * w / w_sum[sector_idx]  # tCO2/yr
    max_units = np.maximum(np.round(potential_t / abate, 1), 1.0)
    max_build = np.maximum(np.round(max_units / rng.uniform(4, 15, n), 1), 0.1)
    earliest = start + rng.integers(0, min(9, end - start + 1), n)
    # cost of abatement (CNY/tCO2) before savings; ~15 % of projects are no-regret
    cost_per_t = rng.lognormal(np.log(300.0), 0.6, n)
    capex_share = rng.uniform(0.5, 0.9, n)  # part of the annual cost that is capital
    annual = cost_per_t * abate  # CNY/unit/yr
    crf = 0.08 / (1.0 - 1.08 ** (-life.astype(float)))
    capex = np.round(annual * capex_share / crf, -2)
    fixed_om = np.round(annual * (1.0 - capex_share), 0)
    no_regret = rng.random(n) < 0.15
    savings = np.where(no_regret, annual * rng.uniform(1.1, 1.6, n),
                       annual * rng.uniform(0.0, 0.6, n))
    savings = np.round(savings, 0)
    df = pd.DataFrame({
        "project": [f"p{i:05d}" for i in range(n)],
        "name": [f"synthetic project {i}" for i in range(n)],
        "measure": [f"{s}_m{j}" for s, j in zip(sector, rng.integers(0, 4, n), strict=True)],
        "sector": sector,
        "unit": np.array(UNITS)[sector_idx],
        "max_units": max_units,
        "max_build_per_year": max_build,
        "earliest_year": earliest,
        "lifetime_years": life,
        "capex_cny_per_unit": capex,
        "fixed_om_cny_per_unit_year": fixed_om,
        "savings_cny_per_unit_year": savings,
        "abatement_t_per_unit_year": abate,
        "so2_t_per_unit_year": np.round(abate * rng.uniform(0, 2e-3, n), 6),
        "nox_t_per_unit_year": np.round(abate * rng.uniform(0, 2e-3, n), 6),
        "pm25_t_per_unit_year": np.round(abate * rng.uniform(0, 3e-4, n), 6),
        "exclusive_group": "",
    })
    # a few exclusive groups of two projects of the same sector sharing one potential
    n_groups = max(1, n // 20) if n >= 10 else 0
    for g in range(n_groups):
        s = rng.integers(len(SECTORS))
        free = np.flatnonzero((sector_idx == s) & (df["exclusive_group"].to_numpy() == ""))
        if len(free) < 2:
            continue
        i, j = rng.choice(free, 2, replace=False)
        df.loc[[i, j], "exclusive_group"] = f"g{g:04d}"
        df.loc[j, "max_units"] = df.loc[i, "max_units"]
        df.loc[j, "max_build_per_year"] = df.loc[i, "max_build_per_year"]
    return df


def project_years(rng: np.random.Generator, proj: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
    """Year overrides: capex falling 1-6 %/yr for ~20 % of projects (CNY/unit); abatement
    falling 0.5-2 %/yr for about a quarter of the power projects among them (tCO2/unit/yr)."""
    n = len(proj)
    chosen = np.flatnonzero(rng.random(n) < 0.2)
    k = (years - years[0]).astype(float)
    drop = rng.uniform(0.01, 0.06, len(chosen))
    capex = np.round(proj["capex_cny_per_unit"].to_numpy()[chosen, None]
                     * (1.0 - drop[:, None]) ** k[None, :], -2)
    power = proj["sector"].to_numpy()[chosen] == "power"
    fade = power & (rng.random(len(chosen)) < 0.25)
    adrop = rng.uniform(0.005, 0.02, len(chosen))
    abate = np.round(proj["abatement_t_per_unit_year"].to_numpy()[chosen, None]
                     * (1.0 - adrop[:, None]) ** k[None, :], 3)
    abate[~fade] = np.nan  # empty cell = not overridden
    return pd.DataFrame({
        "project": np.repeat(proj["project"].to_numpy()[chosen], len(years)),
        "year": np.tile(years, len(chosen)),
        "capex_cny_per_unit": capex.ravel(),
        "abatement_t_per_unit_year": abate.ravel(),
    })


def indicators(rng: np.random.Generator, years: np.ndarray) -> pd.DataFrame:
    """GDP (constant CNY) and resident population (persons) per year."""
    k = (years - years[0]).astype(float)
    gdp = np.round(3e11 * (1.0 + rng.uniform(0.03, 0.06)) ** k, -6)
    pop = np.round(4e6 * (1.0 + rng.uniform(-0.003, 0.005)) ** k)
    return pd.DataFrame({"year": years, "gdp_cny": gdp.astype(np.int64),
                         "population": pop.astype(np.int64)})


def _scenario_yaml(name: str, start: int, end: int, cap_t: float) -> str:
    return (f"name: {name}\n"
            "data: .\n"
            f"years: {{start: {start}, end: {end}}}\n"
            "discount_rate: 0.08\n"
            "target:\n"
            f"  cap_t: {cap_t:.0f}\n")


def write_case(folder: str | Path, n_projects: int, n_years: int = 41, seed: int = 0,
               start: int = 2020) -> Path:
    """Write a synthetic dataset and scenario into `folder`; return the scenario YAML path.

    The cap (tCO2/yr, constant over the horizon) is the first of 92/94/96/98/100 % of the
    largest BAU total for which the reference LP is feasible.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    years = np.arange(start, start + n_years)
    end = int(years[-1])
    bau = baseline(rng, years)
    peak = bau.groupby("sector")["emissions_t"].max().to_dict()
    proj = projects(rng, n_projects, peak, start, end)
    py = project_years(rng, proj, years)
    ind = indicators(rng, years)
    bau.to_csv(folder / "baseline.csv", index=False, lineterminator="\n")
    proj.to_csv(folder / "projects.csv", index=False, lineterminator="\n")
    if len(py):  # optional file; planner rejects one without data rows
        py.to_csv(folder / "project_years.csv", index=False, lineterminator="\n")
    else:
        (folder / "project_years.csv").unlink(missing_ok=True)
    ind.to_csv(folder / "indicators.csv", index=False, lineterminator="\n")

    bau_max = float(bau.groupby("year")["emissions_t"].sum().max())
    name = f"synthetic {n_projects} projects, {n_years} years, seed {seed}"
    path = folder / "scenario.yaml"
    for frac in CAP_FRACTIONS:
        path.write_text(_scenario_yaml(name, start, end, frac * bau_max), encoding="utf-8")
        if ref_solve(path).status == "optimal":
            break
    return path


def main() -> None:
    """Command line: write one case and print the scenario path."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("n_projects", type=int)
    ap.add_argument("--years", type=int, default=41)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    print(write_case(args.folder, args.n_projects, args.years, args.seed))


if __name__ == "__main__":
    main()
