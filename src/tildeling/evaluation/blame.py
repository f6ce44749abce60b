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

from typing import Callable, Iterable, Mapping

from tildeling.language.expressions import Binary, Call, Conditional, Expr, Literal, Name, children
from tildeling.language.functions import lookup as lookup_function
from tildeling.language.interpreter import interpret
from tildeling.language.logic import UNKNOWN
from tildeling.language.scope import Scope
from tildeling.language.typecheck import annotate


# The inferred types of an expression (:func:`annotate`, a pure function of the expression
# and the checked scope), kept per (expression, scope) object: blaming and settling look at
# the same few conditions for thousands of completions. The objects are held with their
# types, so their ids stay theirs.
_TYPES: dict[tuple[int, int], tuple[Expr, Scope, dict]] = {}
_TYPES_KEPT = 4096


def types_of(expr: Expr, scope: Scope) -> dict:
    """:func:`annotate` of ``expr`` in ``scope``, computed once (do not change the dict)."""
    key = (id(expr), id(scope))
    hit = _TYPES.get(key)
    if hit is not None and hit[0] is expr and hit[1] is scope:
        return hit[2]
    if len(_TYPES) >= _TYPES_KEPT:
        _TYPES.clear()
    types = annotate(expr, scope)
    _TYPES[key] = (expr, scope, types)
    return types


def blame(expr: Expr, env: Mapping[str, object], scope: Scope) -> frozenset[str]:
    """The missing facts that keep ``expr`` unknown in ``env`` (empty if it is known)."""
    types = dict(types_of(expr, scope))
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
                types.update(types_of(sym.expr, scope))
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


def names_read(expr: Expr, scope: Scope) -> frozenset[str]:
    """Every name evaluating or blaming ``expr`` can read from the environment: its own,
    and transitively those of the definitions and of the derivations of the facts it names."""
    out: set[str] = set()
    todo: list[Expr] = [expr]
    seen: set[int] = set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack: list[Expr] = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, Name):
                out.add(n.path)
                sym = scope.lookup(n.path)
                if sym is not None and sym.kind == "definition" and sym.expr is not None:
                    todo.append(sym.expr)
                elif sym is not None and sym.derived:
                    todo.extend(when for when, _ in sym.derived)
            stack.extend(children(n))
    return frozenset(out)


class BlameMemo:
    """The blame of conditions over many environments that are the same except for the
    names in ``varying`` (the completions of one undecided service): a result is kept per
    condition and per value of the varying names it can read (:func:`names_read`), so each
    distinct case is worked out once. Only for environments that agree on every other name."""

    __slots__ = ("varying", "_names", "_kept")

    def __init__(self, varying: Iterable[str]) -> None:
        self.varying = frozenset(varying) | {"poengsum"}  # the walk sets poengsum from the score
        self._names: dict[int, tuple[object, tuple[str, ...]]] = {}
        self._kept: dict[tuple, frozenset[str]] = {}

    def __call__(self, what: object, exprs: Iterable[Expr], extra: Iterable[str], env: Mapping[str, object],
                 scope: Scope, compute: Callable[[], frozenset[str]]) -> frozenset[str]:
        """``compute()`` (the blame of ``what``, reading ``exprs`` and the names ``extra``), or
        the result kept for the same values of the varying names they read."""
        hit = self._names.get(id(what))
        if hit is None or hit[0] is not what:
            read: set[str] = set(extra)
            for e in exprs:
                read |= names_read(e, scope)
            hit = self._names[id(what)] = (what, tuple(sorted(read & self.varying)))
        key = (id(what),) + tuple(env.get(n, _ABSENT) for n in hit[1])
        try:
            found = self._kept.get(key)
        except TypeError:  # a value that is no key (a list): worked out every time
            return compute()
        if found is None:
            found = self._kept[key] = compute()
        return found


_ABSENT = object()

