"""Parquet corpora: one case per row, in a flat schema (docs/korpusformat.md).

The columns:

* ``id``, ``municipality``, ``former_municipality``, ``description`` (text), ``application_date``, ``decision_date``
  (date), ``applied_for`` (list of text: the services, in the short form);
* one column per fact, named by its path (``funksjon.husarbeid``): a null is an unknown
  fact (not written in the case). Booleans, whole numbers, numbers, text, dates and lists of
  text each have their column type;
* ``extra`` (text, JSON): whatever of the case does not fit the flat columns — ``klage``,
  ``expect``, ``expect_by_rule_set``, ``known_deviation``, the long form of ``applied_for``,
  and facts whose value is not plain (``en_av``, history entries with a result or dates, a
  value of another type than its column's). Null when nothing is left over.

Reading (:func:`list_rows`) goes through the file in batches of rows (memory stays flat in
the file's size) and gives each row as the JSON text of its columns (polars encodes a
whole batch at once); the worker turns it into a case (:func:`load_row`) through the same
checks as a case file. Writing
(:func:`write_rows`) streams too, and is lossless: a value that does not fit its column
goes to ``extra`` (so ``2`` stays a whole number and ``2.5`` a number).

polars is imported only here and only when a Parquet file is read or written (the
``corpus`` extra: ``pip install tildeling[corpus]``).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

from tildeling.core.diagnostics import make
from tildeling.core.errors import CaseError
from tildeling.corpus.jsonl import dumps
from tildeling.corpus.records import case_from_record, typed
from tildeling.corpus.source import Source
from tildeling.files.discover import InputFailure, failure
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.rules.cases import Case

SUFFIXES = (".parquet",)
KIND = "parquet"
EXTRA = "extra"
BATCH_ROWS = 20_000  # rows per batch read or written

# The case's own columns, in order, and the type each holds.
TOP = {"id": "str", "municipality": "str", "former_municipality": "str", "application_date": "date", "decision_date": "date",
       "description": "str", "applied_for": "list"}


# --- reading -----------------------------------------------------------------------------------

def list_rows(path: str, display: str, batch_rows: int = BATCH_ROWS) -> Iterator[Source | InputFailure]:
    """One source per row of the Parquet file ``path`` (named ``display``), in order, read
    ``batch_rows`` at a time; a file polars cannot read is one :class:`InputFailure`."""
    try:
        import polars as pl
    except ImportError:
        yield failure(display, "parquet-unreadable", "parquet.needs_polars")
        return
    try:
        lf = pl.scan_parquet(path)
        n = lf.select(pl.len()).collect().item()
    except (pl.exceptions.PolarsError, OSError):
        yield failure(display, "parquet-unreadable", "parquet.unreadable")
        return
    for start in range(0, n, batch_rows):
        try:
            df = lf.slice(start, batch_rows).collect()
        except (pl.exceptions.PolarsError, OSError):
            yield failure(display, "parquet-unreadable", "parquet.unreadable")
            return
        live = [c for c in df.columns if df[c].null_count() < df.height]  # all-null columns: nothing to send
        # Each row as one JSON text, encoded by polars for the whole batch: 4x cheaper here than
        # a dict per row, and a string is the cheapest thing to send to a worker.
        texts = df.select(pl.struct(live).struct.json_encode().alias("row"))["row"] if live else None
        for i in range(df.height):
            yield Source(f"{display}#{start + i}", KIND, display, texts[i] if texts is not None else "{}", start + i)


def load_row(source: Source) -> Case:
    """Check one row and read it into a case (raises :class:`CaseError`, named ``file#ROW``).
    The row is the JSON text :func:`list_rows` made of it (nulls dropped here), or a mapping."""
    row = source.record
    if isinstance(row, str):
        row = {k: v for k, v in json.loads(row).items() if v is not None}
    return case_from_record(unflatten(row, source.name), source.name)


def unflatten(row: dict[str, Any], name: str = "") -> dict[str, Any]:
    """A flat row (column → value, nulls left out) as a case record: fact columns grouped
    under ``facts``, ``extra`` merged in (its facts into their groups)."""
    out: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    facts: dict[str, dict[str, Any]] = {}
    for column, value in row.items():
        if column == EXTRA:
            continue
        group, dot, key = column.partition(".")
        if dot:
            facts.setdefault(group, {})[key] = value
        else:
            out[column] = value
    extra = row.get(EXTRA)
    if extra is not None:
        try:
            more = json.loads(extra) if isinstance(extra, str) else extra
        except (json.JSONDecodeError, RecursionError, TypeError):
            raise CaseError(keyed("error.invalid_case", name=name),
                            [make("json-syntax", "error", "json.syntax_in_column", None, column=EXTRA)]) from None
        if not isinstance(more, dict):
            raise CaseError(keyed("error.invalid_case", name=name),
                            [make("json-syntax", "error", "json.syntax_in_column", None, column=EXTRA)])
        for key, value in more.items():
            if key == "facts" and isinstance(value, dict):
                for group, values in value.items():
                    if isinstance(values, dict) and isinstance(facts.get(group), dict):
                        facts[group].update(values)
                    else:
                        facts[group] = values
            else:
                rest[key] = value
    if facts:
        out["facts"] = facts
    out.update(rest)  # the case's own columns, its facts, then the rest (klage, expect …)
    return out


# --- writing -----------------------------------------------------------------------------------

def _kind(value: Any) -> str | None:
    """The column type a value fits, or None (it goes to ``extra``)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if -(2 ** 63) <= value < 2 ** 63 else None
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return "date"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "list"
    return None


def _dtype(kind: str) -> Any:
    import polars as pl
    return {"bool": pl.Boolean, "int": pl.Int64, "float": pl.Float64, "str": pl.String, "date": pl.Date,
            "list": pl.List(pl.String)}[kind]


def fact_columns(records: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The fact columns for ``records``: every fact path they hold, in order of first
    appearance, with the column type most of its values fit (ties: the first seen)."""
    seen: dict[str, Counter] = {}
    for record in records:
        facts = record.get("facts")
        if not isinstance(facts, dict):
            continue
        for group, values in facts.items():
            if not isinstance(values, dict):
                continue
            for key, value in values.items():
                kind = _kind(value)
                counts = seen.setdefault(f"{group}.{key}", Counter())
                if kind is not None:
                    counts[kind] += 1
    return {path: counts.most_common(1)[0][0] for path, counts in seen.items() if counts}


def flatten(record: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    """A case record as a flat row: top and fact columns where the value fits, the rest in
    ``extra`` (JSON, keys in the record's order)."""
    row: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in record.items():
        if key == "facts" and isinstance(value, dict):
            left: dict[str, Any] = {}
            for group, values in value.items():
                if not isinstance(values, dict) or not values:
                    left[group] = values
                    continue
                for k, v in values.items():
                    path = f"{group}.{k}"
                    if path in columns and _kind(v) == columns[path] and "." not in group:
                        row[path] = v
                    else:
                        left.setdefault(group, {})[k] = v
            if left:
                extra["facts"] = left
        elif key in TOP and key != "facts" and _kind(value) == TOP[key]:
            row[key] = value
        else:
            extra[key] = value
    row[EXTRA] = dumps(extra) if extra else None
    return row


def schema(columns: dict[str, str]) -> dict[str, Any]:
    """The polars schema of a file with these fact columns."""
    out = {name: _dtype(kind) for name, kind in TOP.items()}
    out.update({path: _dtype(kind) for path, kind in columns.items()})
    import polars as pl
    out[EXTRA] = pl.String
    return out


def write_rows(records: Iterable[dict[str, Any]], out: str | Path, batch_rows: int = BATCH_ROWS) -> int:
    """Write case records to the Parquet file ``out``, a batch at a time; the fact columns are
    those of the first batch (later facts that are new go to ``extra``). Returns how many
    rows. The same records give the same bytes."""
    import tempfile

    import polars as pl

    it = iter(records)
    batch = [jsonable_dates(r) for _, r in zip(range(batch_rows), it)]
    columns = fact_columns(batch)
    sch = schema(columns)
    count = 0
    out = Path(out)
    # Each batch goes to a file of its own beside ``out``, and polars streams them into one:
    # memory stays bounded by a batch (a Python source for sink_parquet was seen to hold them all).
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".tildeling-") as tmp:
        parts: list[str] = []
        while batch:
            rows = [flatten(r, columns) for r in batch]
            count += len(rows)
            part = Path(tmp) / f"{len(parts):06d}.parquet"
            pl.DataFrame({c: [r.get(c) for r in rows] for c in sch}, schema=sch).write_parquet(part, statistics=False)
            parts.append(str(part))
            batch = [jsonable_dates(r) for _, r in zip(range(batch_rows), it)]
        if parts:
            pl.scan_parquet(parts).sink_parquet(str(out), maintain_order=True, row_group_size=batch_rows)
        else:
            pl.DataFrame(schema=sch).write_parquet(out)
    return count


def jsonable_dates(record: dict[str, Any]) -> dict[str, Any]:
    """A record with ISO date strings read as dates (as :func:`typed` reads them), so that
    dates get date columns; everything else as it is."""
    return typed(record, None, [])


def frame_of(records: list[dict[str, Any]]) -> Any:
    """A polars DataFrame of ``records`` in the flat schema (for tests and small corpora)."""
    import polars as pl
    recs = [jsonable_dates(r) for r in records]
    columns = fact_columns(recs)
    sch = schema(columns)
    rows = [flatten(r, columns) for r in recs]
    return pl.DataFrame({c: [r.get(c) for r in rows] for c in sch}, schema=sch)


__all__ = ["BATCH_ROWS", "EXTRA", "KIND", "SUFFIXES", "TOP", "fact_columns", "flatten", "frame_of", "list_rows",
           "load_row", "schema", "unflatten", "write_rows"]
