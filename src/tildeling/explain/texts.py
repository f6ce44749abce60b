"""Texts of an explanation: fact values as JSON and as a person reads them, and reason
templates rendered for a case (a constant where a template has no placeholders)."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

from tildeling.evaluation.plan import Template
from tildeling.i18n.messages import msg
from tildeling.language.logic import UNKNOWN

Env = dict[str, Any]
TextFn = Callable[[Env], str]


def jsonable(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is UNKNOWN:
        return None
    return value


def show_value(value: Any, lang: str) -> str:
    """A fact value as a person reads it."""
    if value is UNKNOWN or value is None:
        return msg("unknown_value", lang)
    if isinstance(value, bool):
        return msg("yes" if value else "no", lang)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.2f}".rstrip("0").replace(".", msg("format.decimal_separator", lang))
    if isinstance(value, _dt.date):
        return value.strftime(msg("format.date", lang))
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value).replace("_", " ")


def render_template(tpl: Template | None, env: Env, lang: str) -> str:
    """A reason template rendered for one case (see :func:`template_function`)."""
    text = template_function(tpl, lang)
    return text if isinstance(text, str) else text(env)


def template_function(tpl: Template | None, lang: str) -> str | TextFn:
    """``env -> text`` for a reason template in one language (a constant when it has no
    placeholders)."""
    if tpl is None:
        return ""
    parts = tpl.parts.get(lang) or tpl.parts.get("nb") or tpl.parts.get("nn") or next(iter(tpl.parts.values()))
    items: list[tuple[str, Callable[[Env], Any] | None]] = []
    for literal, name in parts:
        if literal:
            items.append((literal, None))
        if name is not None:
            items.append(("", tpl.getters.get(name)))
    if all(getter is None for _, getter in items):
        return "".join(literal for literal, _ in items)
    unknown = msg("unknown_value", lang)

    def show(value: Any) -> str:
        kind = type(value)
        if kind is int:
            return str(value)
        if kind is str:
            return value.replace("_", " ")
        if value is UNKNOWN:
            return unknown
        return show_value(value, lang)

    literals = [literal for literal, _ in items]
    slots = tuple((i, getter) for i, (_, getter) in enumerate(items) if getter is not None)
    if len(slots) == 1 and len(literals) <= 3:
        (at, one), = slots
        before, after = "".join(literals[:at]), "".join(literals[at + 1:])
        return lambda env: before + show(one(env)) + after

    def render(env: Env) -> str:
        out = literals.copy()
        for i, getter in slots:
            out[i] = show(getter(env))
        return "".join(out)

    return render
