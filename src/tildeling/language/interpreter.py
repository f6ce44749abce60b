"""The reference interpreter: a plain recursive walk over a *checked* AST.

This is the obviously-correct definition of what an expression means; the compiled code
of :mod:`tildeling.evaluation.codegen` must agree with it exactly (same value, same UNKNOWN-ness).
All semantics live in :mod:`tildeling.language.logic` and :mod:`tildeling.language.functions`.

``env`` maps fact paths and ``parameter.*`` keys to values (bool, int, float, str,
``datetime.date``, ``tuple[str, ...]`` for lists); an absent key — or the value
:data:`~tildeling.language.logic.UNKNOWN` — means UNKNOWN. Definitions are evaluated by
interpreting ``scope.lookup(name).expr``.

Static kinds (IPLOS or not) come from :func:`tildeling.language.typecheck.annotate`; pass
``types=`` to reuse an annotation across many evaluations.
"""

from __future__ import annotations

from typing import Mapping

from tildeling.core.errors import ExpressionError
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.language.expressions import Binary, Call, Conditional, Expr, ListLiteral, Literal, Name, Unary
from tildeling.language.functions import bounded_operand, domain
from tildeling.language.functions import lookup as lookup_function
from tildeling.language.logic import UNKNOWN, and_, arith, compare, compare_bounds, conditional_unknown, in_, negate, not_, or_
from tildeling.language.scope import Scope
from tildeling.language.typecheck import annotate
from tildeling.language.types import Kind, Type


def interpret(expr: Expr, env: Mapping[str, object], scope: Scope, *,
              types: Mapping[int, Type] | None = None) -> object:
    """Evaluate ``expr`` in ``env``; returns a value or :data:`UNKNOWN`."""
    if types is None:
        types = annotate(expr, scope)
    return _Interpreter(env, scope, types).eval(expr)


class _Interpreter:
    def __init__(self, env: Mapping[str, object], scope: Scope, types: Mapping[int, Type]):
        self.env = env
        self.scope = scope
        self.types = types
        self.active: list[str] = []  # definitions being evaluated (cycle guard)

    def is_iplos(self, node: Expr) -> bool:
        t = self.types.get(id(node))
        return t is not None and t.kind is Kind.IPLOS

    def eval(self, node: Expr) -> object:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Name):
            return self.eval_name(node)
        if isinstance(node, ListLiteral):
            return tuple(self.eval(i) for i in node.items)
        if isinstance(node, Unary):
            value = self.eval(node.operand)
            if node.op == "not":
                return not_(value)
            if node.op == "-":
                return negate(value)
            raise ValueError(f"unknown unary operator {node.op!r}")
        if isinstance(node, Binary):
            op = node.op
            if op == "and":
                return and_(self.eval(node.left), self.eval(node.right))
            if op == "or":
                return or_(self.eval(node.left), self.eval(node.right))
            left, right = self.eval(node.left), self.eval(node.right)
            if op == "in":
                return in_(left, right)
            if op in ("+", "-", "*", "/"):
                return arith(op, left, right)
            if left is UNKNOWN or right is UNKNOWN:
                # An unknown aggregate may still be bounded enough to decide the comparison.
                if left is UNKNOWN:
                    left = self.bounds(node.left, node.right)
                if right is UNKNOWN:
                    right = self.bounds(node.right, node.left)
                return compare_bounds(op, left, right, self.is_iplos(node.left), self.is_iplos(node.right))
            return compare(op, left, right, self.is_iplos(node.left), self.is_iplos(node.right))
        if isinstance(node, Call):
            fn = lookup_function(node.func)
            if fn is None:
                raise ValueError(f"unknown function {node.func!r} (the expression was not checked)")
            args = tuple(self.eval(a) for a in node.args)
            return fn.impl(args, tuple(self.is_iplos(a) for a in node.args))
        if isinstance(node, Conditional):
            cond = self.eval(node.cond)
            if cond is True:
                return self.eval(node.then)
            if cond is False:
                return self.eval(node.otherwise)
            return conditional_unknown(self.eval(node.then), self.eval(node.otherwise))
        raise TypeError(f"not an expression node: {node!r}")

    def bounds(self, node: Expr, other: Expr) -> object:
        """The :class:`~tildeling.language.logic.Bounds` of an unknown comparison operand
        (see :func:`~tildeling.language.functions.bounded_operand`), or UNKNOWN."""
        target = bounded_operand(node, other, self.scope, self.is_iplos)
        if not isinstance(target, Call):
            return UNKNOWN if target is None else target
        fn = lookup_function(target.func)
        assert fn is not None and fn.bounds is not None
        args = tuple(self.eval(a) for a in target.args)
        iplos = tuple(self.is_iplos(a) for a in target.args)
        value = fn.impl(args, iplos)
        if value is not UNKNOWN:
            return value
        return fn.bounds(args, iplos, tuple(domain(a, self.types.get(id(a)), self.scope) for a in target.args))

    def eval_name(self, node: Name) -> object:
        symbol = self.scope.lookup(node.path)
        if symbol is not None and symbol.kind == "definition":
            if symbol.expr is None:
                return UNKNOWN
            if node.path in self.active:
                raise ExpressionError(keyed("error.self_reference", path=node.path))
            self.active.append(node.path)
            try:
                return self.eval(symbol.expr)
            finally:
                self.active.pop()
        value = self.env.get(node.path, UNKNOWN)
        if value is UNKNOWN and symbol is not None and symbol.derived:
            if node.path in self.active:
                raise ExpressionError(keyed("error.self_reference", path=node.path))
            self.active.append(node.path)
            try:
                return self.derive(symbol.derived, 0)
            finally:
                self.active.pop()
        return value

    def derive(self, derived: tuple, i: int) -> object:
        """A fact that is not given, from its derivations ``derived[i:]``: the first whose
        ``when`` is true gives the value; with an unknown ``when`` the value is known only
        when every way it could go agrees (as ``hvis … så … ellers``); none true: UNKNOWN."""
        if i == len(derived):
            return UNKNOWN
        when, value = derived[i]
        cond = self.eval(when)
        if cond is True:
            return value
        rest = self.derive(derived, i + 1)
        return rest if cond is False else conditional_unknown(value, rest)
