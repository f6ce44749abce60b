"""JSON Lines corpora: one case per line, as a JSON object with the structure of a case file
(docs/korpusformat.md).

Listing a file (:func:`list_lines`) only splits it into lines — the raw bytes of each line
are the source's record, cheap to send to a worker; parsing and checking happen in
:func:`load_line`, where the case is evaluated. A broken line (not UTF-8, not JSON, not a
case, a fact the rule set does not know) is one failed input named ``file.jsonl:LINE``, with
the line and column; the other lines are read all the same. Blank lines are not cases and
are passed over.

>>> import json, tempfile, os
>>> d = tempfile.mkdtemp(); p = os.path.join(d, "k.jsonl")
>>> _ = open(p, "w").write('{"id": "a", "municipality": "Drammen", "application_date": "2021-03-01", '
...                        '"applied_for": ["praktisk_bistand"]}\\n{"id": \\n')
>>> sources = list(list_lines(p, "k.jsonl"))
>>> [s.name for s in sources]
['k.jsonl:1', 'k.jsonl:2']
>>> load_line(sources[0]).id
'a'
>>> try:
...     load_line(sources[1])
... except CaseError as exc:
...     print(exc.diagnostics[0].code, exc.diagnostics[0].span.short(), exc.diagnostics[0].message)
json-syntax k.jsonl:2:8 Ugyldig JSON: ventet en verdi.
"""

from __future__ import annotations

import json
from typing import IO, Any, Iterable, Iterator

from tildeling.core.diagnostics import make
from tildeling.core.errors import CaseError
from tildeling.core.source import SourceSpan
from tildeling.corpus.records import case_from_record, jsonable
from tildeling.corpus.source import Source
from tildeling.files.discover import InputFailure, failure
from tildeling.files.yamlload import MAX_FILE_BYTES
from tildeling.i18n.diagnostic_messages import keyed, phrase
from tildeling.rules.cases import Case

SUFFIXES = (".jsonl", ".ndjson")
KIND = "jsonl"

# json's messages (English, and naming no value) → catalogue keys
_PROBLEMS = {
    "Expecting value": "json.expected_value",
    "Expecting ',' delimiter": "json.expected_comma",
    "Expecting ':' delimiter": "json.expected_colon",
    "Expecting property name enclosed in double quotes": "json.expected_key",
    "Unterminated string starting at": "json.unterminated_string",
    "Invalid control character at": "json.control_character",
    "Invalid \\escape": "json.bad_escape",
    "Invalid \\uXXXX escape": "json.bad_escape",
    "Extra data": "json.extra_data",
}


def list_lines(path: str, display: str) -> Iterator[Source | InputFailure]:
    """One source per non-blank line of the JSON Lines file ``path`` (named ``display``), in
    order; a file that cannot be opened is one :class:`InputFailure`."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield failure(display, "unreadable-file", "input.unreadable", reason=exc.strerror or str(exc))
        return
    with fh:
        number = 0
        while True:
            try:
                line = fh.readline(MAX_FILE_BYTES + 1)
            except OSError as exc:
                yield failure(display, "unreadable-file", "input.unreadable", reason=exc.strerror or str(exc))
                return
            if not line:
                return
            number += 1
            if len(line) > MAX_FILE_BYTES and not line.endswith(b"\n"):
                # The rest of this line is skipped, not read: it is one failed input.
                yield InputFailure(f"{display}:{number}", (make(
                    "file-too-large", "error", "jsonl.line_too_large", SourceSpan(display, number, 1, number, 1),
                    mb=MAX_FILE_BYTES // 1_000_000),))
                while line and not line.endswith(b"\n"):
                    line = fh.readline(1 << 20)
                continue
            if line.strip():
                yield Source(f"{display}:{number}", KIND, display, line, number)


def load_line(source: Source) -> Case:
    """Parse and check one line (raises :class:`CaseError`, positions ``file:LINE:COLUMN``)."""
    file, line = source.path or source.name, source.line or 1
    name = source.name
    raw = source.record
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    except UnicodeDecodeError as exc:
        raise CaseError(keyed("error.invalid_case", name=name),
                        [make("file-encoding", "error", "file.encoding", SourceSpan(file, line, exc.start + 1, line,
                                                                                     exc.start + 2), pos=exc.start)])
    try:
        data = json.loads(text.rstrip("\r\n"), parse_constant=_not_finite)
    except json.JSONDecodeError as exc:
        key = next((k for prefix, k in _PROBLEMS.items() if exc.msg.startswith(prefix)), "json.other")
        raise CaseError(keyed("error.invalid_case", name=name),
                        [make("json-syntax", "error", "json.syntax", SourceSpan(file, line, exc.colno, line, exc.colno + 1),
                              problem=phrase(key))]) from None
    except _NotFinite:
        raise CaseError(keyed("error.invalid_case", name=name),
                        [make("number-not-finite", "error", "number.not_finite", SourceSpan(file, line, 1, line, 1))]
                        ) from None
    except RecursionError:
        raise CaseError(keyed("error.invalid_case", name=name),
                        [make("json-syntax", "error", "json.syntax", SourceSpan(file, line, 1, line, 1),
                              problem=phrase("json.too_deep"))]) from None
    return case_from_record(data, name, SourceSpan(file, line, 1, line, 1))


class _NotFinite(ValueError):
    pass


def _not_finite(text: str) -> Any:
    raise _NotFinite(text)


def dumps(record: Any) -> str:
    """One record as one line of JSON (no newline): UTF-8 text, keys in the record's order,
    no spaces — the same record always gives the same bytes."""
    return json.dumps(jsonable(record), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write_lines(records: Iterable[Any], out: IO[str]) -> int:
    """Write ``records`` one per line to ``out``; returns how many."""
    n = 0
    for record in records:
        out.write(dumps(record))
        out.write("\n")
        n += 1
    return n


__all__ = ["KIND", "SUFFIXES", "dumps", "list_lines", "load_line", "write_lines"]
