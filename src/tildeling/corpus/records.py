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
import math
import re
from typing import Any

from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import CaseError
from tildeling.core.numbers import NUMBER_LIMIT, number_problem
from tildeling.core.source import SourceSpan
from tildeling.files.yamlload import MAX_DEPTH, YamlDocument
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.files.model import CaseFile
from tildeling.rules.cases import Case, case_from_model, load_case

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

#: Keys whose string values are free text (or names), never read as dates.
TEXT_KEYS = frozenset({"id", "municipality", "former_municipality", "description", "why", "known_deviation", "grunn_for_forsinkelse",
                       "service", "tjeneste", "form", "resultat"})


def case_from_record(record: Any, name: str, span: SourceSpan | None = None, *, fast: bool = True) -> Case:
    """Read the record ``record`` (reported as ``name``) into a case; raises
    :class:`CaseError` (or :class:`~tildeling.rules.cases.SkippedInput`) as :func:`load_case` does.

    ``fast``: a plain record (:func:`plain_model`) skips the generic walk and the pydantic
    validation, which cost two thirds of the time per record; anything else takes the full
    path. Both give the same case (tests/test_corpus_formats.py checks it on generated records)."""
    if fast:
        model = plain_model(record)
        if model is not None:
            doc = YamlDocument(file=span.file if span is not None else name, text="", data=record,
                               spans={(): span} if span is not None else {})
            return case_from_model(model, doc, name)
    problems: list[Diagnostic] = []
    data = typed(record, span, problems)
    if problems:
        raise CaseError(keyed("error.invalid_case", name=name), problems)
    doc = YamlDocument(file=span.file if span is not None else name, text="", data=data,
                       spans={(): span} if span is not None else {})
    return load_case(name, display=name, doc=doc)


_PLAIN_KEYS = frozenset({"id", "municipality", "former_municipality", "application_date", "decision_date", "description", "applied_for",
                         "facts"})


def _iso_date(value: Any) -> _dt.date | None:
    if type(value) is _dt.date:  # a Parquet date column
        return value
    if type(value) is str and len(value) == 10 and _DATE.match(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def plain_model(data: Any) -> CaseFile | None:
    """The file model of a *plain* record — only the keys id, municipality, former_municipality, the two dates,
    description, applied_for (ids only, at least one) and facts (groups of booleans,
    finite numbers within the limit, texts, dates (ISO text or date objects, as a Parquet
    row has them) and lists of texts) — built without
    pydantic; None for any other record, which then takes the full path. Every value it
    accepts is one the full path accepts unchanged, so the model is the same."""
    if type(data) is not dict or not data.keys() <= _PLAIN_KEYS:
        return None
    ident, municipality, applied = data.get("id"), data.get("municipality"), data.get("applied_for")
    if type(ident) is not str or type(municipality) is not str or type(applied) is not list or not applied:
        return None
    for a in applied:
        if type(a) is not str:
            return None
    former = data.get("former_municipality")
    if former is not None and type(former) is not str:
        return None
    application_date = _iso_date(data.get("application_date"))
    if application_date is None:
        return None
    decision_date = None
    if "decision_date" in data:
        decision_date = _iso_date(data["decision_date"])
        if decision_date is None:
            return None
    description = data.get("description")
    if "description" in data and type(description) is not str:
        return None
    given = data.get("facts", {})
    if type(given) is not dict:
        return None
    facts: dict[str, dict[str, Any]] = {}
    for group, values in given.items():
        if type(values) is not dict:
            return None
        out = {}
        for key, value in values.items():
            kind = type(value)
            if kind is str:
                if len(value) == 10 and _DATE.match(value):
                    if key in TEXT_KEYS:
                        return None
                    value = _iso_date(value)
                    if value is None:
                        return None
            elif kind is int:
                if abs(value) > NUMBER_LIMIT:
                    return None
            elif kind is float:
                if not math.isfinite(value) or abs(value) > NUMBER_LIMIT:
                    return None
            elif kind is _dt.date:
                pass
            elif kind is list:
                for item in value:
                    if type(item) is not str or (len(item) == 10 and _DATE.match(item)):
                        return None
                value = list(value)
            elif kind is not bool:
                return None
            out[key] = value
        facts[group] = out
    # What CaseFile.model_construct builds, without its per-field default handling (half the cost).
    model = _NEW(CaseFile)
    _SET(model, "__dict__", {"id": ident, "municipality": municipality, "former_municipality": former,
                             "application_date": application_date,
                             "decision_date": decision_date, "description": description, "applied_for": list(applied),
                             "facts": facts, "klage": None, "expect": None, "expect_by_rule_set": None,
                             "known_deviation": None})
    _SET(model, "__pydantic_fields_set__", set(data.keys()))
    _SET(model, "__pydantic_extra__", None)
    _SET(model, "__pydantic_private__", None)
    return model


_NEW = object.__new__
_SET = object.__setattr__


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


__all__ = ["TEXT_KEYS", "case_from_record", "jsonable", "plain_model", "to_record", "typed"]
