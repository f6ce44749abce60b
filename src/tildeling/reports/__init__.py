"""Stage 7 — presentation: outcomes as text, Markdown and JSON (``render``), diff reports
(``diff_report``), and the error section and counts of commands that read many inputs
(``inputs``).
"""
