"""Commands about one plan: run, rank, recommend, compare, report."""

from __future__ import annotations

import sys
from pathlib import Path

from planner.cli.args import _add_solver_options, _rate, _with_solver_options
from planner.errors import EXIT_INFEASIBLE, EXIT_OK, EXIT_TIME_LIMIT


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
                           help="language of the terminal summary, the recommendations "
                           "and the MAC charts (default en)")
            p.add_argument("--no-rank", action="store_true",
                           help="skip the project ranking (and the recommendations, which "
                           "need it): faster with many projects")
        _add_solver_options(p)
        p.set_defaults(func=func)


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
    """`planner run`: solve, write the results folder, print the summary; exit code."""
    from planner.regions import is_region_scenario

    if is_region_scenario(args.scenario):
        return cmd_run_regions(args)
    from planner.api import side_analyses, solve
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
    side = side_analyses(res, args.private_discount_rate, with_ranking=not args.no_rank)
    write_run(res, out, args.private_discount_rate, args.lang, side)
    names = dict(zip(res.inputs.projects.index, res.inputs.projects["name"], strict=True))
    print(summary_text(res, args.lang, labels.with_projects(names)))
    if res.mip:
        print(f"Mixed-integer plan ({res.mip['lumpy_projects']} lumpy projects): "
              f"{res.status.replace('_', ' ')}, relative gap {res.mip['mip_gap']:.3g}; "
              "prices from the LP with the integer choices fixed.")
    print("\n" + t("summary.written", args.lang, out=out))
    _warn(side.notes)
    if res.status == "time_limit":
        print(f"warning: {res.warnings[-1]}", file=sys.stderr)
        return EXIT_TIME_LIMIT
    return EXIT_OK if res.optimal else EXIT_INFEASIBLE


def _warn(notes) -> None:
    """The side analyses that could not be computed, one `warning:` line each."""
    for note in notes:
        print(f"warning: {note} (the plan and the other results are written)",
              file=sys.stderr)


def cmd_rank(args) -> int:
    """`planner rank`: solve, rank the projects, write and print the ranking; exit code."""
    from planner.api import rank, solve
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
    rk = rank(res, args.private_discount_rate)
    table = rk.table
    write_folder(out, ranking_writers(res, args.private_discount_rate, rk))
    cols = ["rank", "project", "lcoa_cny_per_t", "entry_price_cny_per_t", "first_build_year",
            "why"]
    print(to_markdown(table[cols], digits=0))
    print(f"Results written to {out}/")
    _warn(rk.notes)
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
    """`planner recommend`: solve, write and print the recommendations; exit code."""
    from planner.analysis.recommendation_text import recommendation_table
    from planner.api import recommend, solve
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
    rec = recommend(res, args.private_discount_rate)
    write_folder(out, recommendation_writers(res, args.private_discount_rate, args.lang, rec))
    table = recommendation_table(rec, args.lang, labels_of(res))
    for r in table.itertuples(index=False):
        head = r.class_name if r.level == "target" else f"{r.name} [{r.class_name}]"
        print(f"- {head}: {r.recommendation}")
    print(t("rec.written", args.lang, out=out))
    return EXIT_OK


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
    """`planner compare` of one region scenario: its allocation rules side by side; exit code."""
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
    """`planner report`: solve, write the HTML/xlsx report and charts; exit code."""
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
