"""Errors that end a run with a message for the user and a distinct exit code.

Exit codes (also listed in README.md):
0 optimal · 2 bad input · 3 target infeasible · 4 solver time limit ·
5 numerical trouble (no trustworthy optimum) · 6 solver unavailable.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_TIME_LIMIT = 4
EXIT_NUMERICAL = 5
EXIT_SOLVER_MISSING = 6


class PlannerError(Exception):
    """Base class: a failure the CLI reports as one message and an exit code."""

    exit_code = 1


class InputError(PlannerError):
    """Bad input: names the file, the place in it (row/column or key path), the value and
    what was expected."""

    exit_code = EXIT_BAD_INPUT

    def __init__(
        self,
        file: str,
        where: str,
        problem: str,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = str(file)
        self.where = where
        self.problem = problem
        self.expected = expected
        self.hint = hint
        parts = [f"{self.file}: {where}: {problem}"]
        if expected:
            parts.append(f"expected {expected}")
        msg = "; ".join(parts)
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


class SolverError(PlannerError):
    """The solver did not return a trustworthy optimum (time limit, numerical trouble)."""

    def __init__(self, message: str, exit_code: int = EXIT_NUMERICAL) -> None:
        super().__init__(message)
        self.exit_code = exit_code
