"""Argument types and helpers every command shares (rates, gaps, year ranges, solver options)."""

from __future__ import annotations

import argparse
import sys


def _number(text: str, example: str) -> float:
    """`text` as a number, or an argparse error naming what was expected."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"found {text!r}; expected {example}") from None


def _rate(text: str) -> float:
    v = _number(text, "a rate such as 0.12")
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError(f"found {v}; expected a rate between 0 and 1")
    return v


def _share(text: str) -> float:
    v = _number(text, "a gap such as 0.001")
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError(f"found {v}; expected a relative gap between 0 and 1")
    return v


def _seconds(text: str) -> float:
    v = _number(text, "seconds such as 60")
    if not v > 0:
        raise argparse.ArgumentTypeError(f"found {v}; expected a number of seconds > 0")
    return v


def _add_solver_options(p) -> None:
    p.add_argument("--mip-gap", type=_share, metavar="GAP",
                   help="relative optimality gap of the mixed-integer search (lumpy projects; "
                   "overrides solver.mip_gap)")
    p.add_argument("--time-limit", type=_seconds, metavar="SECONDS",
                   help="time limit per solve (overrides solver.time_limit_s); with lumpy "
                   "projects the best plan found is written and the exit code is 4")


def _with_solver_options(sc, args):
    """The scenario with the command line's solver options applied."""
    changes = {k: v for k, v in (("mip_gap", getattr(args, "mip_gap", None)),
                                 ("time_limit_s", getattr(args, "time_limit", None)))
               if v is not None}
    if not changes:
        return sc
    return sc.model_copy(update={"solver": sc.solver.model_copy(update=changes)})


def _lumpy_note(sc) -> None:
    """A warning when the scenario's projects make each solve a mixed-integer programme."""
    from planner.model.inputs import bind

    inp = bind(sc)
    if inp.is_mip:
        n = int((inp.lumpy != "continuous").sum())
        print(f"warning: {n} lumpy project(s): every point is a mixed-integer programme and "
              "may take much longer than an LP", file=sys.stderr)


def parse_year_range(spec: str, option: str = "--peak-year") -> list[int]:
    """'2023..2030', '2025' or '2023,2025' -> the years; a reversed or empty range, or text
    that is not years, is an InputError naming the option."""
    from planner.errors import InputError

    expected = "a year, Y1..Y2 with Y1 <= Y2 (e.g. 2026..2030) or Y1,Y2,…"
    text = spec.strip()
    try:
        if ".." in text:
            a, b = (int(x) for x in text.split(".."))
            years = list(range(a, b + 1))
            if not years:
                raise InputError("command line", option,
                                 f"found {spec!r}: the range is reversed ({a} > {b}), so empty",
                                 expected, f"did you mean {b}..{a}?")
            return years
        years = [int(x) for x in text.split(",")]
    except ValueError:
        raise InputError("command line", option, f"found {spec!r}", expected) from None
    return years


def _grid(cap_spec: str | None, year_spec: str | None, sc):
    from planner.analysis.sweep import parse_caps
    from planner.errors import InputError

    try:
        caps = parse_caps(cap_spec) if cap_spec else [sc.target.cap_t]
    except ValueError as exc:
        raise InputError("command line", "--cap", str(exc)) from None
    years = parse_year_range(year_spec) if year_spec else [sc.target.peak_year]
    for y in years:
        if y is not None and not sc.years.start <= y <= sc.years.end:
            raise InputError("command line", "--peak-year", f"year {y}",
                             f"years from {sc.years.start} to {sc.years.end}")
    return caps, years
