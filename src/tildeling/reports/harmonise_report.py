"""Render the JSON of ``tildeling harmonise`` as Markdown, CSV, Parquet or HTML.

The renderers live in :mod:`tildeling.reports.harmonise` (one module per format); this is the
entry point the command calls. Text output is the command's own.

>>> data = {"report": "harmonise", "merger": {"municipality": "Drammen"}, "counted": {"cases": 0},
...         "municipalities": []}
>>> render(data, "markdown", "en").splitlines()[0]
'# Harmonisation of allocation criteria: Drammen'
"""

from __future__ import annotations

from tildeling.reports.harmonise import PARQUET_TABLES, to_csv, to_html, to_markdown, write_parquet

FORMATS = ("markdown", "csv", "html")  # as text; Parquet is a folder of files (write_parquet)


def render(data: dict, fmt: str, lang: str = "nb") -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`) as text."""
    if fmt == "csv":
        return to_csv(data)
    return {"markdown": to_markdown, "html": to_html}[fmt](data, lang)


__all__ = ["FORMATS", "PARQUET_TABLES", "render", "to_csv", "to_html", "to_markdown", "write_parquet"]
