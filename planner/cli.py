"""The command line: parses arguments, calls the public Python API, prints, sets exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.errors import EXIT_INFEASIBLE, EXIT_OK, PlannerError


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="solve a scenario and write its results")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path, help="output folder (default results/<scenario>/)")
    p.set_defaults(func=cmd_run)


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
    write_run(res, out)
    print(render(res))
    print(f"\nResults written to {out}/")
    return EXIT_OK if res.optimal else EXIT_INFEASIBLE


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
