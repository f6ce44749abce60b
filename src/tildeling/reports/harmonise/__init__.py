"""The harmonisation report (``tildeling harmonise``) rendered from its JSON: Markdown for a
council paper, CSV and Parquet for spreadsheets and notebooks, one self-contained HTML file.

The input is the plain dict ``tildeling harmonise --format json`` writes (docs/kommandolinje.md);
every renderer is a pure function of it, so the same data gives the same bytes, and renders
only what the data holds.
"""

from tildeling.reports.harmonise.html import to_html
from tildeling.reports.harmonise.markdown import to_markdown
from tildeling.reports.harmonise.tabular import PARQUET_TABLES, to_csv, write_parquet

__all__ = ["PARQUET_TABLES", "to_csv", "to_html", "to_markdown", "write_parquet"]
