"""Canonical source text for an expression AST.

English keywords, minimal parentheses by precedence, left-associative chains without
parentheses, strings in double quotes with escapes the parser understands, floats via
``repr`` (positional notation when ``repr`` would use an exponent), dates in ISO form.
``parse_expression(to_source(e)) == e`` for every AST the parser can produce.

>>> from tildeling.language.parser import parse_expression
>>> to_source(parse_expression("hvis (a og b) eller ikke c så snitt(x, 2) ellers (1 - (2 - 3)) * 4"))
'if a and b or not c then mean(x, 2) else (1 - (2 - 3)) * 4'
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import Decimal

from tildeling.language.expressions import Binary, Call, Conditional, Expr, ListLiteral, Literal, Name, Unary

# Binding strength: larger binds tighter.
P_COND, P_OR, P_AND, P_NOT, P_CMP, P_ADD, P_MUL, P_NEG, P_ATOM = range(9)

BINARY_PRECEDENCE = {
    "or": P_OR, "and": P_AND,
    "==": P_CMP, "!=": P_CMP, "<": P_CMP, "<=": P_CMP, ">": P_CMP, ">=": P_CMP, "in": P_CMP,
    "+": P_ADD, "-": P_ADD, "*": P_MUL, "/": P_MUL,
}


def precedence(expr: Expr) -> int:
    if isinstance(expr, Conditional):
        return P_COND
    if isinstance(expr, Binary):
        return BINARY_PRECEDENCE.get(expr.op, P_ATOM)
    if isinstance(expr, Unary):
        return P_NOT if expr.op == "not" else P_NEG
    if isinstance(expr, Literal) and _is_negative_number(expr.value):
        return P_NEG  # printed with a leading minus
    return P_ATOM


def _is_negative_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and (
        value < 0 or (isinstance(value, float) and math.copysign(1.0, value) < 0))


def quote_string(value: str) -> str:
    """Double-quoted string literal the parser reads back as ``value``."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif not ch.isprintable():
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def format_number(value: int | float) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)  # not expressible in the language; never produced by the parser
        text = repr(abs(value))
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
            if "." not in text:
                text += ".0"
        return ("-" if _is_negative_number(value) else "") + text
    return repr(value)


def literal_source(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str):
        return quote_string(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"not a literal value: {value!r}")


def _wrap(expr: Expr, minimum: int) -> str:
    text = to_source(expr)
    return f"({text})" if precedence(expr) < minimum else text


def to_source(expr: Expr) -> str:
    """Canonical text of ``expr``."""
    if isinstance(expr, Literal):
        return literal_source(expr.value)
    if isinstance(expr, Name):
        return expr.path
    if isinstance(expr, ListLiteral):
        return "[" + ", ".join(to_source(i) for i in expr.items) + "]"
    if isinstance(expr, Call):
        return expr.func + "(" + ", ".join(to_source(a) for a in expr.args) + ")"
    if isinstance(expr, Unary):
        if expr.op == "not":
            return "not " + _wrap(expr.operand, P_NOT)
        # "- -x" keeps the tokens apart for readers; the lexer would not need it.
        inner = _wrap(expr.operand, P_NEG)
        return "-" + (" " + inner if inner.startswith("-") else inner)
    if isinstance(expr, Binary):
        p = BINARY_PRECEDENCE.get(expr.op)
        if p is None:
            raise ValueError(f"unknown operator {expr.op!r}")
        if p == P_CMP:  # non-associative: both sides must bind tighter
            left, right = _wrap(expr.left, P_ADD), _wrap(expr.right, P_ADD)
        else:  # left-associative
            left, right = _wrap(expr.left, p), _wrap(expr.right, p + 1)
        return f"{left} {expr.op} {right}"
    if isinstance(expr, Conditional):
        return (f"if {to_source(expr.cond)} then {to_source(expr.then)} "
                f"else {to_source(expr.otherwise)}")
    raise TypeError(f"not an expression node: {expr!r}")
