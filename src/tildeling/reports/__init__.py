"""Stage 7 — presentation: outcomes as text, Markdown and JSON (``render``), diff reports
(``diff_report``), the harmonisation report from its JSON (``harmonise_report``, the formats in
``harmonise/``), what the HTML reports share (``markup``: escaping, tables, numbers, the page
policy; ``svg_charts``: bar charts whose labels never collide), and the error section and counts
of commands that read many inputs (``inputs``).
"""
