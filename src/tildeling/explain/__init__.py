"""Stage 5 — the outcome of a case with its reasons, legal basis, missing facts and
alternatives, built from the decisions (``explanation``) into the typed model of
:mod:`tildeling.files.outcome`.
"""
