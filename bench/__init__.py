"""Benchmarks and the reference LP for planner (see bench/README.md)."""
