"""Commands about target stringency: sweep, frontier."""

from __future__ import annotations

import sys
from pathlib import Path

from planner.cli.args import _grid, _lumpy_note
from planner.errors import EXIT_OK


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


def cmd_sweep(args) -> int:
    """`planner sweep`: solve over a grid of caps and/or peak years, write the folder; exit code."""
    from planner.api import sweep
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
    _lumpy_note(sc)
    sw = sweep(sc, caps, years, jobs=args.jobs, progress=sys.stderr.isatty())
    table, entry = sw.table, sw.entry

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
    """`planner frontier`: lowest peak and its cost per peak year; write and print; exit code."""
    from planner.api import frontier
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
    _lumpy_note(sc)
    table = frontier(sc, years)
    write_folder(out, {
        "frontier.csv": csv_writer(table),
        "frontier.png": lambda p: save_figure(frontier_chart(table), p.parent, p.stem)})
    show = table[["peak_year", "status", "min_peak_t", "cost_90_cny", "cost_95_cny",
                  "cost_100_cny"]]
    print(to_markdown(show, digits=0))
    print(f"Results written to {out}/")
    return EXIT_OK
