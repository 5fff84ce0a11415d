"""Vectorised building blocks of the LP: variable blocks and row blocks.

The formulation writes each variable family and each constraint family once, as numpy arrays
(bounds, and the coefficient triplets of every row). From these blocks come, mechanically,
both the Pyomo model (:func:`to_pyomo`, one ``Var``/``Constraint`` per family, named as in
docs/formulation.md) and the sparse matrix handed to HiGHS (:meth:`Layout.matrix`). A test
checks that Pyomo's standard-form compiler turns the Pyomo model into the same matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

INF = math.inf


@dataclass
class VarBlock:
    """A family of variables. index: labels (Index or MultiIndex); scale: a typical magnitude
    per entry (x = scale·x̃ in the scaled LP); integer: entries that must be whole."""

    name: str
    index: pd.Index
    lb: np.ndarray
    ub: np.ndarray
    scale: np.ndarray
    doc: str = ""
    integer: np.ndarray | None = None  # bool per entry; None: all continuous

    def __len__(self) -> int:
        return len(self.index)


@dataclass
class Term:
    """Coefficients `coef` of variables `var`[col] in local rows `row` of a row block."""

    var: str
    row: np.ndarray
    col: np.ndarray
    coef: np.ndarray


@dataclass
class RowBlock:
    """A family of rows lb ≤ Σ terms ≤ ub (rows with lb = ub are equalities)."""

    name: str
    index: pd.Index
    terms: list[Term]
    lb: np.ndarray
    ub: np.ndarray
    doc: str = ""

    def __len__(self) -> int:
        return len(self.index)


@dataclass
class Layout:
    """Variable and row blocks in column and row order, with objectives over all columns."""

    variables: dict[str, VarBlock]
    rows: dict[str, RowBlock]
    objectives: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    col_offset: dict[str, int] = field(init=False)
    row_offset: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.col_offset, n = {}, 0
        for name, vb in self.variables.items():
            self.col_offset[name] = n
            n += len(vb)
        self.n_cols = n
        self.row_offset, m = {}, 0
        for name, rb in self.rows.items():
            self.row_offset[name] = m
            m += len(rb)
        self.n_rows = m

    def cols(self, name: str) -> slice:
        """The global column numbers of variable family `name`."""
        o = self.col_offset[name]
        return slice(o, o + len(self.variables[name]))

    def rows_of(self, name: str) -> slice:
        """The global row numbers of row family `name`."""
        o = self.row_offset[name]
        return slice(o, o + len(self.rows[name]))

    def matrix(self) -> sparse.csr_array:
        """The constraint matrix in original units (rows × columns)."""
        r, c, v = [], [], []
        for name, rb in self.rows.items():
            ro = self.row_offset[name]
            for term in rb.terms:
                r.append(term.row + ro)
                c.append(term.col + self.col_offset[term.var])
                v.append(term.coef)
        if not r:
            return sparse.csr_array((self.n_rows, self.n_cols))
        A = sparse.coo_array((np.concatenate(v), (np.concatenate(r), np.concatenate(c))),
                             shape=(self.n_rows, self.n_cols))
        A = A.tocsr()
        A.sum_duplicates()
        return A

    def bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(col_lb, col_ub, row_lb, row_ub) in original units."""
        cl = np.concatenate([vb.lb for vb in self.variables.values()])
        cu = np.concatenate([vb.ub for vb in self.variables.values()])
        rl = np.concatenate([rb.lb for rb in self.rows.values()]) if self.rows else np.zeros(0)
        ru = np.concatenate([rb.ub for rb in self.rows.values()]) if self.rows else np.zeros(0)
        return cl, cu, rl, ru

    def integrality(self) -> np.ndarray | None:
        """1 for every column that must be whole, 0 otherwise; None when no column must
        (the model is then a pure LP)."""
        if all(vb.integer is None or not vb.integer.any() for vb in self.variables.values()):
            return None
        return np.concatenate([np.zeros(len(vb), dtype=np.int8) if vb.integer is None
                               else vb.integer.astype(np.int8)
                               for vb in self.variables.values()])

    def col_scale(self) -> np.ndarray:
        """The typical magnitude of every column, in column order (x = scale·x̃)."""
        return np.concatenate([vb.scale for vb in self.variables.values()])

    def objective(self, name: str) -> np.ndarray:
        """The full cost vector of objective `name` (original units)."""
        c = np.zeros(self.n_cols)
        for var, coef in self.objectives[name].items():
            c[self.cols(var)] = coef
        return c


def _labels(index: pd.Index) -> list:
    return list(index)


def _side(m, name: str, labels: list, values: np.ndarray, free: float):
    """One side of a row block's bounds in Pyomo: a list of floats when every row has a finite
    bound, None when no row has one (and the block is not re-bounded), else a mutable Param
    (+/-inf where free) that re-solves may change — target rows always get one."""
    import pyomo.environ as pyo

    finite = np.isfinite(values)
    if finite.all():
        return values.tolist()
    if not finite.any() and free < 0:
        return None
    param = pyo.Param(labels, mutable=True, initialize=dict(zip(labels, values.tolist(),
                                                                strict=True)),
                      within=pyo.Reals | pyo.Any)
    m.add_component(name, param)
    return param


def to_pyomo(layout: Layout, name: str = "planner"):
    """A Pyomo ConcreteModel with one Var per variable block, one Constraint per row block and
    one (deactivated but the first) Objective per objective, all named as the blocks."""
    import pyomo.environ as pyo
    from pyomo.common.gc_manager import PauseGC
    from pyomo.core.expr.numeric_expr import LinearExpression

    with PauseGC():
        m = pyo.ConcreteModel(name=name)
        flat: list = []
        for vname, vb in layout.variables.items():
            var = pyo.Var(_labels(vb.index), dense=True, doc=vb.doc)
            m.add_component(vname, var)
            datas = list(var.values())
            for vd, lo, hi in zip(datas, vb.lb.tolist(), vb.ub.tolist(), strict=True):
                vd.setlb(None if lo == -INF else lo)
                vd.setub(None if hi == INF else hi)
            if vb.integer is not None:
                for j in np.flatnonzero(vb.integer):
                    datas[j].domain = pyo.Integers
            flat.extend(datas)
        A = layout.matrix()
        indptr, indices, data = A.indptr, A.indices, A.data
        for rname, rb in layout.rows.items():
            ro = layout.row_offset[rname]
            labels = _labels(rb.index)
            pos = {lab: k for k, lab in enumerate(labels)}
            lo_side = _side(m, f"{rname}_lb", labels, rb.lb, -INF)
            hi_side = _side(m, f"{rname}_ub", labels, rb.ub, INF)

            def rule(m, *idx, _pos=pos, _ro=ro, _lo=lo_side, _hi=hi_side):
                key = idx[0] if len(idx) == 1 else idx
                k = _pos[key]
                a, b = indptr[_ro + k], indptr[_ro + k + 1]
                if a == b:
                    return pyo.Constraint.Skip
                expr = LinearExpression(constant=0.0, linear_coefs=data[a:b].tolist(),
                                        linear_vars=[flat[j] for j in indices[a:b]])
                lo = _lo[key] if isinstance(_lo, pyo.Param) else _lo[k] if _lo else None
                hi = _hi[key] if isinstance(_hi, pyo.Param) else _hi[k] if _hi else None
                return (lo, expr, hi)

            m.add_component(rname, pyo.Constraint(labels, rule=rule, doc=rb.doc))
        for k, oname in enumerate(layout.objectives):
            c = layout.objective(oname)
            nz = np.flatnonzero(c)
            expr = LinearExpression(constant=0.0, linear_coefs=c[nz].tolist(),
                                    linear_vars=[flat[j] for j in nz])
            obj = pyo.Objective(expr=expr, sense=pyo.minimize)
            m.add_component(oname, obj)
            if k:
                obj.deactivate()
    return m
