"""A case given as a *record* — a mapping, as a JSON Lines line or a Parquet row holds it —
read into a :class:`~tildeling.rules.cases.Case` through exactly the checks a case file
passes (:func:`tildeling.rules.cases.load_case`: the file model, dates, services twice,
amounts, the appeal's dates), and back again (:func:`to_record`).

A record has the structure of a case file (docs/saksformat.md): ``id``, ``municipality``,
``application_date``, ``applied_for``, ``facts`` grouped, ``klage``, ``expect`` … Dates are
ISO strings (``"2019-05-02"``): a string of exactly that form is a date, as an unquoted YAML
scalar would be — except in the free-text fields (:data:`TEXT_KEYS`), which stay text.
Numbers must be finite and within ±10^15, as in a YAML file.

A record has no YAML positions: every diagnostic about it points at where the record starts
(``span``: ``file.jsonl:LINE:1``), or at nothing when ``span`` is None (a Parquet row, named
``file.parquet#ROW``).

>>> case = case_from_record({"id": "a", "municipality": "Drammen", "application_date": "2021-03-01",
...                          "applied_for": ["praktisk_bistand"], "facts": {"søker": {"alder": 80}}}, "x.jsonl:1")
>>> case.application_date, case.facts["søker.alder"]
(datetime.date(2021, 3, 1), 80)
>>> to_record(case)["application_date"]
'2021-03-01'
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import CaseError
from tildeling.core.numbers import number_problem
from tildeling.core.source import SourceSpan
from tildeling.files.yamlload import MAX_DEPTH, YamlDocument
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.rules.cases import Case, load_case

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

#: Keys whose string values are free text (or names), never read as dates.
TEXT_KEYS = frozenset({"id", "municipality", "description", "why", "known_deviation", "grunn_for_forsinkelse",
                       "service", "tjeneste", "form", "resultat"})


def case_from_record(record: Any, name: str, span: SourceSpan | None = None) -> Case:
    """Read the record ``record`` (reported as ``name``) into a case; raises
    :class:`CaseError` (or :class:`~tildeling.rules.cases.SkippedInput`) as :func:`load_case` does."""
    problems: list[Diagnostic] = []
    data = typed(record, span, problems)
    if problems:
        raise CaseError(keyed("error.invalid_case", name=name), problems)
    doc = YamlDocument(file=span.file if span is not None else name, text="", data=data,
                       spans={(): span} if span is not None else {})
    return load_case(name, display=name, doc=doc)


def typed(value: Any, span: SourceSpan | None, problems: list[Diagnostic], key: str | None = None,
          depth: int = 0) -> Any:
    """``value`` with ISO date strings as dates; numbers out of range, impossible dates and
    nesting deeper than a YAML file may have are added to ``problems``."""
    if isinstance(value, str):
        if key not in TEXT_KEYS and len(value) == 10 and _DATE.match(value):
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                problems.append(make("invalid-date", "error", "yaml.invalid_date", span))
        return value
    if isinstance(value, bool) or value is None or isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float)):
        problem = number_problem(value, span)
        if problem is not None:
            problems.append(problem)
        return value
    if depth >= MAX_DEPTH:
        problems.append(make("yaml-too-deep", "error", "record.too_deep", span, max=MAX_DEPTH))
        return None
    if isinstance(value, dict):
        return {k: typed(v, span, problems, k, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [typed(v, span, problems, key, depth + 1) for v in value]
    return value


def to_record(case: Case) -> dict[str, Any]:
    """The case as a record: its data as written (keys in their order), dates as ISO
    strings, plain ``str`` for the located strings of a YAML file; JSON-serialisable."""
    return jsonable(case.doc.data)


def jsonable(value: Any) -> Any:
    """``value`` with dates as ISO strings and every string a plain ``str``."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


__all__ = ["TEXT_KEYS", "case_from_record", "jsonable", "to_record", "typed"]
