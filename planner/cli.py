"""The command line: parses arguments, calls the public Python API, prints, sets exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.errors import EXIT_INFEASIBLE, EXIT_OK, PlannerError


def _rate(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"found {text!r}; expected a rate such as 0.12") from None
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError(f"found {v}; expected a rate between 0 and 1")
    return v


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="solve a scenario and write its results")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path, help="output folder (default results/<scenario>/)")
    p.add_argument("--private-discount-rate", type=_rate, metavar="R",
                   help="also rank projects at an investor's discount rate")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("rank", help="rank projects by cost per tonne beside the optimal plan")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path, help="output folder (default results/<scenario>-rank/)")
    p.add_argument("--private-discount-rate", type=_rate, metavar="R",
                   help="investor's discount rate for lcoa_private and break-even prices")
    p.set_defaults(func=cmd_rank)


def cmd_run(args) -> int:
    from planner.output import check_target
    from planner.pathway import solve
    from planner.run import default_out, write_run
    from planner.scenario import load_scenario
    from planner.summary import render

    sc = load_scenario(args.scenario)
    out = args.out or default_out(sc.path)
    check_target(out)
    res = solve(sc)
    write_run(res, out, args.private_discount_rate)
    print(render(res))
    print(f"\nResults written to {out}/")
    return EXIT_OK if res.optimal else EXIT_INFEASIBLE


def cmd_rank(args) -> int:
    from planner.output import check_target, write_folder
    from planner.pathway import solve
    from planner.ranking import rank, ranking_writers
    from planner.run import default_out
    from planner.scenario import load_scenario
    from planner.tables import to_markdown

    sc = load_scenario(args.scenario)
    out = args.out or default_out(sc.path, "rank")
    check_target(out)
    res = solve(sc)
    if not res.optimal:
        print(res.diagnosis.message if res.diagnosis else "the target is infeasible",
              file=sys.stderr)
        return EXIT_INFEASIBLE
    table = rank(res, args.private_discount_rate)
    write_folder(out, ranking_writers(res, args.private_discount_rate, table))
    cols = ["rank", "project", "lcoa_cny_per_t", "entry_price_cny_per_t", "first_build_year",
            "why"]
    print(to_markdown(table[cols], digits=0))
    print(f"Results written to {out}/")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="planner", description="Least-cost carbon-peak pathways.")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command", required=True)
    _add_run(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except PlannerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; no results were written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
