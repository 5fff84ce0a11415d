"""The command line: parses arguments, calls the public Python API, prints, sets exit codes.

One module per group of commands (`plan`, `stringency`, `monitor`); `args` holds what they share.
Nothing heavy is imported at argument parsing: each command imports what it needs.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import warnings

from planner.cli.args import parse_year_range  # noqa: F401  (public: tests and scripts)
from planner.cli.monitor import _add_track, _add_uncertainty
from planner.cli.plan import _add_compare, _add_recommend, _add_report, _add_run
from planner.cli.stringency import _add_stringency
from planner.errors import EXIT_INTERRUPTED, EncodingNote, InputWarning, PlannerError


def parser() -> argparse.ArgumentParser:
    """The argument parser of the `planner` command and its subcommands."""
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
    """Run the `planner` command with `argv` (default sys.argv); returns the exit code."""
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


def entry() -> None:
    """The `planner` command and `python -m planner.cli`: run :func:`main` and exit with its
    code. After Ctrl-C the process ends at once (no interpreter clean-up, which could wait for
    a worker pool being torn down): the folders were already left intact by their writers."""
    code = main()
    if code == EXIT_INTERRUPTED:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
