"""``tildeling corpus generate``: write a synthetic population (:mod:`tildeling.corpus.population`)
as Parquet or JSON Lines, chunk by chunk (memory flat in ``n``), vectorised with polars.

The Parquet file has the flat schema of :mod:`tildeling.corpus.parquet`; the JSON Lines file
holds the same cases as records (an unknown fact is left out, never written as null). Both
read back through :func:`tildeling.corpus.read.iter_sources` like any other corpus.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Iterator, Sequence

from tildeling.corpus.population import CHUNK, SERVICES, Coded, Population, Slots, chunks, former_weights
from tildeling.rules.merger import find_merger
from tildeling.rules.resolve import CatalogEntry


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


def merger(entries: Sequence[CatalogEntry], name: str) -> list[CatalogEntry]:
    """The rule sets of the municipality ``name`` (a municipality or a rule-set id, any case):
    its newest rule set's versions and every rule set it supersedes — the legacy sets and
    the harmonised one. Empty when nothing matches."""
    target = _norm(name)
    matching = [e for e in entries if _norm(e.id) == target or _norm(e.municipality) == target]
    if not matching:
        return []
    newest = max(matching, key=lambda e: (e.valid_from, e.id))
    return [e for e in entries if e.id == newest.id or e.id in newest.supersedes]


def population_for(entries: Sequence[CatalogEntry], name: str, n: int, seed: int, date: _dt.date | None,
                   missing: float, all_facts: bool = False) -> Population | None:
    """The population to draw for ``name``: cases of the municipality of its newest rule set,
    applying only for services every rule set of the merger describes; ``date`` defaults to
    the last day of the year the newest rule set starts in. ``all_facts``: draw every fact of
    the vocabulary too, not only those the model describes (with ``missing`` 0: complete cases)."""
    sets = merger(entries, name)
    if not sets:
        return None
    superseded = {s for e in sets for s in e.supersedes}
    newest = max((e for e in sets if e.id not in superseded), key=lambda e: e.valid_from)
    common = set(SERVICES)
    for e in sets:
        common &= set(e.services)
    day = date or _dt.date(newest.valid_from.year, 12, 31)
    prefix = "syn-" + _norm(newest.id).replace(" ", "_")
    found = find_merger(entries, newest.id)  # a merged municipality: draw each case's former municipality
    legacy = list(found.municipalities) if found is not None else []
    return Population(n, seed, newest.municipality, day, tuple(s for s in SERVICES if s in common), missing, prefix,
                      background(newest.path) if all_facts else (), former_weights(legacy))


# Facts never drawn: set from the application, derived from the birth date, or free text.
_NOT_DRAWN = frozenset({"søknad.dato", "søknad.tjenester", "søker.alder"})


def background(rule_set: Path) -> tuple[tuple[str, str, float | None, float | None, tuple[str, ...]], ...]:
    """The facts of the vocabulary the rule set ``rule_set`` uses, as
    :attr:`Population.background` wants them (empty when it cannot be read: the population
    then holds the modelled facts only)."""
    import yaml

    from tildeling.core.errors import TildelingError
    from tildeling.rules.vocabulary import read_vocabulary
    try:
        with open(rule_set, encoding="utf-8") as fh:
            head = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        vocabulary = read_vocabulary(Path(rule_set).parent / head["uses"]["vocabulary"])
    except (OSError, KeyError, TypeError, yaml.YAMLError, TildelingError):
        return ()
    out = []
    for path, info in vocabulary.facts.items():
        if path in _NOT_DRAWN or info.vocabulary_type in ("tekst", "dato"):
            continue
        out.append((path, info.vocabulary_type, info.type.minimum, info.type.maximum, tuple(info.type.values or ())))
    return tuple(out)


def frames(pop: Population, size: int = CHUNK) -> Iterator[Any]:
    """The population as polars DataFrames in the flat Parquet schema, chunk by chunk."""
    import polars as pl
    for cols in chunks(pop, size):
        n, start = cols["n"], cols["start"]
        columns = [
            pl.select(pl.concat_str([pl.lit(f"{pop.prefix}-{pop.seed}-"),
                                     pl.int_range(start, start + n).cast(pl.String).str.zfill(7)]).alias("id")
                      ).to_series(),
            pl.repeat(pop.municipality, n, eager=True, dtype=pl.String).alias("municipality"),
            (_texts(cols["former_municipality"].codes, cols["former_municipality"].labels).alias("former_municipality")
             if "former_municipality" in cols else pl.repeat(None, n, eager=True, dtype=pl.String)
             .alias("former_municipality")),
            pl.Series("application_date", cols["application_date"]).cast(pl.Date),
            pl.repeat(None, n, eager=True, dtype=pl.Date).alias("decision_date"),
            pl.repeat(None, n, eager=True, dtype=pl.String).alias("description"),
            _column("applied_for", cols["applied_for"], None),
        ]
        columns += [_column(path, value, known) for path, (value, known) in cols["facts"].items()]
        columns.append(pl.repeat(None, n, eager=True, dtype=pl.String).alias("extra"))
        yield pl.DataFrame(columns)


def _column(name: str, value: Any, known: Any) -> Any:
    """One column as a polars Series, null where ``known`` is false."""
    import numpy as np
    import polars as pl
    if isinstance(value, Coded):
        series = _texts(value.codes, value.labels)
    elif isinstance(value, Slots):
        items = [_texts(codes, value.labels).alias(f"s{k}") for k, codes in enumerate(value.slots)]
        series = pl.DataFrame(items).select(pl.concat_list(pl.all()).list.drop_nulls().alias(name)).to_series()
    else:
        arr = np.asarray(value)
        series = pl.Series(name, arr).cast(pl.Date) if arr.dtype.kind == "M" else pl.Series(name, arr)
        if arr.dtype.kind in "iu":
            series = series.cast(pl.Int64)
    series = series.alias(name)
    if known is None:
        return series
    return pl.DataFrame([series, pl.Series("known", known)]).select(
        pl.when(pl.col("known")).then(pl.col(name)).alias(name)).to_series()


def _texts(codes: Any, labels: tuple[str, ...]) -> Any:
    """Codes into ``labels`` as a text Series (null for -1)."""
    import numpy as np
    import polars as pl
    idx = pl.Series("i", np.asarray(codes, dtype=np.int64))
    return pl.select(pl.when(idx >= 0).then(pl.lit(pl.Series(labels, dtype=pl.String)).gather(idx.clip(0)))
                     .alias("t")).to_series()


def _dtype(value: Any) -> Any:
    import numpy as np
    import polars as pl
    if isinstance(value, Slots):
        return pl.List(pl.String)
    if isinstance(value, Coded):
        return pl.String
    kind = np.asarray(value).dtype
    if kind.kind == "b":
        return pl.Boolean
    if kind.kind in "iu":
        return pl.Int64
    if kind.kind == "f":
        return pl.Float64
    if kind.kind == "M":
        return pl.Date
    return pl.String


def write_parquet(pop: Population, out: str | Path) -> int:
    """Write the population to a Parquet file; returns how many. Each chunk goes to a
    temporary file beside ``out`` first, and polars streams them into one (memory stays
    bounded by a chunk, where a Python source for the sink was seen to buffer them all)."""
    import tempfile

    import polars as pl
    out = Path(out)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".tildeling-") as tmp:
        parts: list[str] = []
        for i, df in enumerate(frames(pop)):
            part = Path(tmp) / f"{i:06d}.parquet"
            df.write_parquet(part, statistics=False)
            parts.append(str(part))
            del df
        if not parts:
            pl.DataFrame().write_parquet(out)
            return 0
        pl.scan_parquet(parts).sink_parquet(str(out), maintain_order=True, row_group_size=CHUNK)
    return pop.n


def json_lines(df: Any) -> Any:
    """The JSON Lines text of a frame in the flat schema (one string per row), built with
    polars expressions: unknown facts left out, groups written only when they hold a fact."""
    import polars as pl
    groups: dict[str, list[Any]] = {}
    for name, dtype in df.schema.items():
        group, dot, key = name.partition(".")
        if dot:
            groups.setdefault(group, []).append(pl.concat_str([pl.lit(f'"{key}":'), _json(pl.col(name), dtype)]))
    parts = [pl.concat_str([pl.lit(f'"{g}":{{'), pl.concat_str(items, separator=",", ignore_nulls=True),
                            pl.lit("}")]).replace(f'"{g}":{{}}', None) for g, items in groups.items()]
    facts = pl.concat_str([pl.lit('"facts":{'), pl.concat_str(parts, separator=",", ignore_nulls=True), pl.lit("}")])
    top = [pl.concat_str([pl.lit('{"id":'), _json(pl.col("id"), pl.String)]),
           pl.concat_str([pl.lit('"municipality":'), _json(pl.col("municipality"), pl.String)]),
           pl.concat_str([pl.lit('"former_municipality":'), _json(pl.col("former_municipality"), pl.String)]),
           pl.concat_str([pl.lit('"application_date":'), _json(pl.col("application_date"), pl.Date)]),
           pl.concat_str([pl.lit('"applied_for":'), _json(pl.col("applied_for"), pl.List(pl.String))]),
           facts]
    return df.select(pl.concat_str([pl.concat_str(top, separator=",", ignore_nulls=True), pl.lit("}")]).alias("line"))["line"]


def _json(col: Any, dtype: Any) -> Any:
    import polars as pl
    if dtype == pl.Boolean:
        return pl.when(col).then(pl.lit("true")).when(~col).then(pl.lit("false"))
    if dtype == pl.Date:
        return pl.concat_str([pl.lit('"'), col.dt.strftime("%Y-%m-%d"), pl.lit('"')])
    if dtype == pl.String:  # our own texts: ids and values from the vocabulary, nothing to escape
        return pl.concat_str([pl.lit('"'), col, pl.lit('"')])
    if isinstance(dtype, pl.List):
        inner = col.list.eval(pl.concat_str([pl.lit('"'), pl.element(), pl.lit('"')])).list.join(",")
        return pl.concat_str([pl.lit("["), inner, pl.lit("]")])
    return col.cast(pl.String)


def write_jsonl(pop: Population, out: str | Path) -> int:
    """Write the population as JSON Lines, chunk by chunk; returns how many."""
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for df in frames(pop):
            for at in range(0, df.height, 50_000):  # a slice at a time: the text of a chunk is large
                fh.write("\n".join(json_lines(df.slice(at, 50_000)).to_list()))
                fh.write("\n")
    return pop.n


__all__ = ["frames", "json_lines", "merger", "population_for", "write_jsonl", "write_parquet"]
