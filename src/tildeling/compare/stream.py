"""Running a comparison over a corpus: its sources read in chunks, compared on worker
processes (:func:`tildeling.compare.workers.ordered_map`), every result handed on in input
order, and the inputs that failed and the invalid rule sets met collected with their error
entries. Shared by ``diff`` (:mod:`tildeling.compare.diff`) and ``harmonise``
(:mod:`tildeling.compare.harmonise`), which differ only in what a worker does with one case and
how the results are counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from tildeling.compare.workers import ordered_map
from tildeling.corpus.read import Source, from_corpus
from tildeling.files.discover import Found, InputFailure, name_of

if TYPE_CHECKING:
    from tildeling.compare.diff import CaseResult
    from tildeling.engine import Engine


def sources_of(files: Sequence[Path] | Found | Iterable[Source | InputFailure]) -> Iterator[Source | InputFailure]:
    if isinstance(files, Found):
        yield from files.failures
        files = files.files
    for f in files:
        yield Source(name_of(f), "yaml", str(f)) if isinstance(f, Path) else f


def chunked(items: Iterator[Source | InputFailure], size: int, on_failure) -> Iterator[list[Source]]:
    chunk: list[Source] = []
    for s in items:
        if isinstance(s, InputFailure):
            on_failure(s)
            continue
        chunk.append(s)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class Streamed:
    """What :func:`stream` leaves besides the results it handed on: how many sources, the
    inputs that failed with their error entries (sorted), and the invalid rule sets' errors."""

    sources: int
    failures: list[InputFailure]
    errors: list[dict]
    rule_set_errors: list[dict]
    records: bool = False  # the sources were records of a corpus (the count line says «saker»)


def stream(engine: Engine, setup: Callable[..., None], setup_args: tuple, work: Callable, files,
           on_result: Callable[[CaseResult], None], *, lang: str, workers: int, chunk_size: int,
           progress: Callable[[int], None] | None) -> Streamed:
    """Run ``work`` over the sources of ``files`` in chunks (on ``workers`` processes, each set
    up by ``setup(*setup_args)``), hand every result that did not fail to ``on_result`` in input
    order, and collect the failures and the invalid rule sets met here or in a worker. Shared by
    ``diff`` and ``harmonise``."""
    failures: list[InputFailure] = []  # every failed input: listed (a path that cannot be read) or read
    listed: list[InputFailure] = []
    broken: dict[str, list[dict]] = {}
    sources = 0
    from_records: list[bool] = []  # a corpus of records (not case files): the count line counts cases

    def watched(items: Iterator[Source | InputFailure]) -> Iterator[Source | InputFailure]:
        for item in items:
            if not from_records and from_corpus(item):
                from_records.append(True)
            yield item

    chunks = chunked(watched(sources_of(files)), chunk_size, listed.append)
    for results, news in ordered_map(setup, setup_args, work, chunks, workers=workers):
        for path, entries in news:
            broken.setdefault(path, entries)
        for r in results:
            if r.failure is not None:
                failures.append(r.failure)
            else:
                on_result(r)
        sources += len(results)
        if progress is not None:
            progress(sources + len(listed))
    for b in engine.broken():  # met in this process (precompile, or the in-process run)
        broken.setdefault(b.path, error_entries(InputFailure(b.path, tuple(b.diagnostics)), lang))
    failures = listed + failures
    errors = sorted((e for f in failures for e in error_entries(f, lang)),
                    key=lambda e: (e["file"], e["line"] or 0, e["column"] or 0, e["code"], e["message"]))
    return Streamed(sources + len(listed), failures, errors, [e for path in sorted(broken) for e in broken[path]],
                    bool(from_records))


def broken_news(engine: Engine, seen: int, lang: str | None) -> tuple[int, list[tuple[str, list[dict]]]]:
    """The invalid rule sets a worker's engine met since it had met ``seen`` of them (their
    error entries, by path), and how many it has met now."""
    broken = engine.broken()
    if len(broken) == seen:
        return seen, []
    return len(broken), [(b.path, error_entries(InputFailure(b.path, tuple(b.diagnostics)), lang or "nb"))
                         for b in broken]


def error_entries(f: InputFailure, lang: str) -> list[dict]:
    """The error entries of one failed input: file, line, column, code, message (in ``lang``).
    A case's messages quote none of its values (:func:`tildeling.rules.cases.hide_values`)."""
    out = []
    for d in f.diagnostics:
        if d.severity != "error":
            continue
        sp = d.span
        out.append({"file": sp.file if sp else f.file, "line": sp.line if sp else None,
                    "column": sp.column if sp else None, "code": d.code, "message": d.text(lang)})
    return out or [{"file": f.file, "line": None, "column": None, "code": f.code, "message": f.code}]


__all__ = ["stream", "Streamed", "broken_news", "chunked", "sources_of", "error_entries"]
