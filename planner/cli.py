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
    for name, func, helptext, suffix in (
            ("run", cmd_run, "solve a scenario and write its results", ""),
            ("rank", cmd_rank, "rank projects by cost per tonne beside the optimal plan",
             "-rank")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("scenario", type=Path, help="scenario YAML file")
        p.add_argument("--out", type=Path,
                       help=f"output folder (default results/<scenario>{suffix}/)")
        p.add_argument("--private-discount-rate", type=_rate, metavar="R",
                       help="also rank projects at an investor's discount rate")
        if name == "run":
            p.add_argument("--lang", choices=["en", "zh"], default="en",
                           help="language of the terminal summary (default en)")
        p.set_defaults(func=func)


def cmd_run(args) -> int:
    from planner.api import solve
    from planner.i18n import t
    from planner.labels import load_labels
    from planner.outputs.folder import check_target
    from planner.outputs.run import default_out, write_run
    from planner.scenario import load_scenario
    from planner.text import summary_text

    sc = load_scenario(args.scenario)
    labels = load_labels(sc.data)
    out = args.out or default_out(sc.path)
    check_target(out)
    res = solve(sc)
    write_run(res, out, args.private_discount_rate)
    names = dict(zip(res.inputs.projects.index, res.inputs.projects["name"], strict=True))
    print(summary_text(res, args.lang, labels.with_projects(names)))
    print("\n" + t("summary.written", args.lang, out=out))
    return EXIT_OK if res.optimal else EXIT_INFEASIBLE


def cmd_rank(args) -> int:
    from planner.analysis.ranking import rank, ranking_writers
    from planner.api import solve
    from planner.outputs.folder import check_target, write_folder
    from planner.outputs.run import default_out
    from planner.scenario import load_scenario
    from planner.text import to_markdown

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


def _add_stringency(sub) -> None:
    p = sub.add_parser("sweep", help="solve over a grid of caps and/or peak years")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--cap", metavar="FROM:TO:STEPS", help="caps in tCO2, e.g. 4.2e7:3.9e7:31")
    p.add_argument("--peak-year", metavar="Y1..Y2", help="peak years, e.g. 2023..2030")
    p.add_argument("--jobs", type=int, default=1, help="parallel processes over peak years")
    p.add_argument("--out", type=Path, help="output folder (default results/<scenario>-sweep/)")
    p.set_defaults(func=cmd_sweep)
    p = sub.add_parser("frontier", help="lowest achievable peak per peak year, and its cost")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--peak-year", metavar="Y1..Y2",
                   help="candidate peak years (default: every year of the horizon)")
    p.add_argument("--out", type=Path,
                   help="output folder (default results/<scenario>-frontier/)")
    p.set_defaults(func=cmd_frontier)


def _grid(cap_spec: str | None, year_spec: str | None, sc):
    from planner.analysis.sweep import parse_caps, parse_years
    from planner.errors import InputError

    try:
        caps = parse_caps(cap_spec) if cap_spec else [sc.target.cap_t]
        years = parse_years(year_spec) if year_spec else [sc.target.peak_year]
    except ValueError as exc:
        raise InputError("command line", "--cap/--peak-year", str(exc)) from None
    for y in years:
        if y is not None and not sc.years.start <= y <= sc.years.end:
            raise InputError("command line", "--peak-year", f"year {y}",
                             f"years from {sc.years.start} to {sc.years.end}")
    return caps, years


def cmd_sweep(args) -> int:
    from planner.analysis.sweep import project_entry, sweep
    from planner.model.inputs import bind
    from planner.outputs.folder import check_target, write_folder
    from planner.outputs.run import csv_writer
    from planner.plot.save import save_figure
    from planner.plot.sweep import sweep_cost, sweep_heatmap, sweep_price
    from planner.scenario import load_scenario

    sc = load_scenario(args.scenario)
    caps, years = _grid(args.cap, args.peak_year, sc)
    if not args.cap and not args.peak_year:
        print("error: give --cap FROM:TO:STEPS and/or --peak-year Y1..Y2", file=sys.stderr)
        return 2
    out = args.out or Path("results") / f"{sc.stem}-sweep"
    check_target(out)
    inp = bind(sc)
    table = sweep(inp, caps, years, jobs=args.jobs, progress=sys.stderr.isatty())
    entry = project_entry(table, inp)

    def chart(fn):
        return lambda path: save_figure(fn(table), path.parent, path.stem)

    writers = {"sweep.csv": csv_writer(table), "project_entry.csv": csv_writer(entry),
               "sweep_cost.png": chart(sweep_cost),
               "sweep_price.png": chart(sweep_price)}
    if len(caps) > 1 and len(years) > 1:
        writers["sweep_heatmap.png"] = chart(sweep_heatmap)
    write_folder(out, writers)
    n_ok = int((table["status"] == "optimal").sum())
    print(f"{n_ok} of {len(table)} points optimal; "
          f"{int((table['status'] == 'infeasible').sum())} infeasible, "
          f"{int((table['status'] == 'error').sum())} failed.")
    print(f"Results written to {out}/")
    return EXIT_OK


def cmd_frontier(args) -> int:
    from planner.analysis.frontier import frontier
    from planner.model.inputs import bind
    from planner.outputs.folder import check_target, write_folder
    from planner.outputs.run import csv_writer
    from planner.plot.save import save_figure
    from planner.plot.sweep import frontier_chart
    from planner.scenario import load_scenario
    from planner.text import to_markdown

    sc = load_scenario(args.scenario)
    if args.peak_year:
        _, years = _grid(None, args.peak_year, sc)
    else:
        years = sc.horizon
    out = args.out or Path("results") / f"{sc.stem}-frontier"
    check_target(out)
    table = frontier(bind(sc), years)
    write_folder(out, {
        "frontier.csv": csv_writer(table),
        "frontier.png": lambda p: save_figure(frontier_chart(table), p.parent, p.stem)})
    show = table[["peak_year", "status", "min_peak_t", "cost_90_cny", "cost_95_cny",
                  "cost_100_cny"]]
    print(to_markdown(show, digits=0))
    print(f"Results written to {out}/")
    return EXIT_OK


def _add_report(sub) -> None:
    """`planner report SCENARIO [--out DIR] [--lang en|zh] [--sweep]`."""
    p = sub.add_parser("report", help="write an HTML report, an Excel workbook and the charts")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path,
                   help="output folder (default results/<scenario>-report/)")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of the report (default en)")
    p.add_argument("--sweep", action="store_true",
                   help="add a stringency sweep around the scenario's cap and the frontier")
    p.set_defaults(func=cmd_report)


def cmd_report(args) -> int:
    from planner.api import solve
    from planner.labels import load_labels
    from planner.outputs.folder import check_target
    from planner.outputs.report import write_report
    from planner.outputs.run import default_out
    from planner.plot.fonts import cjk_font_available
    from planner.scenario import load_scenario
    from planner.text import diagnosis_text
    from planner.units import mt, yi

    sc = load_scenario(args.scenario)
    load_labels(sc.data)  # a bad labels.csv is reported before solving
    out = args.out or default_out(sc.path, "report")
    check_target(out)
    if args.lang == "zh" and not cjk_font_available():
        print("warning: no Chinese (CJK) font was found; the charts use English labels and "
              "project ids. Reinstall planner or install a CJK font (e.g. fonts-noto-cjk).",
              file=sys.stderr)
    res = solve(sc)
    write_report(res, out, args.lang, args.sweep)
    if res.optimal:
        print(f"{sc.name}: {res.status}; peak {res.peak_year} at {mt(res.peak_emissions_t)} Mt "
              f"CO2; net present cost {yi(res.objective_cny)} 亿元 (100 million CNY).")
    else:
        print(f"{sc.name}: {res.status}.", diagnosis_text(res, "en"), file=sys.stderr)
    print(f"Report written to {out}/report.html (and report.xlsx, charts as PNG and SVG)")
    return EXIT_OK if res.optimal else EXIT_INFEASIBLE


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="planner", description="Least-cost carbon-peak pathways.")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command", required=True)
    from planner.analysis.compare import register as add_compare

    _add_run(sub)
    _add_stringency(sub)
    add_compare(sub)
    _add_report(sub)
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
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (please report it; rerun with "
              "'planner --debug …' for the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
