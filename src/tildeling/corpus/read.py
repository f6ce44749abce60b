"""Which cases a set of paths holds, as *sources* cheap to list, and how to read one.

A corpus run (``diff``, and later the harmonisation report) lists its sources in the main
process and reads each one where it is evaluated — possibly in a worker process — so that
the parsing is spread over the cores and nothing is held for the whole corpus:

* :func:`iter_sources` walks the paths (:func:`tildeling.files.discover.discover`) and
  yields one :class:`Source` per case file, in the same order every run, and one
  :class:`InputFailure` per path that cannot be read;
* :func:`load_source` reads one source into a :class:`Case` (raising :class:`CaseError`,
  or :class:`SkippedInput` for a file that is not a case, as :func:`load_case` does).

A source is plain data (picklable): a file to read, or — for corpora stored as records — the
record itself with the name it is reported under.

>>> [s.name for s in iter_sources([Path("cases/drammen/dr-001.yaml")])]
['cases/drammen/dr-001.yaml']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from tildeling.files.discover import InputFailure, discover, name_of
from tildeling.rules.cases import Case, load_case


@dataclass(frozen=True, slots=True)
class Source:
    """One case to read: ``kind`` ``"yaml"`` (the file ``path``) or ``"record"`` (``record``,
    a case as a mapping, from a JSON Lines or Parquet corpus). ``name`` is how reports name
    it: the file, or ``file:line`` / ``file#row`` for a record."""

    name: str
    kind: str
    path: str | None = None
    record: Any = None


def iter_sources(paths: Sequence[Path]) -> Iterator[Source | InputFailure]:
    """The sources under ``paths``, in a stable order; failed paths as :class:`InputFailure`."""
    found = discover(list(paths))
    yield from found.failures
    for f in found.files:
        yield Source(name_of(f), "yaml", str(f))


def load_source(source: Source) -> Case:
    """Read one source into a case (raises :class:`CaseError` or :class:`SkippedInput`)."""
    if source.kind == "yaml":
        return load_case(source.path or source.name, display=source.name)
    raise NotImplementedError(f"source kind {source.kind!r}")


__all__ = ["Source", "iter_sources", "load_source"]
