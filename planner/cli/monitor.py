"""Commands beyond the plan: track (actuals against the plan), uncertainty."""

from __future__ import annotations

import sys
from pathlib import Path

from planner.cli.args import _lumpy_note
from planner.errors import EXIT_INFEASIBLE, EXIT_OK


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
    """`planner track`: compare actuals with the plan, re-plan, write the folder; exit code."""
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
    """`planner uncertainty`: Monte Carlo (and near-optimal) runs, write the folder; exit code."""
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
