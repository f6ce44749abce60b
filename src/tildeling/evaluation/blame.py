"""Which missing facts make a condition unknown — the facts worth obtaining (fvl § 17).

A condition's dependencies are not all to blame: in ``alder < 67 eller behov.x`` with a
known age under 67, ``behov.x`` cannot change anything. :func:`blame` walks the checked AST
with the reference interpreter and keeps only the missing facts under sub-expressions that
are themselves unknown and not short-circuited by a known operand.

>>> from tildeling.language.scope import Scope, Symbol
>>> from tildeling.language.types import BOOL, NUMBER
>>> from tildeling.language.parser import parse_expression
>>> s = Scope(); s.add(Symbol("a", "fact", NUMBER)); s.add(Symbol("b", "fact", BOOL)); s.add(Symbol("c", "fact", BOOL))
>>> sorted(blame(parse_expression("(a < 67 or b) and c"), {"a": 50}, s))
['c']
"""

from __future__ import annotations

from typing import Mapping

from tildeling.language.expressions import Binary, Call, Conditional, Expr, Literal, Name, children
from tildeling.language.functions import lookup as lookup_function
from tildeling.language.interpreter import interpret
from tildeling.language.logic import UNKNOWN
from tildeling.language.scope import Scope
from tildeling.language.typecheck import annotate


def blame(expr: Expr, env: Mapping[str, object], scope: Scope) -> frozenset[str]:
    """The missing facts that keep ``expr`` unknown in ``env`` (empty if it is known)."""
    types = annotate(expr, scope)
    out: set[str] = set()
    deriving: list[str] = []  # derived facts being blamed (a guard; cycles are load errors)

    def value(node: Expr) -> object:
        return interpret(node, env, scope, types=types)

    def walk(node: Expr, depth: int = 0) -> None:
        if depth > 200 or isinstance(node, Literal):
            return
        if value(node) is not UNKNOWN:
            return
        if isinstance(node, Name):
            sym = scope.lookup(node.path)
            if sym is None:
                return
            if sym.kind == "fact" and sym.derived and node.path not in env and node.path not in deriving:
                # Not given, and its derivations leave it unknown: blame the unknown facts of
                # their conditions; when every condition is false, the fact itself is missing.
                deriving.append(node.path)
                try:
                    unknown = [when for when, _ in sym.derived if value(when) is UNKNOWN]
                    for when in unknown:
                        walk(when, depth + 1)
                finally:
                    deriving.pop()
                if not unknown:
                    out.add(node.path)
            elif sym.kind == "fact":
                out.add(node.path)
            elif sym.kind == "definition" and sym.expr is not None:
                types.update(annotate(sym.expr, scope))
                walk(sym.expr, depth + 1)
            return
        if isinstance(node, Binary) and node.op in ("and", "or"):
            # Unknown here means neither side is decisive; every unknown side matters.
            for side in (node.left, node.right):
                walk(side, depth + 1)
            return
        if isinstance(node, Conditional):
            cond = value(node.cond)
            if cond is True:
                walk(node.then, depth + 1)
            elif cond is False:
                walk(node.otherwise, depth + 1)
            else:
                for part in (node.cond, node.then, node.otherwise):
                    walk(part, depth + 1)
            return
        if isinstance(node, Call) and node.args and isinstance(node.args[0], Name):
            fn = lookup_function(node.func)
            if fn is not None and fn.history is not None and value(node.args[0]) is not UNKNOWN:
                # A known history whose entry does not say (no result, no frequency): the
                # history is what must be completed.
                out.add(node.args[0].path)
        if isinstance(node, Call) and node.func in ("any", "all"):
            for a in node.args:
                walk(a, depth + 1)
            return
        for c in children(node):
            walk(c, depth + 1)

    walk(expr)
    return frozenset(out)
