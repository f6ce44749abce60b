"""Which cases a set of paths holds, as *sources* cheap to list, and how to read one.

A corpus run (``diff``, and later the harmonisation report) lists its sources in the main
process and reads each one where it is evaluated — possibly in a worker process — so that
the parsing is spread over the cores and nothing is held for the whole corpus:

* :func:`iter_sources` walks the paths (:func:`tildeling.files.discover.discover`; folders
  give their ``*.yaml``, ``*.yml``, ``*.jsonl``, ``*.ndjson`` and ``*.parquet`` files) and
  yields one :class:`Source` per case — per YAML case file, per line of a JSON Lines file
  (:mod:`tildeling.corpus.jsonl`), per row of a Parquet file (:mod:`tildeling.corpus.parquet`)
  — in the same order every run, and one :class:`InputFailure` per path (or line) that
  cannot be read;
* :func:`load_source` reads one source into a :class:`Case` (raising :class:`CaseError`,
  or :class:`SkippedInput` for a file that is not a case, as :func:`load_case` does).

A source is plain data (picklable): a file to read, or — for corpora stored as records — the
record itself with the name it is reported under (``file.jsonl:LINE``, ``file.parquet#ROW``).

>>> [s.name for s in iter_sources([Path("cases/drammen/dr-001.yaml")])]
['cases/drammen/dr-001.yaml']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, Sequence

from tildeling.corpus import jsonl, parquet
from tildeling.corpus.records import case_from_record
from tildeling.corpus.source import Source
from tildeling.files.discover import SUFFIXES as YAML_SUFFIXES
from tildeling.files.discover import InputFailure, discover, name_of
from tildeling.rules.cases import Case, load_case

SUFFIXES = YAML_SUFFIXES + jsonl.SUFFIXES + parquet.SUFFIXES
RECORD = "record"


def kind_of(path: Path | str) -> str:
    """The corpus format of a file, by its name: ``jsonl``, ``parquet`` or ``yaml``."""
    suffix = Path(path).suffix.lower()
    if suffix in jsonl.SUFFIXES:
        return jsonl.KIND
    if suffix in parquet.SUFFIXES:
        return parquet.KIND
    return "yaml"


def iter_sources(paths: Sequence[Path]) -> Iterator[Source | InputFailure]:
    """The sources under ``paths``, in a stable order; failed paths as :class:`InputFailure`."""
    found = discover(list(paths), SUFFIXES)
    yield from found.failures
    for f in found.files:
        name = name_of(f)
        kind = kind_of(f)
        if kind == jsonl.KIND:
            yield from jsonl.list_lines(str(f), name)
        elif kind == parquet.KIND:
            yield from parquet.list_rows(str(f), name)
        else:
            yield Source(name, "yaml", str(f))


def from_corpus(item: Source | InputFailure) -> bool:
    """Whether an item of :func:`iter_sources` is a record of a corpus (a line of a JSON Lines
    file, a row of a Parquet file, or such a file failing as a whole) rather than a case file:
    the count line then counts cases, not files.

    >>> from tildeling.files.discover import failure
    >>> from_corpus(Source("k.jsonl:3", "jsonl")), from_corpus(failure("k.parquet", "parquet-unreadable", "parquet.unreadable"))
    (True, True)
    >>> from_corpus(Source("a.yaml", "yaml")), from_corpus(failure("a.yaml", "parquet-unreadable", "parquet.unreadable"))
    (False, False)
    """
    if isinstance(item, Source):
        return item.kind != "yaml"
    return kind_of(_RECORD_SUFFIX.sub("", item.file)) != "yaml"


_RECORD_SUFFIX = re.compile(r"(:\d+|#\d+)$")  # «file.jsonl:LINE», «file.parquet#ROW»


def load_source(source: Source) -> Case:
    """Read one source into a case (raises :class:`CaseError` or :class:`SkippedInput`)."""
    if source.kind == "yaml":
        return load_case(source.path or source.name, display=source.name)
    if source.kind == jsonl.KIND:
        return jsonl.load_line(source)
    if source.kind == parquet.KIND:
        return parquet.load_row(source)
    if source.kind == RECORD:  # a case given as a mapping by a program (no file behind it)
        return case_from_record(source.record, source.name)
    raise ValueError(f"source kind {source.kind!r}")


__all__ = ["RECORD", "SUFFIXES", "Source", "from_corpus", "iter_sources", "kind_of", "load_source"]
