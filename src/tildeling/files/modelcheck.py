"""Validate a loaded YAML document against a pydantic model, reporting every problem with
its file position and a Norwegian message ("mente du …?" for misspelt keys).

>>> from tildeling.files.yamlload import load_yaml_text
>>> from tildeling.files.model import Text
>>> doc = load_yaml_text("nb: hei\\nnm: hallo\\n", "t.yaml")
>>> model, diags = validate_document(doc, Text)
>>> [(d.code, d.span.short(), d.hint) for d in diags]
[('unknown-key', 't.yaml:2:1', 'mente du «nn»?')]
"""

from __future__ import annotations

import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tildeling.core.diagnostics import Diagnostic, from_phrase, suggest
from tildeling.files.yamlload import YamlDocument
from tildeling.i18n.diagnostic_messages import Either, KeyedValueError, Phrase, phrase

M = TypeVar("M", bound=BaseModel)

# pydantic error type → catalogue key (tildeling.i18n.diagnostic_messages)
_MESSAGES = {
    "missing": "model.missing",
    "extra_forbidden": "model.unknown_key",
    "literal_error": "model.literal",
    "int_parsing": "model.expected_int",
    "int_type": "model.expected_int",
    "int_from_float": "model.expected_int",
    "float_parsing": "model.expected_number",
    "float_type": "model.expected_number",
    "bool_type": "model.expected_bool",
    "bool_parsing": "model.expected_bool",
    "string_type": "model.expected_text",
    "date_type": "model.expected_date",
    "date_parsing": "model.invalid_date",
    "date_from_datetime_parsing": "model.invalid_date",
    "dict_type": "model.expected_mapping",
    "model_type": "model.expected_mapping",
    "model_attributes_type": "model.expected_mapping",
    "list_type": "model.expected_list",
    "tuple_type": "model.expected_list",
    "too_short": "model.too_short",
    "too_long": "model.too_long",
    "greater_than_equal": "model.at_least",
    "less_than_equal": "model.at_most",
    "string_pattern_mismatch": "model.invalid_name",
    "string_too_long": "model.text_too_long",
    "string_too_short": "model.text_too_short",
}

_CODES = {
    "missing": "missing-key",
    "extra_forbidden": "unknown-key",
    "date_parsing": "invalid-date",
    "date_type": "invalid-date",
    "date_from_datetime_parsing": "invalid-date",
    "literal_error": "invalid-value",
    "string_pattern_mismatch": "invalid-name",
    "value_error": "invalid-value",
}


def _show(value: Any) -> Phrase:
    if isinstance(value, dict):
        return Phrase("show.mapping")
    if isinstance(value, list):
        return Phrase("show.list")
    if value is None:
        return Phrase("show.nothing")
    return phrase("show.quoted", value=str(value))


def _yaml_path(data: Any, loc: tuple) -> tuple:
    """Keep the parts of a pydantic location that exist in the YAML data (drops union tags)."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str):
            # a missing or extra key: keep it as the last element
            out.append(part)
            node = None
    return tuple(out)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model class that owns the last key of ``loc`` (for key suggestions)."""
    current: Any = model
    for part in loc[:-1]:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field_by_key(current, part)
            if field is not None:
                current = field.annotation
            else:  # an extra key of a model that types its extras (``expect``: service → Expectation)
                current = typing.get_type_hints(current).get("__pydantic_extra__")
                if typing.get_origin(current) is not dict:
                    return None
        elif typing.get_origin(current) in (dict, list, tuple):
            args = typing.get_args(current)
            current = args[-1] if args else None
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            containers = [a for a in args if typing.get_origin(a) in (list, dict)]
            tp = (models or containers or args or [None])[0]
        else:
            return tp


def _field_by_key(model: type[BaseModel], key: Any):
    for name, field in model.model_fields.items():
        if key == name or key == field.alias:
            return field
    return None


def allowed_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def validate_document(doc: YamlDocument, model: type[M], *, data: Any = None,
                      prefix: tuple = ()) -> tuple[M | None, list[Diagnostic]]:
    """Validate ``doc.data`` (or ``data`` found at ``prefix`` in the document) against
    ``model``; every error becomes a diagnostic."""
    payload = doc.data if data is None else data
    if payload is None:
        payload = {}
    try:
        return model.model_validate(payload), []
    except ValidationError as exc:
        diags = []
        for err in exc.errors(include_url=False):
            diags.append(_diagnostic(doc, model, payload, err, prefix))
        return None, diags


def _diagnostic(doc: YamlDocument, model: type[BaseModel], payload: Any, err: ErrorDetails,
                prefix: tuple = ()) -> Diagnostic:
    loc = tuple(err.get("loc", ()))
    rel = _yaml_path(payload, loc)
    path = prefix + rel
    etype = err.get("type", "")
    code = _CODES.get(etype, "wrong-type")
    key = path[-1] if path else ""
    hint: Phrase | None = None
    ctx = err.get("ctx") or {}
    if etype == "extra_forbidden":
        span = doc.span_for(path, key=True)
        owner = _model_at(model, rel)
        if owner is not None:
            found = suggest(str(key), allowed_keys(owner))
            if found:
                hint = phrase("hint.did_you_mean", name=found[0])
            else:
                hint = phrase("model.allowed_keys", keys=", ".join(sorted(allowed_keys(owner))))
    elif etype == "missing":
        span = doc.span_for(path[:-1]) if path else doc.span_for(())
    else:
        span = doc.span_for(path)
    if etype == "value_error":
        error = ctx.get("error")
        if isinstance(error, KeyedValueError):
            message = Phrase(error.key, error.args_)
            if error.key == "model.valid_to_before_from":
                code = "invalid-validity"
            elif error.key == "model.nothing_applied_for":  # neither applied_for nor klage
                code = "missing-key"
        else:  # a plain ValueError: pydantic's text is all there is
            detail = str(err.get("msg", "")).removeprefix("Value error, ")
            detail = detail[:1].upper() + detail[1:] + ("" if detail.endswith(".") else ".")
            if "valid_to" in detail.lower():
                code = "invalid-validity"
            message = phrase("model.value_error", detail=detail)
    elif etype in _MESSAGES:
        fmt = {k: _plain(v) for k, v in ctx.items() if k not in ("name", "value")}
        if etype == "literal_error":
            fmt["expected"] = _expected(ctx.get("expected", ""))
        message = phrase(_MESSAGES[etype], name=str(key), value=_show(err.get("input")), **fmt)
    else:  # pydantic's own (English) message is the detail
        message = phrase("model.invalid_other", value=_show(err.get("input")), detail=str(err.get("msg", etype)))
    where = ".".join(str(p) for p in path)
    if where and etype not in ("extra_forbidden", "missing"):
        message = phrase("located", where=where, text=message)
    elif where and etype == "missing" and len(path) > 1:
        message = phrase("located", where=".".join(str(p) for p in path[:-1]), text=message)
    return from_phrase(code, "error", message, span, hint)


def _plain(value: Any) -> Any:
    """Context values as hashable, printable arguments."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _expected(text: str) -> Any:
    """pydantic's "'a', 'b' or 'c'" with «or» in the reader's language."""
    import re
    items = re.findall(r"'[^']*'", str(text))
    if len(items) < 2 or not str(text).endswith(items[-1]):
        return str(text)
    return Either(tuple(items))
