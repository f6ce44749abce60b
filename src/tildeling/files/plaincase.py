"""The file model of a *plain* case file, built without pydantic (issue 9, cold start).

Building pydantic's validator for :class:`~tildeling.files.model.CaseFile` (and with it
pydantic's plugin loader and ``importlib.metadata``) costs more than the rest of a
``tildeling evaluate`` of one case. Most case files are plain: the keys id, municipality,
former_municipality, the two dates, description, applied_for (service ids), facts (groups of values), expect and
expect_by_rule_set (expectations of simple values) and known_deviation, each of the exact
type the model asks for. :func:`plain_case_model` checks that structure by hand and builds
what pydantic would build, in the model's plain twin (:mod:`tildeling.files.plainmodel`:
the same values, fields set and extra keys, without importing pydantic); for anything else — a missing or unknown key, a value
pydantic would convert or refuse, an appeal (``klage:``), the long form of ``applied_for`` —
it returns ``None`` and the caller validates with pydantic as before (so every error message
and position is unchanged). tests/test_plain_case.py checks both give the same values.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from tildeling.files.literals import OUTCOMES
from tildeling.files.plainmodel import CaseFile, Expectation, Expectations, PartsExpectation
from tildeling.files.plainmodel import build as _build

if TYPE_CHECKING:  # the twin stands for the model: code reads both the same way
    from tildeling.files.model import CaseFile as CaseFileModel

_CASE_KEYS = ("id", "municipality", "former_municipality", "application_date", "decision_date", "description", "applied_for", "facts",
              "klage", "expect", "expect_by_rule_set", "known_deviation")
_CASE_ALLOWED = frozenset(_CASE_KEYS) - {"klage"}  # an appeal takes the pydantic path

_LITERALS = {"outcome": frozenset(OUTCOMES), "decided_by": frozenset({"lovkrav", "kommunalt"}),
             "initiative": frozenset({"søknad", "kommunen"}), "addressee": frozenset({"søker", "pårørende"})}
# Expectation's fields in their order, with how each is checked (None allowed unless required).
_EXPECTATION = (("outcome", "literal"), ("step", "int"), ("reasons", "texts"), ("missing", "texts?"),
                ("alternatives", "texts?"), ("amount", "float"), ("decided_by", "literal"),
                ("initiative", "literal"), ("why", "why"), ("form", "text"), ("parts", "parts"),
                ("applied_amount", "float"), ("waiting_list", "bool"), ("vedtak", "bool"), ("addressee", "literal"))
_EXPECTATION_KEYS = frozenset(name for name, _ in _EXPECTATION)
_REQUIRED = frozenset({"outcome", "why"})


class _NotPlain(Exception):
    """The data is not plain: pydantic decides."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _NotPlain
    return str(value)


def _texts(value: Any) -> list[str]:
    if type(value) is not list:
        raise _NotPlain
    return [_text(v) for v in value]


def _float(value: Any) -> float:
    kind = type(value)
    if kind is float:
        return value
    if kind is int:
        return float(value)
    raise _NotPlain


def _field(name: str, how: str, value: Any) -> Any:
    if value is None:
        if name in _REQUIRED or how == "texts":
            raise _NotPlain
        return None
    if how == "literal":
        if not isinstance(value, str) or value not in _LITERALS[name]:
            raise _NotPlain
        return str(value)
    if how == "int":
        if type(value) is not int:
            raise _NotPlain
        return value
    if how in ("texts", "texts?"):
        return _texts(value)
    if how == "float":
        return _float(value)
    if how == "why":
        text = _text(value)
        if len(text) < 3:
            raise _NotPlain
        return text
    if how == "text":
        return _text(value)
    if how == "bool":
        if type(value) is not bool:
            raise _NotPlain
        return value
    if how == "parts":
        return _parts(value)
    raise _NotPlain


def _parts(data: Any) -> PartsExpectation:
    if type(data) is not dict or not all(isinstance(k, str) for k in data) or not set(data) <= {"granted", "refused"}:
        raise _NotPlain
    values = {"granted": _texts(data["granted"]) if "granted" in data else [],
              "refused": _texts(data["refused"]) if "refused" in data else []}
    return _build(PartsExpectation, values, {str(k) for k in data})


def _expectation(data: Any) -> Expectation:
    if type(data) is not dict or not all(isinstance(k, str) for k in data):
        raise _NotPlain
    if not data.keys() <= _EXPECTATION_KEYS or not _REQUIRED <= data.keys():
        raise _NotPlain
    values: dict[str, Any] = {}
    for name, how in _EXPECTATION:
        if name in data:
            values[name] = _field(name, how, data[name])
        else:
            values[name] = [] if how == "texts" else None
    return _build(Expectation, values, {str(k) for k in data})


def _expectations(data: Any) -> Expectations:
    if type(data) is not dict or not all(isinstance(k, str) for k in data) or "klage" in data:
        raise _NotPlain
    extra = {str(k): _expectation(v) for k, v in data.items()}
    return _build(Expectations, {"klage": None, "__pydantic_extra__": extra}, set(extra), extra)


def plain_case_model(data: Any) -> CaseFileModel | None:
    """The :class:`CaseFile` pydantic would validate ``data`` (a parsed case file) into, when
    ``data`` is plain (see the module); ``None`` otherwise."""
    try:
        model: Any = _case(data)
        return model
    except _NotPlain:
        return None


def _case(data: Any) -> CaseFile:
    if type(data) is not dict or not all(isinstance(k, str) for k in data) or not data.keys() <= _CASE_ALLOWED:
        raise _NotPlain
    if not {"id", "municipality", "application_date", "applied_for"} <= data.keys():
        raise _NotPlain
    applied = data["applied_for"]
    if type(applied) is not list or not applied:
        raise _NotPlain
    application_date = data["application_date"]
    decision_date = data.get("decision_date")
    if type(application_date) is not _dt.date or (decision_date is not None and type(decision_date) is not _dt.date):
        raise _NotPlain
    description = data.get("description")
    given = data.get("facts", {})
    if type(given) is not dict:
        raise _NotPlain
    facts: dict[str, dict[str, Any]] = {}
    for group, values in given.items():
        if not isinstance(group, str) or type(values) is not dict or not all(isinstance(k, str) for k in values):
            raise _NotPlain
        facts[str(group)] = {str(k): v for k, v in values.items()}
    expect = data.get("expect")
    by_rule_set = data.get("expect_by_rule_set")
    if by_rule_set is not None:
        if type(by_rule_set) is not dict or not all(isinstance(k, str) for k in by_rule_set):
            raise _NotPlain
        by_rule_set = {str(k): _expectations(v) for k, v in by_rule_set.items()}
    deviation = data.get("known_deviation")
    if deviation is not None:
        deviation = _text(deviation)
        if len(deviation) < 3:
            raise _NotPlain
    former = data.get("former_municipality")
    values = {"id": _text(data["id"]), "municipality": _text(data["municipality"]),
              "former_municipality": None if former is None else _text(former),
              "application_date": application_date, "decision_date": decision_date,
              "description": None if description is None else _text(description),
              "applied_for": _texts(applied), "facts": facts, "klage": None,
              "expect": None if expect is None else _expectations(expect),
              "expect_by_rule_set": by_rule_set, "known_deviation": deviation}
    return _build(CaseFile, values, {str(k) for k in data})


__all__ = ["plain_case_model"]
