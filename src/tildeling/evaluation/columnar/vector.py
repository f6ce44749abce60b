"""Evaluate a checked expression over columns: numpy operations with Kleene logic.

A :class:`Frame` evaluates expression ASTs (the same checked ASTs the code generator
compiles, :mod:`tildeling.evaluation.codegen`) over a :class:`~.columns.Population`'s
columns, one numpy operation per node for every row at once. The semantics are those of
the per-case evaluator, value for value, wherever a row's result is *known*:

- ``and``/``or``/``not``: Kleene (False wins ``and``, True wins ``or``);
- comparisons and arithmetic: unknown when an operand is; IPLOS 9 ranks below every score
  in ``< <= > >=``; division by zero is unknown; ``snitt``/``min``/``max`` skip IPLOS 9s;
- ``kjent``/``mangler``: from the known mask of an *exact* column;
- facts with ``derived:``: the given value, else the derivation chain (the interpreter's
  ``derive``), definitions inlined and computed once per frame.

A row may be left unknown where the per-case evaluator knows the value, never the other
way: the per-case evaluator also decides a comparison of an unknown operand by its bounds.
A fact's declared range compared with a literal is done here too (one decision for all its
unknown rows); an aggregate's possible values (``snitt`` of partly known scores) are not.
Such a result is marked ``exact = False``, and ``kjent(...)`` of it is unknown for every
row. The decision stage (:mod:`.plan`) hands every row that meets an unknown
condition to the per-case evaluator, so the combined result is exact.

The history functions (``resultat``, ``fra``, …), ``alder`` and ``dager_mellom`` run the
per-case implementation row by row (exact, not fast): a rule set that uses them pays
Python speed for those expressions only.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from typing import Any, Mapping

from tildeling.evaluation.columnar.columns import EXACT_INT, KIND_LETTER, Col, Population, decode, encode
from tildeling.language.expressions import Binary, Call, Conditional, Expr, ListLiteral, Literal, Name, Unary
from tildeling.language.functions import bounded_operand, lookup as lookup_function
from tildeling.language.logic import UNKNOWN, Bounds, compare as py_compare, compare_bounds, in_ as py_in
from tildeling.language.scope import Scope
from tildeling.language.types import IPLOS_NOT_RELEVANT, Kind, Type
from tildeling.rules.initiative import APPLIED_SERVICES

_ORDERING = ("<", "<=", ">", ">=")
_VECTOR_FUNCTIONS = ("known", "missing", "mean", "min", "max", "sum", "count", "any", "all")


def _np():
    import numpy as np
    return np


def _and_masks(*masks):
    out = None
    for m in masks:
        if m is None:
            continue
        out = m if out is None else out & m
    return out


class Frame:
    """Evaluates expressions for the rows of ``population`` (or the subset ``rows``).

    ``overrides`` bind names to columns first (``poengsum``, ``søknad.tjenester``,
    ``vedtak.*``); ``memo`` holds the columns of definitions and derived facts already
    computed (share it only between frames with the same overrides)."""

    def __init__(self, population: Population, rows: Any = None, overrides: Mapping[str, Col] | None = None,
                 memo: dict | None = None, facts: dict | None = None, *, bind_applied: bool = False):
        self.population = population
        self.bind_applied = bind_applied  # søknad.tjenester: the services each row applies for
        self.rows = rows
        self.n = population.n if rows is None else len(rows)
        self.overrides = dict(overrides or {})
        self.memo = {} if memo is None else memo
        self.facts = {} if facts is None else facts  # (path, kind) → this frame's rows of a fact column
        self.interner = population.interner

    def child(self, overrides: Mapping[str, Col]) -> "Frame":
        """A frame over the same rows with more names bound (and its own memo)."""
        merged = dict(self.overrides)
        merged.update(overrides)
        return Frame(self.population, self.rows, merged, {}, self.facts, bind_applied=self.bind_applied)

    # -- columns ------------------------------------------------------------------------
    def fact(self, path: str, kind: str) -> Col:
        key = (path, kind)
        col = self.facts.get(key)
        if col is None:
            col = self.population.column(path, kind)
            if self.rows is not None:
                col = Col(col.kind, col.values[self.rows],
                          None if col.known is None else col.known[self.rows], col.exact)
                if col.known is not None and col.known.all():
                    col.known = None
            self.facts[key] = col
        return col

    def full(self, col: Col) -> tuple[Any, Any]:
        """``(values, known)`` as arrays of this frame's length (known None: all known)."""
        np = _np()
        values = col.values
        if values.ndim == 0:
            values = np.broadcast_to(values, (self.n,))
        known = col.known
        if known is not None and known.ndim == 0:
            known = None if bool(known) else np.zeros(self.n, dtype=bool)
        return values, known

    # -- evaluation ---------------------------------------------------------------------
    def evaluate(self, expr: Expr, scope: Scope, types: Mapping[int, Type]) -> Col:
        return _Evaluation(self, scope, types).ev(expr)


class _Evaluation:
    def __init__(self, frame: Frame, scope: Scope, types: Mapping[int, Type]):
        self.frame = frame
        self.scope = scope
        self.types = types
        self.np = _np()
        self.active: list[str] = []

    def kind(self, node: Expr) -> str:
        t = self.types.get(id(node))
        return KIND_LETTER.get(t.kind, "o") if t is not None else "o"

    def is_iplos(self, node: Expr) -> bool:
        t = self.types.get(id(node))
        return t is not None and t.kind is Kind.IPLOS

    def ev(self, node: Expr) -> Col:
        if isinstance(node, Literal):
            return Col.of(self.kind(node) if id(node) in self.types else _literal_kind(node.value), node.value,
                          self.frame.interner)
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Conditional):
            return self.conditional(node)
        if isinstance(node, ListLiteral):
            if all(isinstance(i, Literal) for i in node.items):
                return Col.of("o", tuple(i.value for i in node.items), self.frame.interner)  # type: ignore[union-attr]
            return Col.unknown("o")
        raise TypeError(f"not an expression node: {node!r}")

    # -- names --------------------------------------------------------------------------
    def name(self, node: Name) -> Col:
        frame = self.frame
        path = node.path
        bound = frame.overrides.get(path)
        if bound is not None:
            return bound
        if path == APPLIED_SERVICES and frame.bind_applied:
            col = frame.population.applied_column()
            if frame.rows is not None and col.values.ndim:
                col = Col("o", col.values[frame.rows])
            return col
        symbol = self.scope.lookup(path)
        if symbol is not None and symbol.kind == "definition":
            if symbol.expr is None:
                return Col.unknown(self.kind(node), exact=True)
            key = ("def", id(symbol.expr))
            found = frame.memo.get(key)
            if found is None:
                if path in self.active:
                    return Col.unknown(self.kind(node))
                self.active.append(path)
                try:
                    found = frame.memo[key] = self.ev(symbol.expr)
                finally:
                    self.active.pop()
            return found
        kind = KIND_LETTER.get(symbol.type.kind, "o") if symbol is not None else self.kind(node)
        given = frame.fact(path, kind)
        if symbol is None or not symbol.derived:
            return given
        dkey = ("derived", path, id(symbol))
        found = frame.memo.get(dkey)
        if found is None:
            if path in self.active:
                return Col.unknown(kind)
            self.active.append(path)
            try:
                found = frame.memo[dkey] = self.derive(given, symbol.derived, kind)
            finally:
                self.active.pop()
        return found

    def derive(self, given: Col, derived: tuple, kind: str) -> Col:
        """The given value, else the derivation chain (the interpreter's semantics: the first
        ``when`` that is true gives its value; an unknown ``when`` gives its value only when
        the rest of the chain gives the same)."""
        np = self.np
        if given.known is None:
            return given
        chain = Col.unknown(kind, exact=True)
        for when, value in reversed(derived):
            c = self.ev(when)
            v = Col.of(kind, value, self.frame.interner)
            cv, ck = self.frame.full(c)
            true = cv if ck is None else (ck & cv)
            false = ~cv if ck is None else (ck & ~cv)
            rv, rk = self.frame.full(chain)
            rk_arr = np.ones(self.frame.n, dtype=bool) if rk is None else rk
            values = np.where(true, v.values, np.where(false, rv, v.values))
            if ck is None:
                known = true | (false & rk_arr)
            else:
                known = true | (false & rk_arr) | (~ck & rk_arr & (rv == v.values))
            chain = Col(kind, values, known, c.exact and chain.exact and v.exact)
        gv, gk = self.frame.full(given)
        cv, ck = self.frame.full(chain)
        values = np.where(gk, gv, cv)
        known = gk | (np.ones(self.frame.n, dtype=bool) if ck is None else ck)
        return Col(kind, values, None if known.all() else known, chain.exact)

    # -- operators ------------------------------------------------------------------------
    def unary(self, node: Unary) -> Col:
        a = self.ev(node.operand)
        if node.op == "not" and a.kind == "b":
            return Col("b", ~a.values, a.known, a.exact)
        if node.op == "-" and a.kind == "n":
            return Col("n", -a.values, a.known, a.exact)
        return Col.unknown(self.kind(node))

    def binary(self, node: Binary) -> Col:
        op = node.op
        if op in ("and", "or"):
            return self.kleene(op, self.ev(node.left), self.ev(node.right))
        if op in ("+", "-", "*", "/"):
            return self.arithmetic(node)
        if op == "in":
            return self.contains(node)
        return self.compare(node)

    def kleene(self, op: str, a: Col, b: Col) -> Col:
        if a.kind != "b" or b.kind != "b":
            return Col.unknown("b")
        exact = a.exact and b.exact
        va, ka, vb, kb = a.values, a.known, b.values, b.known
        if op == "and":
            values = va & vb
            if ka is None and kb is None:
                return Col("b", values, None, exact)
            known = _kleene_known(ka, kb, ~va, ~vb)
        else:
            values = va | vb
            if ka is None and kb is None:
                return Col("b", values, None, exact)
            known = _kleene_known(ka, kb, va, vb)
        return Col("b", values, known, exact)

    def arithmetic(self, node: Binary) -> Col:
        np = self.np
        op = node.op
        a, b = self.ev(node.left), self.ev(node.right)
        if a.kind != "n" or b.kind != "n":
            return Col.unknown("n")
        known = _and_masks(a.known, b.known)
        exact = a.exact and b.exact
        with np.errstate(all="ignore"):
            if op == "/":
                if isinstance(node.right, Literal) and node.right.value == 0:
                    return Col.unknown("n", exact=True)
                zero = b.values == 0
                values = a.values / np.where(zero, 1.0, b.values)
                if zero.any():
                    known = ~zero if known is None else (known & ~zero)
                return Col("n", values, known, exact)
            values = a.values + b.values if op == "+" else a.values - b.values if op == "-" else a.values * b.values
        # Beyond 2**53 float64 is no longer exact integer arithmetic: leave such rows to the
        # per-case evaluator (unknown here, and the column no longer exact).
        big = np.abs(values) > EXACT_INT
        if big.any():
            known = ~big if known is None else (known & ~big)
            exact = False
        return Col("n", values, known, exact)

    def compare(self, node: Binary) -> Col:
        np = self.np
        op = node.op
        a, b = self.ev(node.left), self.ev(node.right)
        if a.kind != b.kind or a.kind == "o" or (op in _ORDERING and a.kind not in ("n", "d")):
            col = self.by_row(lambda l, r: py_compare(op, l, r, self.is_iplos(node.left), self.is_iplos(node.right)),
                              (a, b), "b")
            if col.known is not None and not col.all_known():
                return self.by_bounds(node, col.values, col.known, col.exact)
            return col
        va, vb = a.values, b.values
        if op in _ORDERING:
            if self.is_iplos(node.left):
                va = np.where(va == IPLOS_NOT_RELEVANT, -np.inf, va)
            if self.is_iplos(node.right):
                vb = np.where(vb == IPLOS_NOT_RELEVANT, -np.inf, vb)
        if op == "==":
            values = va == vb
        elif op == "!=":
            values = va != vb
        elif op == "<":
            values = va < vb
        elif op == "<=":
            values = va <= vb
        elif op == ">":
            values = va > vb
        else:
            values = va >= vb
        known = _and_masks(a.known, b.known)
        exact = a.exact and b.exact
        if known is not None and not known.all():
            return self.by_bounds(node, values, known, exact)
        return Col("b", values, known, exact)

    def by_bounds(self, node: Binary, values: Any, known: Any, exact: bool) -> Col:
        """What the per-case evaluator does with an unknown operand of a comparison (the code
        generator's ``bounded_compare``): a fact with a declared range compared with a literal
        is decided for every unknown row alike when its whole range decides it; an
        aggregate's bounds depend on each row's known arguments, so those rows stay unknown
        here and the column is no longer exact."""
        np = self.np
        lip, rip = self.is_iplos(node.left), self.is_iplos(node.right)
        targets = []
        for side, other in ((node.left, node.right), (node.right, node.left)):
            target = bounded_operand(side, other, self.scope, self.is_iplos)
            if isinstance(target, Bounds):
                pair = (target, other.value) if side is node.left else (other.value, target)  # type: ignore[union-attr]
                decided = compare_bounds(node.op, pair[0], pair[1], lip, rip)
                target = None if decided is UNKNOWN else decided
            targets.append(target)
        if targets == [None, None]:
            return Col("b", values, known, exact)
        if any(isinstance(t, bool) for t in targets) and not any(isinstance(t, Call) for t in targets):
            decided = next(t for t in targets if isinstance(t, bool))  # the other side is a literal
            values = np.where(known, values, decided)
            return Col("b", values, None, True)
        return Col("b", values, known, False)  # an aggregate's bounds: decided per row, per case

    def contains(self, node: Binary) -> Col:
        np = self.np
        right = node.right
        if isinstance(right, ListLiteral):
            if not right.items:
                return Col.of("b", False, self.frame.interner)
            if all(isinstance(i, Literal) for i in right.items):
                a = self.ev(node.left)
                if a.kind in ("b", "n", "t", "d"):
                    items = [encode(a.kind, i.value, self.frame.interner) for i in right.items]  # type: ignore[union-attr]
                    values = np.isin(a.values, np.asarray([i for i in items if isinstance(i, (bool, int, float))]))
                    return Col("b", values, a.known, a.exact)
            # ``x in [a, b]`` is Kleene ``x == a or x == b`` (logic.in_).
            acc: Col | None = None
            for item in right.items:
                eq = self.compare(Binary("==", node.left, item))
                acc = eq if acc is None else self.kleene("or", acc, eq)
            assert acc is not None
            return acc
        frame = self.frame
        if (isinstance(right, Name) and right.path == APPLIED_SERVICES and frame.bind_applied
                and isinstance(node.left, Literal) and isinstance(node.left.value, str)):
            applies = frame.population.applies_for(node.left.value)
            return Col("b", applies if frame.rows is None else applies[frame.rows])
        if isinstance(node.left, Literal) and isinstance(node.left.value, (str, int, float)) \
                and not isinstance(node.left.value, bool):
            key = self.shared_key(("in",), (right,), "b")
            if key is not None and key[2][2] == "o":  # a list fact read as given
                col = frame.population.member(right.path, node.left.value)  # type: ignore[union-attr]
                rows = frame.rows
                if rows is None:
                    return col
                return Col("b", col.values[rows], None if col.known is None else col.known[rows])
        return self.shared_by_row(("in",), _member, (node.left, right), "b")

    def conditional(self, node: Conditional) -> Col:
        np = self.np
        c = self.ev(node.cond)
        t, e = self.ev(node.then), self.ev(node.otherwise)
        if c.kind != "b" or t.kind != e.kind:
            return Col.unknown(self.kind(node))
        cv, ck = self.frame.full(c)
        true = cv if ck is None else (ck & cv)
        false = ~cv if ck is None else (ck & ~cv)
        tv, tk = self.frame.full(t)
        evv, ek = self.frame.full(e)
        values = np.where(true, tv, evv)
        ones = np.ones(self.frame.n, dtype=bool)
        tk_a = ones if tk is None else tk
        ek_a = ones if ek is None else ek
        known = (true & tk_a) | (false & ek_a)
        if ck is not None:
            known |= ~ck & tk_a & ek_a & (tv == evv)
        return Col(t.kind, values, None if known.all() else known, c.exact and t.exact and e.exact)

    # -- functions ----------------------------------------------------------------------
    def call(self, node: Call) -> Col:
        np = self.np
        fn = lookup_function(node.func)
        if fn is None:
            return Col.unknown(self.kind(node))
        name = fn.name
        if name in ("known", "missing") and len(node.args) == 1:
            if isinstance(node.args[0], Literal):
                return Col.of("b", name == "known", self.frame.interner)
            a = self.ev(node.args[0])
            if not a.exact:
                return Col.unknown("b")
            _, k = self.frame.full(a)
            if k is None:
                return Col.of("b", name == "known", self.frame.interner)
            return Col("b", k if name == "known" else ~k, None, True)
        if name not in _VECTOR_FUNCTIONS:
            mask = tuple(self.is_iplos(a) for a in node.args)
            impl = fn.impl
            return self.shared_by_row(("call", name, mask), lambda *vals: impl(vals, mask), node.args,
                                      self.kind(node))
        args = tuple(self.ev(a) for a in node.args)
        exact = all(a.exact for a in args)
        if name in ("any", "all"):
            if any(a.kind != "b" for a in args):
                return Col.unknown("b")
            acc = args[0]
            for a in args[1:]:
                acc = self.kleene("or" if name == "any" else "and", acc, a)
            return acc
        if name == "count":
            if any(a.kind != "b" for a in args):
                return Col.unknown("n")
            total = np.zeros(self.frame.n)
            for a in args:
                total = total + a.values
            return Col("n", total, _and_masks(*(a.known for a in args)), exact)
        if any(a.kind != "n" for a in args):
            return Col.unknown("n")
        known = _and_masks(*(a.known for a in args))
        iplos = [self.is_iplos(a) for a in node.args]
        if name == "sum":
            total = np.zeros(self.frame.n)
            for a in args:
                total = total + a.values
            big = np.abs(total) > EXACT_INT
            if big.any():
                known = ~big if known is None else (known & ~big)
                exact = False
            return Col("n", total, known, exact)
        if name == "mean":
            total = np.zeros(self.frame.n)
            count = np.zeros(self.frame.n)
            for a, ip in zip(args, iplos):
                if ip:
                    keep = a.values != IPLOS_NOT_RELEVANT
                    total = total + np.where(keep, a.values, 0.0)
                    count = count + keep
                else:
                    total = total + a.values
                    count = count + 1
            with np.errstate(all="ignore"):
                values = np.where(count == 0, float(IPLOS_NOT_RELEVANT), total / np.where(count == 0, 1, count))
            big = np.abs(total) > EXACT_INT
            if big.any():
                known = ~big if known is None else (known & ~big)
                exact = False
            return Col("n", values, known, exact)
        # min / max: IPLOS 9s skipped; all skipped → 9
        pick = np.minimum if name == "min" else np.maximum
        skip = np.inf if name == "min" else -np.inf
        best = None
        for a, ip in zip(args, iplos):
            v = np.where(a.values == IPLOS_NOT_RELEVANT, skip, a.values) if ip else a.values
            best = v if best is None else pick(best, v)
        assert best is not None
        values = np.where(np.isinf(best) & (best == skip), float(IPLOS_NOT_RELEVANT), best) if any(iplos) else best
        return Col("n", values, known, exact)

    # -- row by row: the per-case implementation, for what has no column form -------------
    def shared_by_row(self, what: tuple, fn, nodes, kind: str) -> Col:
        """:meth:`by_row` over the whole population, computed once per population when every
        argument is a literal or a fact read as given (``"x" i tjenester.forsøkt``,
        ``resultat(tjenester.forsøkt, "x")``), then cut to this frame's rows; otherwise
        :meth:`by_row` over this frame."""
        key = self.shared_key(what, nodes, kind)
        if key is None:
            return self.by_row(fn, tuple(self.ev(a) for a in nodes), kind)
        population = self.frame.population
        col = population.row_results.get(key)
        if col is None:
            whole = _Evaluation(Frame(population, None), self.scope, self.types)
            col = population.row_results[key] = whole.by_row(fn, tuple(whole.ev(a) for a in nodes), kind)
        rows = self.frame.rows
        if rows is None or col.values.ndim == 0:
            return col
        known = None if col.known is None or col.known.ndim == 0 else col.known[rows]
        return Col(col.kind, col.values[rows], col.known if known is None else known, col.exact)

    def shared_key(self, what: tuple, nodes, kind: str) -> tuple | None:
        parts: list = [what, kind]
        for a in nodes:
            if isinstance(a, Literal):
                parts.append(("literal", type(a.value).__name__, repr(a.value)))
                continue
            if not isinstance(a, Name) or a.path in self.frame.overrides or a.path == APPLIED_SERVICES:
                return None
            symbol = self.scope.lookup(a.path)
            if symbol is None or symbol.kind != "fact" or symbol.derived:
                return None
            parts.append(("fact", a.path, KIND_LETTER.get(symbol.type.kind, "o"), self.is_iplos(a)))
        return tuple(parts)

    def by_row(self, fn, args: tuple[Col, ...], kind: str) -> Col:
        """Apply the per-case function to each row's Python values (exact, not fast)."""
        np = self.np
        interner = self.frame.interner
        if all(a.constant for a in args):
            vals = [UNKNOWN if (a.known is not None and not bool(a.known)) else decode(a.kind, a.values[()], interner)
                    for a in args]
            result = fn(*vals)
            if result is UNKNOWN:
                return Col.unknown(kind, exact=all(a.exact for a in args))
            col = Col.of(kind, result, interner)
            col.exact = col.exact and all(a.exact for a in args)
            return col
        n = self.frame.n
        columns: list = []
        for a in args:
            if a.constant:  # a literal: decoded once
                value = UNKNOWN if (a.known is not None and not bool(a.known)) else decode(a.kind, a.values[()], interner)
                columns.append(itertools.repeat(value, n))
                continue
            v, k = self.frame.full(a)
            vals = v.tolist()  # b, n, o: the Python values as they are (numbers as float)
            if a.kind == "t":
                texts = interner.texts
                vals = [texts[c] if c >= 0 else None for c in vals]
            elif a.kind == "d":
                vals = [_dt.date.fromordinal(max(d, 1)) for d in vals]
            if k is not None:
                vals = [x if kk else UNKNOWN for x, kk in zip(vals, k.tolist())]
            columns.append(vals)
        raw = [fn(*row) for row in zip(*columns)]
        if kind == "b":  # the common case (membership, comparisons): no per-value encoding
            known = np.fromiter((r is True or r is False for r in raw), dtype=bool, count=n)
            values = np.fromiter((r is True for r in raw), dtype=bool, count=n)
            return Col("b", values, None if known.all() else known, all(a.exact for a in args))
        col, unfit = _from_results(kind, raw, interner)
        exact = all(a.exact for a in args) and unfit is None
        return Col(kind, col.values, col.known, exact)


def _member(value: Any, items: Any) -> Any:
    """``logic.in_`` for a list read from the facts (its items are never unknown)."""
    if value is UNKNOWN or items is UNKNOWN:
        return UNKNOWN
    if isinstance(items, tuple):  # a fact's list: its items are never unknown
        return value in items
    return py_in(value, items)


def _from_results(kind: str, raw: list, interner) -> tuple[Col, Any]:
    from tildeling.evaluation.columnar.columns import column_from_values
    return column_from_values(kind, raw, interner)


def _kleene_known(ka, kb, decisive_a, decisive_b):
    """Known rows of ``a and b`` (decisive: ``not v``) or ``a or b`` (decisive: ``v``):
    both known, or one known and decisive (None: every row)."""
    if ka is None:
        return kb | decisive_a
    if kb is None:
        return ka | decisive_b
    return (ka & kb) | (ka & decisive_a) | (kb & decisive_b)


def _literal_kind(value: Any) -> str:
    import datetime as _dt
    if isinstance(value, bool):
        return "b"
    if isinstance(value, (int, float)):
        return "n"
    if isinstance(value, str):
        return "t"
    if isinstance(value, _dt.date):
        return "d"
    return "o"
