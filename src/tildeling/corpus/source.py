"""A source: one case of a corpus, named as reports name it, plain data (picklable) so that
it can be read in another process than the one that listed it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Source:
    """One case to read.

    ``kind`` ``"yaml"``: the case file ``path``. ``"jsonl"``: ``record`` is the raw line
    (bytes) of the JSON Lines file ``path``, ``line`` its number (1-based). ``"parquet"``:
    ``record`` is the row of the Parquet file ``path`` as the JSON text of its columns (a
    flat mapping also does), ``line`` the row number (0-based, as polars counts).
    ``"record"``: ``record`` is a case as a mapping, given by a program. ``name`` is how reports
    name it: the file, ``file.jsonl:LINE`` or ``file.parquet#ROW``."""

    name: str
    kind: str
    path: str | None = None
    record: Any = None
    line: int | None = None


__all__ = ["Source"]
