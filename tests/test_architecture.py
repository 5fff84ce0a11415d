"""The layered house: imports run one way, and every model component is catalogued and
documented."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from planner.model.catalogue import CATALOGUE

REPO = Path(__file__).resolve().parents[1]
PKG = REPO / "planner"

#: module-name prefix -> layer (bottom = 0); the longest matching prefix wins
LAYERS = {
    "planner.errors": 0, "planner.units": 0, "planner.i18n": 0,
    "planner.version": 0, "planner.inputtext": 0,
    "planner.data": 1, "planner.plausibility": 1, "planner.scenario": 1, "planner.labels": 1,
    "planner.actuals": 1, "planner.uqspec": 1, "planner.regions": 1,
    "planner.model": 2,
    "planner.results": 3, "planner.summary": 3,
    "planner.analysis": 4,
    "planner.api": 5,
    "planner.plot": 6, "planner.report": 6, "planner.text": 6, "planner.tables": 6,
    "planner.outputs": 7,
    "planner.cli": 8,
    "planner": 9,  # the package facade re-exports the public API
}


def layer_of(module: str) -> int:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len)
    return LAYERS[best]


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def planner_imports(path: Path) -> list[tuple[str, int]]:
    """(imported planner module, line) for every import in the file, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names if a.name.startswith("planner")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.startswith("planner"):
            for a in node.names:
                full = f"{node.module}.{a.name}"
                target = full if (PKG / Path(*full.split(".")[1:])).with_suffix(".py").exists() \
                    or (PKG / Path(*full.split(".")[1:])).is_dir() else node.module
                out.append((target, node.lineno))
    return out


def upward_imports(root: Path = PKG) -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        if "fonts" in path.parts:
            continue
        mod = module_name(path)
        mine = layer_of(mod)
        for target, line in planner_imports(path):
            if target == "planner" and mod != "planner":
                bad.append(f"{mod}:{line} imports the package facade 'planner'")
            elif layer_of(target) > mine:
                bad.append(f"{mod}:{line} imports {target} (layer {layer_of(target)} > {mine})")
    return bad


def test_no_upward_imports():
    assert upward_imports() == []


def test_a_planted_upward_import_is_caught(tmp_path, monkeypatch):
    fake = tmp_path / "planner" / "model"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from planner.cli import main\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "REPO", tmp_path)
    assert any("planner.cli" in b for b in upward_imports(tmp_path / "planner"))


def test_every_component_is_catalogued_and_documented():
    from planner.model.persistent import PlanningModel
    from tests.conftest import make_inputs

    inp = make_inputs({"industry": [10.0, 11.0]},
                      [{"project": "a", "exclusive_group": "g"}, {"project": "b",
                                                                   "exclusive_group": "g"}],
                      target={"peak_year": 2020, "cap_t": 10.5}, budget=1e6)
    pm = PlanningModel(inp)
    names = set(pm.layout.variables) | set(pm.layout.rows) | set(pm.layout.objectives)
    assert names <= set(CATALOGUE), names - set(CATALOGUE)
    doc = (REPO / "docs" / "formulation.md").read_text(encoding="utf-8")
    missing = [n for n in CATALOGUE if f"`{n}" not in doc]
    assert missing == []
    # the Pyomo model carries the same components, with their catalogue doc
    m = pm.m
    for name in pm.layout.rows:
        assert m.component(name) is not None


#: (rows, columns, nonzeros) of bundled models — Temoa's habit: change only with a dated note
#: 2026-11-29: vectorised formulation (stock recursion instead of window sums, every target
#:   row family with its shortfall column, cost_limit and max_emissions rows), gross scope
PINS = {"zhuzhou_peak2025": (353, 401, 1279)}


@pytest.mark.parametrize("scenario", sorted(PINS))
def test_model_size_pins(scenario):
    import planner
    from planner.model.persistent import PlanningModel

    pm = PlanningModel(planner.bind(planner.load_scenario(REPO / "scenarios" /
                                                          f"{scenario}.yaml")), pyomo=False)
    got = (pm.layout.n_rows, pm.layout.n_cols, pm.A.nnz)
    assert got == PINS[scenario]
