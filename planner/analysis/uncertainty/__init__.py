"""Uncertainty analysis: Monte Carlo over uq.yaml distributions (sampling, apply, engine),
the robust project list and near-optimal alternatives (modelling to generate alternatives)."""
