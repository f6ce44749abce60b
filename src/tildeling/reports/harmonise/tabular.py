"""The harmonisation report for spreadsheets and notebooks: CSV of the figures, and a folder of
Parquet tables (figures, changes, causes, cases not covered, dates outside validity).

The columns are described in :mod:`tildeling.reports.harmonise.tables`. polars is imported only
when Parquet is written.

>>> text = to_csv({"counted": {"cases": 2}, "municipalities": []})
>>> text.splitlines()[1]
',,,counted,,,cases,,2,cases'
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tildeling.reports.harmonise.tables import (CAUSE_COLUMNS, CHANGE_COLUMNS, FIGURE_COLUMNS, NOT_COVERED_COLUMNS,
                                                OUTSIDE_COLUMNS, cause_rows, change_rows, figure_rows, plain_rows)
from tildeling.reports.markup import csv_value

PARQUET_TABLES = ("figures", "changes", "causes", "not_covered", "outside_validity")


def to_csv(data: dict) -> str:
    """Every figure of the report, one per row, in long form (columns: :data:`FIGURE_COLUMNS`)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(FIGURE_COLUMNS)
    for row in figure_rows(data):
        w.writerow([csv_value(row[c]) for c in FIGURE_COLUMNS])
    return buf.getvalue()


def _scalar(v: Any) -> Any:
    """A nested value (a structured divergence, a list of legal bases) as one text cell."""
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    return v


def _frame(rows: list[dict], columns: tuple[str, ...], types: dict[str, Any]):
    import polars as pl

    schema = {c: types.get(c, pl.Utf8) for c in columns}
    data: dict[str, list] = {c: [] for c in columns}
    for r in rows:
        for c in columns:
            v = r.get(c)
            if schema[c] == pl.Utf8 and v is not None and not isinstance(v, str):
                v = _scalar(v) if isinstance(v, (dict, list, tuple)) else csv_value(v)
            data[c].append(v)
    return pl.DataFrame(data, schema=schema)


def _step_type(rows: list[dict], keys: tuple[str, ...]):
    """Steps as integers when every step in the data is one, else as text."""
    import polars as pl

    values = [r.get(k) for r in rows for k in keys]
    whole = all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values)
    return pl.Int64 if whole else pl.Utf8


def parquet_tables(data: dict) -> dict[str, Any]:
    """The report's tables as polars DataFrames, by name (:data:`PARQUET_TABLES`)."""
    import polars as pl

    changes = change_rows(data)
    step = _step_type(changes, ("legacy_step", "harmonised_step"))
    return {
        "figures": _frame(figure_rows(data), FIGURE_COLUMNS, {"value": pl.Float64}),
        "changes": _frame(changes, CHANGE_COLUMNS, {"legacy_step": step, "harmonised_step": step,
                                                    "legacy_amount": pl.Float64, "harmonised_amount": pl.Float64}),
        "causes": _frame(cause_rows(data), CAUSE_COLUMNS, {"count": pl.Int64, "cases": pl.List(pl.Utf8)}),
        "not_covered": _frame(plain_rows(data.get("not_covered"), NOT_COVERED_COLUMNS), NOT_COVERED_COLUMNS, {}),
        "outside_validity": _frame(plain_rows(data.get("outside_validity"), OUTSIDE_COLUMNS), OUTSIDE_COLUMNS, {}),
    }


def write_parquet(data: dict, path: str | Path) -> list[Path]:
    """Write the tables as ``<name>.parquet`` into the folder ``path`` (made if missing) and
    return the files written. The same data gives the same bytes."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in parquet_tables(data).items():
        target = folder / f"{name}.parquet"
        frame.write_parquet(target, compression="zstd", statistics=False)
        written.append(target)
    return written
