"""Validate a loaded YAML document against a pydantic model, reporting every problem with
its file position and a Norwegian message ("mente du …?" for misspelt keys).

>>> from tildeling.yamlload import load_yaml_text
>>> from tildeling.model import Text
>>> doc = load_yaml_text("nb: hei\\nnm: hallo\\n", "t.yaml")
>>> model, diags = validate_document(doc, Text)
>>> [(d.code, d.span.short(), d.hint) for d in diags]
[('unknown-key', 't.yaml:2:1', 'mente du «nn»?')]
"""

from __future__ import annotations

import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, suggest
from .yamlload import YamlDocument

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "Nøkkelen «{key}» mangler.",
    "extra_forbidden": "Ukjent nøkkel «{key}».",
    "literal_error": "Ugyldig verdi {value}; lovlige verdier: {expected}.",
    "int_parsing": "Forventet et heltall, fikk {value}.",
    "int_type": "Forventet et heltall, fikk {value}.",
    "int_from_float": "Forventet et heltall, fikk {value}.",
    "float_parsing": "Forventet et tall, fikk {value}.",
    "float_type": "Forventet et tall, fikk {value}.",
    "bool_type": "Forventet true eller false, fikk {value}.",
    "bool_parsing": "Forventet true eller false, fikk {value}.",
    "string_type": "Forventet tekst, fikk {value}.",
    "date_type": "Forventet en dato (ÅÅÅÅ-MM-DD), fikk {value}.",
    "date_parsing": "Ugyldig dato {value}; skriv ÅÅÅÅ-MM-DD.",
    "date_from_datetime_parsing": "Ugyldig dato {value}; skriv ÅÅÅÅ-MM-DD.",
    "dict_type": "Forventet en oppslagstabell (nøkkel: verdi), fikk {value}.",
    "model_type": "Forventet en oppslagstabell (nøkkel: verdi), fikk {value}.",
    "model_attributes_type": "Forventet en oppslagstabell (nøkkel: verdi), fikk {value}.",
    "list_type": "Forventet en liste, fikk {value}.",
    "tuple_type": "Forventet en liste, fikk {value}.",
    "too_short": "For få elementer (minst {min_length}).",
    "too_long": "For mange elementer (høyst {max_length}).",
    "greater_than_equal": "Verdien {value} må være minst {ge}.",
    "less_than_equal": "Verdien {value} må være høyst {le}.",
    "string_pattern_mismatch": "Ugyldig navn {value}.",
    "string_too_long": "Teksten er for lang.",
    "string_too_short": "Teksten er for kort.",
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


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"«{value}»"
    if isinstance(value, dict):
        return "en oppslagstabell"
    if isinstance(value, list):
        return "en liste"
    if value is None:
        return "ingenting"
    return f"«{value}»"


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
            if field is None:
                return None
            current = field.annotation
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


def _diagnostic(doc: YamlDocument, model: type[BaseModel], payload: Any, err: dict,
                prefix: tuple = ()) -> Diagnostic:
    loc = tuple(err.get("loc", ()))
    rel = _yaml_path(payload, loc)
    path = prefix + rel
    etype = err.get("type", "")
    code = _CODES.get(etype, "wrong-type")
    key = path[-1] if path else ""
    hint = None
    ctx = err.get("ctx") or {}
    if etype == "extra_forbidden":
        span = doc.span_for(path, key=True)
        owner = _model_at(model, rel)
        if owner is not None:
            found = suggest(str(key), allowed_keys(owner))
            if found:
                hint = f"mente du «{found[0]}»?"
            else:
                hint = "lovlige nøkler her: " + ", ".join(sorted(allowed_keys(owner)))
    elif etype == "missing":
        span = doc.span_for(path[:-1]) if path else doc.span_for(())
    else:
        span = doc.span_for(path)
    if etype == "value_error":
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        message = message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
        if "valid_to" in message.lower():
            code = "invalid-validity"
    elif etype in _MESSAGES:
        fmt = dict(ctx)
        fmt.setdefault("expected", ctx.get("expected", ""))
        message = _MESSAGES[etype].format(key=key, value=_show(err.get("input")), **{k: v for k, v in fmt.items() if k not in ("key", "value")})
    else:
        message = f"Ugyldig verdi {_show(err.get('input'))} ({err.get('msg', etype)})."
    where = ".".join(str(p) for p in path)
    if where and etype not in ("extra_forbidden", "missing"):
        message = f"{where}: {message}"
    elif where and etype == "missing" and len(path) > 1:
        message = f"{'.'.join(str(p) for p in path[:-1])}: {message}"
    return Diagnostic(code, "error", message, span, hint)
