"""The command line: parses arguments, calls the public Python API, prints, sets exit codes."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import warnings
from pathlib import Path

from planner.errors import (
    EXIT_INFEASIBLE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TIME_LIMIT,
    EncodingNote,
    InputWarning,
    PlannerError,
)


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
        _add_solver_options(p)
        p.set_defaults(func=func)


def _share(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"found {text!r}; expected a gap such as 0.001") from None
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError(f"found {v}; expected a relative gap between 0 and 1")
    return v


def _seconds(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"found {text!r}; expected seconds such as 60") from None
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


def cmd_run_regions(args) -> int:
    """`planner run` on a region scenario (several cities under a joint target)."""
    from planner.api import solve_regions
    from planner.i18n import t
    from planner.outputs.folder import check_target
    from planner.outputs.regions import write_regions
    from planner.outputs.run import default_out
    from planner.regions import load_regions
    from planner.report.agglomeration import headline_lines

    rg = load_regions(args.scenario)
    out = args.out or default_out(rg.scenario.path)
    check_target(out)
    ag = solve_regions(rg)
    write_regions(ag, out, args.lang)
    print("\n".join(headline_lines(ag, args.lang)))
    print("\n" + t("summary.written", args.lang, out=out))
    return EXIT_OK if ag.scenario_run.optimal else EXIT_INFEASIBLE


def cmd_run(args) -> int:
    from planner.regions import is_region_scenario

    if is_region_scenario(args.scenario):
        return cmd_run_regions(args)
    from planner.api import solve
    from planner.i18n import t
    from planner.labels import load_labels
    from planner.outputs.folder import check_target
    from planner.outputs.run import default_out, write_run
    from planner.scenario import load_scenario
    from planner.text import summary_text

    sc = _with_solver_options(load_scenario(args.scenario), args)
    labels = load_labels(sc.data)
    out = args.out or default_out(sc.path)
    check_target(out)
    res = solve(sc)
    write_run(res, out, args.private_discount_rate, args.lang)
    names = dict(zip(res.inputs.projects.index, res.inputs.projects["name"], strict=True))
    print(summary_text(res, args.lang, labels.with_projects(names)))
    if res.mip:
        print(f"Mixed-integer plan ({res.mip['lumpy_projects']} lumpy projects): "
              f"{res.status.replace('_', ' ')}, relative gap {res.mip['mip_gap']:.3g}; "
              "prices from the LP with the integer choices fixed.")
    print("\n" + t("summary.written", args.lang, out=out))
    if res.status == "time_limit":
        print(f"warning: {res.warnings[-1]}", file=sys.stderr)
        return EXIT_TIME_LIMIT
    return EXIT_OK if res.optimal else EXIT_INFEASIBLE


def cmd_rank(args) -> int:
    from planner.analysis.ranking import ranking
    from planner.api import solve
    from planner.outputs.folder import check_target, write_folder
    from planner.outputs.ranking import ranking_writers
    from planner.outputs.run import default_out
    from planner.scenario import load_scenario
    from planner.text import to_markdown

    sc = _with_solver_options(load_scenario(args.scenario), args)
    out = args.out or default_out(sc.path, "rank")
    check_target(out)
    res = solve(sc)
    if not res.optimal:
        print(res.diagnosis.message if res.diagnosis else "the target is infeasible",
              file=sys.stderr)
        return EXIT_INFEASIBLE
    rk = ranking(res, args.private_discount_rate)
    table = rk.table
    write_folder(out, ranking_writers(res, args.private_discount_rate, rk))
    cols = ["rank", "project", "lcoa_cny_per_t", "entry_price_cny_per_t", "first_build_year",
            "why"]
    print(to_markdown(table[cols], digits=0))
    print(f"Results written to {out}/")
    return EXIT_OK


def _add_recommend(sub) -> None:
    p = sub.add_parser("recommend", help="policy recommendations: which instrument each "
                       "project and measure needs, and why")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path,
                   help="output folder (default results/<scenario>-recommend/)")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="language of the recommendations (default en)")
    p.add_argument("--private-discount-rate", type=_rate, metavar="R",
                   help="an investor's discount rate (tests the finance gap)")
    p.set_defaults(func=cmd_recommend)


def cmd_recommend(args) -> int:
    from planner.analysis.recommendation_text import recommendation_table
    from planner.analysis.recommendations import recommendations
    from planner.api import solve
    from planner.i18n import t
    from planner.outputs.folder import check_target, write_folder
    from planner.outputs.recommendations import labels_of, recommendation_writers
    from planner.outputs.run import default_out
    from planner.scenario import load_scenario
    from planner.text import diagnosis_text

    sc = load_scenario(args.scenario)
    out = args.out or default_out(sc.path, "recommend")
    check_target(out)
    res = solve(sc)
    if not res.optimal:
        print(diagnosis_text(res, args.lang), file=sys.stderr)
        return EXIT_INFEASIBLE
    rec = recommendations(res, args.private_discount_rate)
    write_folder(out, recommendation_writers(res, args.private_discount_rate, args.lang, rec))
    table = recommendation_table(rec, args.lang, labels_of(res))
    for r in table.itertuples(index=False):
        head = r.class_name if r.level == "target" else f"{r.name} [{r.class_name}]"
        print(f"- {head}: {r.recommendation}")
    print(t("rec.written", args.lang, out=out))
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
    _lumpy_note(sc)
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
    _lumpy_note(sc)
    table = frontier(bind(sc), years)
    write_folder(out, {
        "frontier.csv": csv_writer(table),
        "frontier.png": lambda p: save_figure(frontier_chart(table), p.parent, p.stem)})
    show = table[["peak_year", "status", "min_peak_t", "cost_90_cny", "cost_95_cny",
                  "cost_100_cny"]]
    print(to_markdown(show, digits=0))
    print(f"Results written to {out}/")
    return EXIT_OK


def _add_track(sub) -> None:
    p = sub.add_parser("track", help="compare actuals with the plan, explain the gap, re-plan")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--actuals", type=Path, required=True,
                   help="folder with actual_emissions.csv and actual_deployment.csv")
    p.add_argument("--as-of", type=int, metavar="YEAR",
                   help="last year of actuals (default: the last year of actual_emissions.csv)")
    p.add_argument("--rebase", default="level", metavar="level|ratio|FILE",
                   help="future BAU: level shift (default), ratio, or a re-projection CSV")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="report language")
    p.add_argument("--out", type=Path, help="output folder (default results/<scenario>-track/)")
    p.set_defaults(func=cmd_track)


def cmd_track(args) -> int:
    from planner.api import track
    from planner.outputs.folder import check_target
    from planner.outputs.run import default_out
    from planner.outputs.track import write_track
    from planner.scenario import load_scenario

    sc = load_scenario(args.scenario)
    out = args.out or default_out(sc.path, "track")
    check_target(out)
    tr = track(sc, args.actuals, as_of=args.as_of, rebase=args.rebase)
    write_track(tr, out, args.lang)
    h = tr.headlines
    print(f"Tracking {sc.name} to {tr.actuals.as_of}: {tr.overall.replace('_', ' ')}.")
    print(f"Gap in {tr.actuals.years[-1]}: {h['gap_t'] / 1e6:+.3f} Mt = baseline "
          f"{h['from_baseline_t'] / 1e6:+.3f} + deployment {h['from_deployment_t'] / 1e6:+.3f}"
          f" + performance {h['from_performance_t'] / 1e6:+.3f} Mt")
    if tr.feasible:
        print(f"Re-plan under the original target: cost of delay "
              f"{h['cost_of_delay_cny'] / 1e8:,.2f} 亿 CNY (NPV of {tr.actuals.as_of + 1}–"
              f"{sc.years.end}); extra abatement {h['extra_abatement_total_t'] / 1e6:,.2f} Mt.")
    else:
        print("The original target is out of reach given what has happened.", file=sys.stderr)
        if h.get("diagnosis"):
            print(h["diagnosis"], file=sys.stderr)
        y = h.get("earliest_feasible_peak_year")
        print(f"Earliest feasible peak year: {y}." if y is not None else
              "No peak year of the horizon is feasible.", file=sys.stderr)
        low = h.get("lowest_feasible_cap_t")
        if low is not None:
            print(f"Lowest feasible cap given what happened: {low:,.0f} t (peak by "
                  f"{h['lowest_feasible_cap_peak_year']}).", file=sys.stderr)
    print(f"Results written to {out}/")
    return EXIT_OK if tr.feasible else EXIT_INFEASIBLE


def _lazy(module: str, name: str):
    """A command function imported only when the command runs (keeps --help fast)."""
    def run(args) -> int:
        import importlib

        return getattr(importlib.import_module(module), name)(args)
    return run


def _add_compare(sub) -> None:
    p = sub.add_parser("compare", help="solve several scenarios and compare them side by side")
    p.add_argument("scenarios", type=Path, nargs="+", help="scenario YAML files")
    p.add_argument("--out", type=Path, default=Path("results") / "compare",
                   help="output folder (default results/compare/)")
    p.add_argument("--lang", choices=["en", "zh"], default="en", help="chart language")
    p.set_defaults(func=cmd_compare)


def cmd_compare(args) -> int:
    """Several scenarios side by side; one region scenario: its allocation rules side by
    side (rules.csv, region_summary.csv)."""
    from planner.regions import is_region_scenario

    if len(args.scenarios) == 1 and is_region_scenario(args.scenarios[0]):
        return cmd_compare_rules(args)
    from planner.api import compare
    from planner.outputs.compare import compare_writers
    from planner.outputs.folder import check_target, write_folder
    from planner.tables import compare_terminal

    check_target(args.out)
    table, path_df = compare(args.scenarios)
    write_folder(args.out, compare_writers(table, path_df, args.lang))
    print(compare_terminal(table))
    print(f"\nResults written to {args.out}/")
    return EXIT_OK if (table["status"] == "optimal").all() else EXIT_INFEASIBLE


def cmd_compare_rules(args) -> int:
    from planner.analysis.agglomeration import compare_rules, region_summary
    from planner.api import solve_regions
    from planner.outputs.folder import check_target, write_folder
    from planner.outputs.run import csv_writer
    from planner.report.agglomeration import rules_table
    from planner.text import to_markdown

    check_target(args.out)
    ag = solve_regions(args.scenarios[0], coalitions=False)
    write_folder(args.out, {"rules.csv": csv_writer(compare_rules(ag)),
                            "region_summary.csv": csv_writer(region_summary(ag))})
    print(to_markdown(rules_table(ag, args.lang)))
    print(f"\nResults written to {args.out}/")
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
    p.add_argument("--uncertainty", type=Path, metavar="UQ_YAML",
                   help="add an uncertainty chapter: a Monte Carlo run (serial) over the "
                   "distributions of this uq.yaml")
    p.add_argument("--samples", type=int, default=200,
                   help="Monte Carlo samples with --uncertainty (default 200)")
    p.add_argument("--seed", type=int, default=1, help="seed of the Latin hypercube")
    p.set_defaults(func=cmd_report)


def _add_uncertainty(sub) -> None:
    p = sub.add_parser("uncertainty", help="Monte Carlo over uq.yaml distributions: robust "
                       "projects; optionally near-optimal alternatives")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--spec", type=Path, required=True, help="uncertainty specification (YAML)")
    p.add_argument("--samples", type=int, default=1000, help="number of samples (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="seed of the Latin hypercube")
    engine = p.add_mutually_exclusive_group()
    engine.add_argument("--workers", type=int, metavar="N",
                        help="solve on a local Dask cluster of N worker processes")
    engine.add_argument("--scheduler", metavar="ADDRESS",
                        help="solve on an existing Dask cluster, e.g. tcp://host:8786")
    p.add_argument("--near-optimal", metavar="SLACK",
                   help="also find near-optimal ranges: a share of the gross cost (0.05, 5%%) "
                   "or an amount (2e8cny)")
    p.add_argument("--out", type=Path,
                   help="output folder (default results/<scenario>-uncertainty/)")
    p.set_defaults(func=cmd_uncertainty)


def cmd_uncertainty(args) -> int:
    from planner.analysis.uncertainty.near_optimal import parse_slack
    from planner.api import near_optimal, uncertainty
    from planner.errors import InputError
    from planner.model.inputs import bind
    from planner.outputs.folder import check_target
    from planner.outputs.run import default_out
    from planner.outputs.uncertainty import write_uncertainty
    from planner.scenario import load_scenario
    from planner.uqspec import load_spec

    if args.samples < 1:
        raise InputError("command line", "--samples", f"found {args.samples}", "a count >= 1")
    if args.workers is not None and args.workers < 1:
        raise InputError("command line", "--workers", f"found {args.workers}", "a count >= 1")
    slack = None
    if args.near_optimal is not None:
        try:
            slack = parse_slack(args.near_optimal)
        except ValueError as exc:
            raise InputError("command line", "--near-optimal", str(exc)) from None
    sc = load_scenario(args.scenario)
    spec = load_spec(args.spec)
    out = args.out or default_out(sc.path, "uncertainty")
    check_target(out)
    _lumpy_note(sc)
    inp = bind(sc)
    mc = uncertainty(inp, spec, args.samples, args.seed, workers=args.workers,
                     scheduler=args.scheduler, progress=sys.stderr.isatty())
    near = near_optimal(inp, *slack) if slack is not None else None
    write_uncertainty(mc, out, near)
    n_bad = mc.n - mc.n_optimal
    print(f"{mc.n_optimal} of {mc.n} samples optimal, {n_bad} infeasible "
          "(recorded in samples.csv with their shortfall).")
    robust = mc.robust()
    for cls in ("core", "likely", "contested", "rare"):
        ids = robust.loc[robust["class"] == cls, "project"].tolist()
        if ids:
            print(f"  {cls}: {', '.join(ids)}")
    if near is not None and near.status == "optimal":
        print(f"Near-optimal: plans costing up to {near.cost_limit_cny:,.0f} CNY "
              f"(optimum {near.npv_optimum_cny:,.0f} + slack {near.slack_cny:,.0f}).")
    print(f"Results written to {out}/")
    return EXIT_OK


def cmd_report_regions(args) -> int:
    """`planner report` on a region scenario: the agglomeration report (HTML + workbook)."""
    from planner.api import solve_regions
    from planner.outputs.folder import check_target
    from planner.outputs.report import write_region_report
    from planner.outputs.run import default_out
    from planner.regions import load_regions

    if args.uncertainty is not None or args.sweep:
        from planner.errors import InputError

        raise InputError("command line", "--uncertainty/--sweep", "given for a region scenario",
                         "a single-city scenario (a region report has no sweep or Monte Carlo)")
    rg = load_regions(args.scenario)
    out = args.out or default_out(rg.scenario.path, "report")
    check_target(out)
    ag = solve_regions(rg)
    write_region_report(ag, out, args.lang)
    print(f"Report written to {out}/report.html (and report.xlsx, charts as PNG and SVG)")
    return EXIT_OK if ag.scenario_run.optimal else EXIT_INFEASIBLE


def cmd_report(args) -> int:
    from planner.regions import is_region_scenario

    if is_region_scenario(args.scenario):
        return cmd_report_regions(args)
    from planner.api import solve, uncertainty
    from planner.errors import InputError
    from planner.labels import load_labels
    from planner.outputs.folder import check_target
    from planner.outputs.report import write_report
    from planner.outputs.run import default_out
    from planner.plot.fonts import cjk_font_available
    from planner.scenario import load_scenario
    from planner.text import diagnosis_text
    from planner.units import mt, yi
    from planner.uqspec import load_spec

    if args.samples < 1:
        raise InputError("command line", "--samples", f"found {args.samples}", "a count >= 1")
    sc = load_scenario(args.scenario)
    load_labels(sc.data)  # a bad labels.csv is reported before solving
    spec = load_spec(args.uncertainty) if args.uncertainty is not None else None
    out = args.out or default_out(sc.path, "report")
    check_target(out)
    if args.lang == "zh" and not cjk_font_available():
        print("warning: no Chinese (CJK) font was found; the charts use English labels and "
              "project ids. Reinstall planner or install a CJK font (e.g. fonts-noto-cjk).",
              file=sys.stderr)
    res = solve(sc)
    mc = (uncertainty(res.inputs, spec, args.samples, args.seed,
                      progress=sys.stderr.isatty()) if spec is not None else None)
    write_report(res, out, args.lang, args.sweep, uncertainty=mc)
    if res.optimal:
        print(f"{sc.name}: {res.status}; peak {res.peak_year} at {mt(res.peak_emissions_t)} Mt "
              f"CO2; net present cost {yi(res.objective_cny)} 亿元 (100 million CNY).")
    else:
        print(f"{sc.name}: {res.status}.", diagnosis_text(res, "en"), file=sys.stderr)
    if mc is not None:
        print(f"Uncertainty: {mc.n_optimal} of {mc.n} samples optimal.")
    print(f"Report written to {out}/report.html (and report.xlsx, charts as PNG and SVG)")
    return EXIT_OK if res.optimal else EXIT_INFEASIBLE


def parser() -> argparse.ArgumentParser:
    # no heavy import here: `planner --help` must stay fast (commands import what they need)
    ap = argparse.ArgumentParser(prog="planner", description="Least-cost carbon-peak pathways.")
    ap.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = ap.add_subparsers(dest="command", required=True)
    _add_run(sub)
    _add_recommend(sub)
    _add_stringency(sub)
    _add_compare(sub)
    _add_report(sub)
    _add_track(sub)
    _add_uncertainty(sub)
    return ap


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Input warnings as one plain line ("warning: …" / "note: …"); others as Python does."""
    if issubclass(category, InputWarning):
        kind = "note" if issubclass(category, EncodingNote) else "warning"
        print(f"{kind}: {message}", file=file or sys.stderr)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


_python_showwarning = warnings.showwarning


def _quiet_interrupt() -> None:
    """After Ctrl-C: no second KeyboardInterrupt while cleaning up, and no solver or
    library chatter on the way out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.disable(logging.CRITICAL)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    old_show = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        return args.func(args)
    except PlannerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        _quiet_interrupt()
        print("interrupted; no results were written (earlier results are intact)",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (please report it; rerun with "
              "'planner --debug …' for the traceback)", file=sys.stderr)
        return 1
    finally:
        warnings.showwarning = old_show


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
