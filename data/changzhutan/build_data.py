"""Regenerate the illustrative Changsha and Xiangtan datasets of data/changzhutan/ from the
assumptions stated in README.md (Zhuzhou is a copy of data/zhuzhou/). Run from the repository
root: python data/changzhutan/build_data.py"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ZZ = HERE.parent / "zhuzhou"

# 2020 BAU by sector, tCO2 (assumption; see README)
BASE_2020 = {
    "changsha": {"industry": 16.0e6, "power_heat": 15.0e6, "buildings": 9.0e6,
                 "transport": 11.0e6, "forestry": -2.4e6},
    "xiangtan": {"industry": 21.0e6, "power_heat": 5.5e6, "buildings": 2.2e6,
                 "transport": 2.8e6, "forestry": -0.8e6},
}
# 2020 GDP (CNY), population, population growth per year, GDP growth premium over Zhuzhou's
# path (percentage points per year); see README
IND_2020 = {"changsha": (1214.25e9, 10047914, 0.012, 0.005),
            "xiangtan": (234.32e9, 2726181, -0.003, -0.003)}

# project potentials: (max_units, max_build_per_year) per city; the rest as Zhuzhou
SCALE = {
    "changsha": {"smelter_waste_heat": (60, 10), "clinker_substitution": (300, 25),
                 "industrial_motor_upgrade": (4000, 350), "rooftop_pv": (6000, 500),
                 "coal_boiler_to_gas": (2000, 250), "coal_boiler_to_electric": (2000, 180),
                 "public_building_retrofit": (12000, 800), "electric_bus": (3000, 400),
                 "afforestation": (20000, 1500)},
    "xiangtan": {"clinker_substitution": (250, 20), "industrial_motor_upgrade": (3000, 250),
                 "rooftop_pv": (1500, 150), "coal_boiler_to_gas": (1500, 200),
                 "coal_boiler_to_electric": (1500, 150), "public_building_retrofit": (600, 50),
                 "electric_bus": (800, 100), "afforestation": (15000, 1000)},
}
# Xiangtan's steel projects (assumption; see README)
STEEL = [
    {"project": "steel_trt_waste_heat", "name": "高炉TRT与钢铁余热余能回收",
     "measure": "industrial_efficiency", "sector": "industry", "unit": "MW",
     "max_units": 120, "max_build_per_year": 20, "earliest_year": 2021, "lifetime_years": 20,
     "capex_cny_per_unit": 8000000, "fixed_om_cny_per_unit_year": 200000,
     "savings_cny_per_unit_year": 3600000, "abatement_t_per_unit_year": 3700.0,
     "so2_t_per_unit_year": 0.4, "nox_t_per_unit_year": 0.8, "pm25_t_per_unit_year": 0.1,
     "exclusive_group": ""},
    {"project": "steel_scrap_eaf", "name": "短流程电炉钢替代长流程",
     "measure": "industrial_efficiency", "sector": "industry", "unit": "10 kt steel/yr",
     "max_units": 300, "max_build_per_year": 40, "earliest_year": 2023, "lifetime_years": 25,
     "capex_cny_per_unit": 20000000, "fixed_om_cny_per_unit_year": 2000000,
     "savings_cny_per_unit_year": 0, "abatement_t_per_unit_year": 15000.0,
     "so2_t_per_unit_year": 3.0, "nox_t_per_unit_year": 4.0, "pm25_t_per_unit_year": 1.5,
     "exclusive_group": ""},
]


def main() -> None:
    zz = HERE / "zhuzhou"
    zz.mkdir(exist_ok=True)
    for f in ("baseline.csv", "indicators.csv", "labels.csv", "projects.csv",
              "project_years.csv"):
        shutil.copy(ZZ / f, zz / f)
    base = pd.read_csv(ZZ / "baseline.csv")
    ratio = base.pivot(index="sector", columns="year", values="emissions_t")
    ratio = ratio.div(ratio[2020], axis=0)
    ind = pd.read_csv(ZZ / "indicators.csv").set_index("year")
    gdp_ratio = ind["gdp_cny"] / ind.loc[2020, "gdp_cny"]
    projects = pd.read_csv(ZZ / "projects.csv")
    py = pd.read_csv(ZZ / "project_years.csv")
    labels = pd.read_csv(ZZ / "labels.csv")
    for city, b in BASE_2020.items():
        out = HERE / city
        out.mkdir(exist_ok=True)
        rows = [{"sector": s, "year": int(y), "emissions_t": round(v * ratio.loc[s, y], -3)}
                for s, v in b.items() for y in ratio.columns]
        pd.DataFrame(rows).to_csv(out / "baseline.csv", index=False)
        gdp0, pop0, g, prem = IND_2020[city]
        pd.DataFrame({"year": ind.index,
                      "gdp_cny": [round(gdp0 * gdp_ratio[y] * (1 + prem) ** (y - 2020), -6)
                                  for y in ind.index],
                      "population": [round(pop0 * (1 + g) ** (y - 2020)) for y in ind.index]}
                     ).to_csv(out / "indicators.csv", index=False)
        keep = projects[projects["project"].isin(SCALE[city])].copy()
        for p, (u, r) in SCALE[city].items():
            keep.loc[keep["project"] == p, ["max_units", "max_build_per_year"]] = [u, r]
        if city == "xiangtan":
            keep = pd.concat([pd.DataFrame(STEEL), keep], ignore_index=True)
        keep.to_csv(out / "projects.csv", index=False)
        py[py["project"].isin(keep["project"])].to_csv(out / "project_years.csv", index=False)
        lab = labels
        if city == "xiangtan":
            lab = pd.concat([labels, pd.DataFrame([
                {"kind": "project", "id": "steel_trt_waste_heat",
                 "en": "Blast-furnace TRT and steel waste heat", "zh": "高炉TRT与钢铁余热余能回收"},
                {"kind": "project", "id": "steel_scrap_eaf",
                 "en": "Scrap-based EAF steel", "zh": "短流程电炉钢替代长流程"}])])
        lab.to_csv(out / "labels.csv", index=False)


if __name__ == "__main__":
    main()
