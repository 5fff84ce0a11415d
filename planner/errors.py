"""Errors that end a run with a message for the user and a distinct exit code.

Exit codes (also listed in README.md):
0 optimal · 2 bad input · 3 target infeasible · 4 solver time limit ·
5 numerical trouble (no trustworthy optimum) · 6 solver unavailable ·
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_TIME_LIMIT = 4
EXIT_NUMERICAL = 5
EXIT_SOLVER_MISSING = 6
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), as shells report it


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


class InputErrors(InputError):
    """Several input problems found in one pass (every file is checked before giving up).

    `errors` holds each :class:`InputError`; the message lists up to `limit` of them, one a line,
    then "and N more". The file/where/problem attributes are those of the first."""

    LIMIT = 20

    def __init__(self, errors: list[InputError], limit: int = LIMIT) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        self.file, self.where, self.problem = first.file, first.where, first.problem
        self.expected, self.hint = first.expected, first.hint
        lines = [f"{len(self.errors)} problems in the input:"]
        lines += [f"  {e}" for e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"  and {len(self.errors) - limit} more")
        Exception.__init__(self, "\n".join(lines))


def raise_all(errors: list[InputError]) -> None:
    """Raise nothing, the one error, or an :class:`InputErrors` of them all."""
    flat: list[InputError] = []
    for e in errors:
        flat.extend(e.errors if isinstance(e, InputErrors) else [e])
    if len(flat) == 1:
        raise flat[0]
    if flat:
        raise InputErrors(flat)


class InputWarning(UserWarning):
    """Input that is accepted but looks wrong (e.g. a cap far below BAU: a unit slip?).
    The CLI prints it as "warning: …"."""


class PlausibilityWarning(InputWarning):
    """Valid input that looks like a slip: a total out of any city's range, a cap far from BAU."""


class EncodingNote(InputWarning):
    """An input file was read in an encoding other than UTF-8 (printed as "note: …")."""


class SolverError(PlannerError):
    """The solver did not return a trustworthy optimum (time limit, numerical trouble)."""

    def __init__(self, message: str, exit_code: int = EXIT_NUMERICAL) -> None:
        super().__init__(message)
        self.exit_code = exit_code
