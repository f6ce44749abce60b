"""The expression AST: our own frozen dataclasses, never a ``lark.Tree``.

Conditions, scores, amounts and definitions in a rule set are strings parsed by the grammar
in ``grammar.lark`` (see :mod:`tildeling.language.parser`) into these nodes. Spans are excluded from
equality so that ``parse(to_source(ast)) == ast`` holds although positions differ.

>>> Binary(">=", Name("funksjon.husarbeid"), Literal(3)) == Binary(">=", Name("funksjon.husarbeid"), Literal(3))
True
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Union

from tildeling.core.source import SourceSpan

LiteralValue = Union[bool, int, float, str, _dt.date]


@dataclass(frozen=True, slots=True)
class Literal:
    """A number, string, boolean or date (``2020-01-01``)."""

    value: LiteralValue
    span: SourceSpan | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class ListLiteral:
    """``["a", "b"]`` — used on the right of ``in``."""

    items: tuple["Expr", ...]
    span: SourceSpan | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Name:
    """A dotted name: a fact (``funksjon.hukommelse``), a definition or ``parameter.x``."""

    path: str
    span: SourceSpan | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Unary:
    """``not x`` (also ``ikke x``) or ``-x``."""

    op: str  # "not" | "-"
    operand: "Expr"
    span: SourceSpan | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Binary:
    """Arithmetic, comparison, membership or logic.

    ``op`` is canonical: ``+ - * /``, ``== != < <= > >=``, ``in``, ``and``, ``or``
    (the Norwegian ``og``/``eller``/``i`` parse to the same ops).
    """

    op: str
    left: "Expr"
    right: "Expr"
    span: SourceSpan | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Call:
    """A library function; ``func`` is the canonical (English) name, e.g. ``max``, ``age``."""

    func: str
    args: tuple["Expr", ...]
    span: SourceSpan | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Conditional:
    """``if c then a else b`` (also ``hvis c så a ellers b``)."""

    cond: "Expr"
    then: "Expr"
    otherwise: "Expr"
    span: SourceSpan | None = field(default=None, compare=False, kw_only=True)


Expr = Union[Literal, ListLiteral, Name, Unary, Binary, Call, Conditional]


def children(expr: Expr) -> tuple[Expr, ...]:
    """Direct sub-expressions, in source order."""
    if isinstance(expr, (Literal, Name)):
        return ()
    if isinstance(expr, ListLiteral):
        return expr.items
    if isinstance(expr, Unary):
        return (expr.operand,)
    if isinstance(expr, Binary):
        return (expr.left, expr.right)
    if isinstance(expr, Call):
        return expr.args
    if isinstance(expr, Conditional):
        return (expr.cond, expr.then, expr.otherwise)
    raise TypeError(f"not an expression node: {expr!r}")


def names(expr: Expr) -> list[Name]:
    """Every :class:`Name` in ``expr``, in source order."""
    out: list[Name] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            out.append(node)
        else:
            stack.extend(reversed(children(node)))
    return out
