"""Charts: tidy DataFrames in, figures out (presentation layer).

Every chart function is pure (it reads its frames and returns a new figure; nothing is shown),
takes ``lang`` in ``{"en", "zh"}``, writes its labels through :mod:`planner.i18n` and names ids
through :mod:`planner.labels`. Units: emissions in Mt CO₂, unit costs in CNY/t CO₂, totals in
100 million CNY (亿元).

Two kinds of figure:

- the two MAC charts that ``planner run`` writes (:mod:`~planner.plot.mac`,
  :mod:`~planner.plot.mac_model`) are drawn on planner's own canvas, without matplotlib:
  :mod:`~planner.plot.canvas` (items, SVG and PNG writers, fonts),
  :mod:`~planner.plot.frame` (plot area, ticks, labels, legend),
  :mod:`~planner.plot.fontfiles` (what a font file covers);
- the other charts are matplotlib figures on the Agg canvas: :mod:`~planner.plot.fonts` (CJK
  font discovery), :mod:`~planner.plot.context` (one chart's fonts and rc style),
  :mod:`~planner.plot.style` (axis helpers), one module per chart family
  (:mod:`~planner.plot.pathway`, :mod:`~planner.plot.sectors`,
  :mod:`~planner.plot.deployment`, :mod:`~planner.plot.price`, :mod:`~planner.plot.sweep`,
  :mod:`~planner.plot.compare`, …).

Shared by both: :mod:`~planner.plot.palette` (colours per measure, the TOP_N grouping) and
:mod:`~planner.plot.words` (a chart's language, strings and label fallbacks);
:mod:`~planner.plot.registry` (the report's charts by name) and :mod:`~planner.plot.save`
(PNG and SVG side by side, for either kind).

This package's ``__init__`` imports nothing, so ``import planner`` never loads matplotlib;
importing a matplotlib chart module does.
"""
