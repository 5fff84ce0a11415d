"""`python -m planner.cli`."""

from planner.cli import entry

entry()
