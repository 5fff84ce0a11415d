"""Charts: tidy DataFrames in, matplotlib figures out (presentation layer).

Every chart function is pure (it reads its frames and returns a new figure drawn on the Agg
canvas; nothing is shown), takes ``lang`` in ``{"en", "zh"}``, writes its labels through
:mod:`planner.i18n` and names ids through :mod:`planner.labels`. Units: emissions in Mt CO₂,
unit costs in CNY/t CO₂, totals in 100 million CNY (亿元).

Modules: :mod:`~planner.plot.fonts` (CJK font discovery), :mod:`~planner.plot.context` (one
chart's language, fonts and label fallbacks), :mod:`~planner.plot.style` (palettes, axis
helpers, the TOP_N grouping), one module per chart family (:mod:`~planner.plot.mac`,
:mod:`~planner.plot.pathway`, :mod:`~planner.plot.sectors`, :mod:`~planner.plot.deployment`,
:mod:`~planner.plot.price`, :mod:`~planner.plot.sweep`, :mod:`~planner.plot.compare`),
:mod:`~planner.plot.registry` (the report's charts by name) and :mod:`~planner.plot.save`.

This package's ``__init__`` imports nothing, so ``import planner`` never loads matplotlib;
importing a chart module does.
"""
