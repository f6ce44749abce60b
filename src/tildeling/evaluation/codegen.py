"""Compile a *checked* expression to a Python function — the speed path.

:func:`compile_expression_source` generates the text of one Python expression that
evaluates to ``lambda env: …``; :func:`compile_expression` compiles it with
``compile(src, "<tildeling NAME>", "eval")`` and evaluates it with a restricted globals
dict that holds only our helpers (``__builtins__`` is ``{}``).

Safety: every identifier in the generated code is ours (``env``, ``U``, ``_t3``, ``_f_mean``,
…). Fact paths, parameter keys and literal values enter the code *only* through ``repr()``
of the AST value (``str``, ``int``, ``float``, ``bool``; a date through ``repr()`` of its
year, month and day), so a string such as ``"); __import__('os`` stays data. Function
names come from our table, never from the AST text.

Speed: facts are read inline with ``env.get(key, U)``; temporaries are walrus-bound; UNKNOWN
is tested with ``is U``; Kleene ``and``/``or``/``not``, comparisons (including the IPLOS-9
rule) and arithmetic are inlined. Only function calls, ``in`` over non-literal lists and
``if`` with an UNKNOWN condition call helpers. Definitions are inlined from ``symbol.expr``.

The semantics are exactly those of :func:`tildeling.language.interpreter.interpret` (same value, same
UNKNOWN-ness), which the property tests check.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Callable, Mapping

from tildeling.core.errors import ExpressionError
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.language.expressions import Binary, Call, Conditional, Expr, ListLiteral, Literal, Name, Unary
from tildeling.language.functions import FUNCTIONS
from tildeling.language.functions import lookup as lookup_function
from tildeling.language.functions import bounded_operand, domain
from tildeling.language.logic import INF, NINF, UNKNOWN, Bounds, compare_bounds, conditional_unknown, derived_rest, divide, in_
from tildeling.language.scope import Scope
from tildeling.language.typecheck import annotate
from tildeling.language.types import Kind, Type

_ORDERING = ("<", "<=", ">", ">=")
_COMPARE = ("==", "!=") + _ORDERING
# Branches of an ``if`` shorter than this are duplicated in the generated code (faster);
# longer ones are evaluated once into temporaries (keeps the code linear in size).
_DUPLICATE_LIMIT = 240


def _helpers() -> dict[str, object]:
    g: dict[str, object] = {
        "__builtins__": {},
        "U": UNKNOWN,
        "_NINF": NINF,
        "_INF": INF,
        "_cmpb": compare_bounds,
        "_Bounds": Bounds,
        "_date": _dt.date,
        "_float": float,
        "_in": in_,
        "_div": divide,
        "_ifu": conditional_unknown,
        "_dv": derived_rest,
    }
    for fn in FUNCTIONS.values():
        g["_f_" + fn.name] = fn.impl
        if fn.bounds is not None:
            g["_b_" + fn.name] = fn.bounds
    return g


class _Generator:
    def __init__(self, scope: Scope, types: Mapping[int, Type], *, derive: bool = True):
        self.scope = scope
        self.types = types
        # With ``derive`` false a derived fact is read like any fact (unknown when not given):
        # the whole-tree fast path, which hands every unknown condition to the walker (whose
        # conditions do derive). Kleene logic is monotone, so a condition decided without a
        # derived value is decided the same with it; only known()/missing() are not, and
        # they always derive.
        self.derive = derive
        self.counter = 0
        self.constants: list[str] = []  # source of hoisted constants (_k0, _k1, …)
        self.active: list[str] = []  # definitions being inlined (cycle guard)
        self.capture: dict[int, str] = {}  # aggregate call → temporary holding its arguments

    def temp(self) -> str:
        self.counter += 1
        return f"_t{self.counter}"

    def constant(self, source: str) -> str:
        name = f"_k{len(self.constants)}"
        self.constants.append(source)
        return name

    def is_iplos(self, node: Expr) -> bool:
        t = self.types.get(id(node))
        return t is not None and t.kind is Kind.IPLOS

    # -- literals -------------------------------------------------------------------
    def literal(self, value: object) -> str:
        if isinstance(value, bool) or isinstance(value, (int, str)):
            return repr(value)
        if isinstance(value, float):
            if math.isfinite(value):
                return repr(value)
            return self.constant(f"_float({repr(repr(value))})")
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return self.constant(f"_date({value.year!r}, {value.month!r}, {value.day!r})")
        raise ExpressionError(keyed("error.cannot_compile_value", value=repr(value)))

    # -- guarded operations ---------------------------------------------------------
    # Most operations are "UNKNOWN if any non-literal operand is UNKNOWN, else BODY". They
    # are generated as a _Guarded so that a parent ``and``/``or`` can fuse the UNKNOWN test
    # into its own (see gen_binary), saving a temporary and a conditional.
    def guarded_parts(self, nodes: list[Expr], body: Callable[[list[str]], str],
                      extra: str | None = None) -> "_Guarded":
        assigns: list[tuple[str, str]] = []
        values: list[str] = []
        for n in nodes:
            if isinstance(n, Literal):
                values.append(self.literal(n.value))
            else:
                t = self.temp()
                assigns.append((t, self.gen(n)))
                values.append(t)
        g = _Guarded(assigns, body(values), extra.format(*values) if extra else None)
        g.values = dict(zip((id(n) for n in nodes), values))
        return g

    def guarded(self, nodes: list[Expr], body: Callable[[list[str]], str], extra: str | None = None) -> str:
        return self.guarded_parts(nodes, body, extra).plain()

    # -- the walk -----------------------------------------------------------------------
    def gen(self, node: Expr) -> str:
        if isinstance(node, Literal):
            return self.literal(node.value)
        if isinstance(node, Name):
            return self.gen_name(node)
        if isinstance(node, ListLiteral):
            return "(" + "".join(self.gen(i) + ", " for i in node.items) + ")"
        if isinstance(node, Unary):
            t = self.temp()
            if node.op == "not":
                return f"(U if ({t} := {self.gen(node.operand)}) is U else not {t})"
            if node.op == "-":
                return f"(U if ({t} := {self.gen(node.operand)}) is U else -{t})"
            raise ExpressionError(keyed("error.unknown_operator", op=node.op))
        if isinstance(node, Binary):
            return self.gen_binary(node)
        if isinstance(node, Call):
            return self.gen_call(node)
        if isinstance(node, Conditional):
            return self.gen_conditional(node)
        raise TypeError(f"not an expression node: {node!r}")

    def gen_name(self, node: Name) -> str:
        symbol = self.scope.lookup(node.path)
        if symbol is not None and symbol.kind == "definition":
            if symbol.expr is None:
                return "U"
            if node.path in self.active:
                raise ExpressionError(keyed("error.self_reference", path=node.path))
            self.active.append(node.path)
            try:
                return self.gen(symbol.expr)
            finally:
                self.active.pop()
        if symbol is not None and symbol.derived and self.derive:
            return self.gen_derived(node.path, symbol.derived)
        return f"env.get({node.path!r}, U)"

    def gen_derived(self, path: str, derived: tuple) -> str:
        """A fact with derivations: the given value, else the derivation chain (evaluated
        only when the fact is not given; the semantics of the interpreter's ``derive``)."""
        if path in self.active:
            raise ExpressionError(keyed("error.self_reference", path=path))
        self.active.append(path)
        try:
            chain = "U"
            for when, value in reversed(derived):
                c = self.temp()
                v = self.literal(value)
                cond = self.gen(when)
                if chain == "U":
                    chain = f"({v} if ({c} := {cond}) is True else U)"
                else:
                    # The rest is evaluated once, and only when the condition is not True.
                    chain = f"({v} if ({c} := {cond}) is True else _dv({c}, {v}, {chain}))"
        finally:
            self.active.pop()
        t = self.temp()
        return f"({t} if ({t} := env.get({path!r}, U)) is not U else {chain})"

    def gen_binary(self, node: Binary) -> str:
        op = node.op
        if op in ("and", "or"):
            parts = self.bool_parts(node.left)
            if parts is not None and parts.assigns and parts.extra is None:
                r = self.temp()
                right = self.gen(node.right)
                if op == "and":
                    # False if the left is known and false; otherwise the right decides,
                    # unless the left is UNKNOWN and the right is not False.
                    return (f"(False if {parts.known_assign()} and not ({parts.body}) else "
                            f"{r} if ({r} := {right}) is False or {parts.known_ref()} else U)")
                return (f"(True if {parts.known_assign()} and ({parts.body}) else "
                        f"{r} if ({r} := {right}) is True or {parts.known_ref()} else U)")
        if op == "and":
            l, r = self.temp(), self.temp()
            return (f"({l} if ({l} := {self.gen(node.left)}) is False else "
                    f"{r} if ({r} := {self.gen(node.right)}) is False or {l} is True else U)")
        if op == "or":
            l, r = self.temp(), self.temp()
            return (f"({l} if ({l} := {self.gen(node.left)}) is True else "
                    f"{r} if ({r} := {self.gen(node.right)}) is True or {l} is False else U)")
        if op in ("+", "-", "*"):
            return self.guarded([node.left, node.right], lambda v: f"{v[0]} {op} {v[1]}")
        if op == "/":
            right = node.right  # type: ignore[assignment]  # the name is reused: here the right operand's node
            if isinstance(right, Literal) and not isinstance(right.value, bool) and right.value == 0:
                return "U"
            if isinstance(right, Literal):
                return self.guarded([node.left, node.right], lambda v: f"{v[0]} / {v[1]}")
            return self.guarded([node.left, node.right], lambda v: f"{v[0]} / {v[1]}", extra="{1} == 0")
        if op == "in":
            return self.gen_in(node)
        if op in _COMPARE:
            return self.gen_compare(node)
        raise ExpressionError(keyed("error.unknown_operator", op=op))

    def bool_parts(self, node: Expr) -> "_Guarded | None":
        """The guarded form of a comparison or ``in`` (a bool when its operands are known)."""
        if isinstance(node, Binary):
            if node.op in _COMPARE:
                if self.bounded(node) is not None:
                    return None  # the bounds fallback does not fit the fused form
                return self.compare_parts(node)
            if node.op == "in" and not (isinstance(node.right, ListLiteral)
                                        and not all(isinstance(i, Literal) for i in node.right.items)):
                return self.in_parts(node)
        return None

    def gen_compare(self, node: Binary) -> str:
        return self.compare_parts(node).plain() if self.bounded(node) is None else self.bounded_compare(node)

    def bounded(self, node: Binary) -> tuple | None:
        """Per operand, what bounds it can have when unknown (see functions.bounded_operand),
        or None when neither has any. A fact's bounds are kept only when they can decide the
        comparison with its literal (else the fallback would be UNKNOWN anyway)."""
        sides = []
        for side, other in ((node.left, node.right), (node.right, node.left)):
            target = bounded_operand(side, other, self.scope, self.is_iplos)
            if isinstance(target, Bounds):
                assert isinstance(other, Literal)
                lip, rip = self.is_iplos(node.left), self.is_iplos(node.right)
                pair = (target, other.value) if side is node.left else (other.value, target)
                if compare_bounds(node.op, pair[0], pair[1], lip, rip) is UNKNOWN:
                    target = None
            sides.append(target)
        return None if sides == [None, None] else tuple(sides)

    def bounded_compare(self, node: Binary) -> str:
        """The fast comparison when both operands are known, else what the bounds of the
        unknown ones decide (logic.compare_bounds). An aggregate's arguments are kept in a
        temporary so that its bounds reuse them."""
        targets = self.bounded(node)
        assert targets is not None
        # One temporary per distinct call (``d == d`` inlines one definition twice: the
        # temporary is then bound twice to the same arguments).
        calls = {id(t): t for t in targets if isinstance(t, Call)}
        # A comparison nested in an operand (``d < count(0 == d)``) may capture the same call:
        # it gets its own temporary and gives the outer one back when it is done.
        outer = {cid: self.capture.get(cid) for cid in calls}
        for cid in calls:
            self.capture[cid] = self.temp()
        try:
            parts = self.compare_parts(node)
        finally:
            captured = {cid: self.capture[cid] for cid in calls}
            for cid, previous in outer.items():
                if previous is None:
                    del self.capture[cid]
                else:
                    self.capture[cid] = previous
        fallback = []
        for side, target in zip((node.left, node.right), targets):
            value = parts.values[id(side)]
            if isinstance(target, Call):
                fn = lookup_function(target.func)
                assert fn is not None
                mask = "".join(repr(self.is_iplos(a)) + ", " for a in target.args)
                doms = self.constant("(" + "".join(
                    f"({_number(lo)}, {_number(hi)}), "
                    for lo, hi in (domain(a, self.types.get(id(a)), self.scope) for a in target.args)) + ")")
                value = f"(_b_{fn.name}({captured[id(target)]}, ({mask}), {doms}) if {value} is U else {value})"
            elif isinstance(target, Bounds):
                bounds = self.constant(f"_Bounds({_number(target.lo)}, {_number(target.hi)})")
                value = f"({bounds} if {value} is U else {value})"
            fallback.append(value)
        lip, rip = self.is_iplos(node.left), self.is_iplos(node.right)
        slow = f"_cmpb({node.op!r}, {fallback[0]}, {fallback[1]}, {lip!r}, {rip!r})"
        if not parts.assigns:
            return f"({parts.body})"
        # ``&`` evaluates both tests, so both temporaries are bound for the fallback.
        known = " & ".join(f"(({t} := {code}) is not U)" for t, code in parts.assigns)
        return f"({parts.body} if {known} else {slow})"

    def compare_parts(self, node: Binary) -> "_Guarded":
        op = node.op
        left_ip = op in _ORDERING and self.is_iplos(node.left)
        right_ip = op in _ORDERING and self.is_iplos(node.right)
        if not (left_ip or right_ip):
            return self.guarded_parts([node.left, node.right], lambda v: f"{v[0]} {op} {v[1]}")
        # IPLOS ordering with a finite numeric literal on the other side: inline the 9 rule.
        if left_ip != right_ip:
            lit = node.right if left_ip else node.left
            if (isinstance(lit, Literal) and isinstance(lit.value, (int, float))
                    and not isinstance(lit.value, bool) and (isinstance(lit.value, int) or math.isfinite(lit.value))):
                subject = node.left if left_ip else node.right
                # rank(9) = -inf: the result for a 9 is fixed by the operator and the side.
                when_nine = op in ("<", "<=") if left_ip else op in (">", ">=")
                joiner = "==" if when_nine else "!="
                glue = "or" if when_nine else "and"

                def body(v: list[str]) -> str:
                    s, c = v
                    cmp = f"{s} {op} {c}" if left_ip else f"{c} {op} {s}"
                    return f"{s} {joiner} 9 {glue} {cmp}"

                return self.guarded_parts([subject, lit], body)

        def ranked(v: list[str]) -> str:
            a = f"(_NINF if {v[0]} == 9 else {v[0]})" if left_ip else v[0]
            b = f"(_NINF if {v[1]} == 9 else {v[1]})" if right_ip else v[1]
            return f"{a} {op} {b}"

        return self.guarded_parts([node.left, node.right], ranked)

    def gen_in(self, node: Binary) -> str:
        right = node.right
        if isinstance(right, ListLiteral) and not all(isinstance(i, Literal) for i in right.items):
            return f"_in({self.gen(node.left)}, {self.gen(right)})"
        return self.in_parts(node).plain()

    def in_parts(self, node: Binary) -> "_Guarded":
        right = node.right
        if isinstance(right, ListLiteral):
            if all(isinstance(i, Literal) for i in right.items):
                items = [self.literal(i.value) for i in right.items]  # type: ignore[union-attr]
                hashable = all(isinstance(i.value, (str, int, float)) for i in right.items)  # type: ignore[union-attr]
                if not items:
                    container = "()"
                elif hashable:  # a constant set display: CPython folds it into a frozenset
                    container = "{" + ", ".join(items) + "}"
                else:
                    container = "(" + "".join(i + ", " for i in items) + ")"
                return self.guarded_parts([node.left], lambda v: f"{v[0]} in {container}")
        return self.guarded_parts([node.left, node.right], lambda v: f"{v[0]} in {v[1]}")

    def gen_call(self, node: Call) -> str:
        fn = lookup_function(node.func)
        if fn is None:
            raise ExpressionError(keyed("error.unknown_function", name=node.func))
        if fn.name in ("known", "missing") and len(node.args) == 1 and isinstance(node.args[0], Literal):
            return repr(fn.name == "known")  # a literal is always known
        # A temporary keeps the operand from being a constant expression (``(0 + 0) is U``
        # makes Python warn about identity tests on literals).
        if fn.name in ("known", "missing") and len(node.args) == 1:
            t = self.temp()
            derive, self.derive = self.derive, True  # not monotone: must see derived values
            try:
                arg = self.gen(node.args[0])
            finally:
                self.derive = derive
            return f"(({t} := {arg}) {'is not' if fn.name == 'known' else 'is'} U)"
        args = "".join(self.gen(a) + ", " for a in node.args)
        mask = "".join(repr(self.is_iplos(a)) + ", " for a in node.args)
        keep = self.capture.get(id(node))
        if keep is not None:
            return f"_f_{fn.name}(({keep} := ({args})), ({mask}))"
        return f"_f_{fn.name}(({args}), ({mask}))"

    def gen_conditional(self, node: Conditional) -> str:
        c = self.temp()
        cond = self.gen(node.cond)
        then = self.gen(node.then)
        otherwise = self.gen(node.otherwise)
        if len(then) + len(otherwise) <= _DUPLICATE_LIMIT:
            return (f"({then} if ({c} := {cond}) is True else {otherwise} if {c} is False "
                    f"else _ifu({then}, {otherwise}))")
        # Evaluate each branch at most once: then unless the condition is False, else
        # unless it is True; the tuple only sequences the two assignments.
        t, e = self.temp(), self.temp()
        return (f"((({t} := {then}) if ({c} := {cond}) is not False else None, "
                f"({e} := {otherwise}) if {c} is not True else None) and "
                f"({t} if {c} is True else {e} if {c} is False else _ifu({t}, {e})))")


def _number(value: float) -> str:
    """A domain end as code (``inf`` has no literal)."""
    if value == INF:
        return "_INF"
    if value == NINF:
        return "-_INF"
    return repr(value)


class _Guarded:
    """``U if <a non-literal operand is U> [or <extra>] else <body>``, kept in parts."""

    def __init__(self, assigns: list[tuple[str, str]], body: str, extra: str | None):
        self.assigns = assigns  # (temporary, code) per non-literal operand, in order
        self.body = body
        self.extra = extra      # a further UNKNOWN condition on the operands (``b == 0``)
        self.values: dict[int, str] = {}  # id(operand node) → its temporary or literal code

    def plain(self) -> str:
        checks = [f"({t} := {code}) is U" for t, code in self.assigns]
        if self.extra is not None:
            checks.append(self.extra)
        if not checks:
            return f"({self.body})"
        return f"(U if {' or '.join(checks)} else {self.body})"

    def known_assign(self) -> str:
        """True when every operand is known (assigning the temporaries on the way)."""
        return " and ".join(f"({t} := {code}) is not U" for t, code in self.assigns)

    def known_ref(self) -> str:
        """The same test after ``known_assign`` ran (short-circuits like it did)."""
        return " and ".join(f"{t} is not U" for t, _ in self.assigns)


def compile_expression_source(expr: Expr, scope: Scope, *, types: Mapping[int, Type] | None = None) -> str:
    """The Python source (an ``eval`` expression evaluating to ``lambda env: …``)."""
    if types is None:
        types = annotate(expr, scope)
    gen = _Generator(scope, types)
    body = gen.gen(expr)
    source = f"lambda env: {body}"
    if gen.constants:
        params = ", ".join(f"_k{i}" for i in range(len(gen.constants)))
        source = f"(lambda {params}: {source})({', '.join(gen.constants)})"
    return source


def compile_expression(expr: Expr, scope: Scope, *, name: str = "<uttrykk>",
                       types: Mapping[int, Type] | None = None) -> Callable[[Mapping], object]:
    """Compile a checked expression to ``f(env) -> value`` (UNKNOWN for unknown)."""
    source = compile_expression_source(expr, scope, types=types)
    try:
        code = compile(source, f"<tildeling {name}>", "eval")
    except (RecursionError, MemoryError, SyntaxError) as exc:  # pathological nesting
        raise ExpressionError(keyed("error.too_complex", name=name, reason=type(exc).__name__)) from None
    fn = eval(code, _helpers())  # noqa: S307 - our own generated code, restricted globals
    fn.__tildeling_source__ = source
    return fn


# For callers that generate larger functions around several conditions (tildeling.evaluation.compiler):
# ``ExpressionGenerator(scope, types)`` with ``.gen(expr)`` (code of one expression that reads
# ``env``), ``.temp()`` (a fresh temporary) and ``.constants`` (hoisted constants ``_k0``, …,
# to be bound around the final lambda as compile_expression_source does), and
# ``helper_globals()`` (the restricted globals the code needs).
ExpressionGenerator = _Generator
helper_globals = _helpers


# Functions that give a known value whenever every argument is known (of its checked type).
# ``mean`` and ``count`` over known arguments are also inlined (see TwoValuedGenerator).
_TOTAL = frozenset(("mean", "min", "max", "sum", "count", "any", "all", "age", "days_between"))


class TwoValuedGenerator(_Generator):
    """Code for the two-valued fast path (:mod:`tildeling.evaluation.fastpath`): every fact
    an expression reads is known, held in a local variable, and every definition is computed
    once per case into a local. ``fact_local(path)`` and ``definition_local(symbol)`` give
    those locals' names (the caller reads the facts and computes the definitions first);
    ``given(path)`` says whether a name is known whenever the code runs (a fact of the
    vocabulary, a parameter) or may still be UNKNOWN (a name bound only for some cases, such
    as ``søkt.deler``).

    A node that cannot be UNKNOWN when every fact is known (:meth:`sure`) is generated
    without UNKNOWN tests: plain Python ``and``/``or``/``not`` and comparisons. A node that
    can (a division by a fact, a function over histories) keeps the three-valued code, and an
    UNKNOWN that reaches a rule's condition sends the service to the exact three-valued path.
    Kleene logic is monotone, so leaving out the bounds of unknown operands (which only ever
    turn an UNKNOWN into a value) changes no value this path decides.

    ``known()``/``missing()`` are not monotone: their arguments are generated as in
    :class:`ExpressionGenerator` (read from ``env``, derived facts derived).
    """

    def __init__(self, scope: Scope, types: Mapping[int, Type], fact_local: Callable[[str], str],
                 definition_local: Callable[[object], str], given: Callable[[str], bool]):
        super().__init__(scope, types, derive=False)
        self.fact_local = fact_local
        self.given = given  # the names every case decided here gives (the others may be UNKNOWN)
        self.definition_local = definition_local
        self.raw = 0  # > 0 inside known()/missing(): the three-valued generator's code
        self._sure: dict[int, bool] = {}

    def retarget(self, scope: Scope, types: Mapping[int, Type]) -> None:
        """Generate for another service (its scope and types) into the same function."""
        self.scope, self.types = scope, types
        self._sure.clear()

    def sure(self, node: Expr) -> bool:
        """True when ``node`` is never UNKNOWN once every fact it reads is known."""
        if self.raw:
            return False
        found = self._sure.get(id(node))
        if found is None:
            found = self._sure[id(node)] = self._is_sure(node)
        return found

    def _is_sure(self, node: Expr) -> bool:
        if isinstance(node, Literal):
            return True
        if isinstance(node, Name):
            symbol = self.scope.lookup(node.path)
            if symbol is not None and symbol.kind == "definition":
                return symbol.expr is not None and node.path not in self.active and self._definition_sure(node.path, symbol)
            return self.given(node.path)  # a fact or a parameter (known here), or a bound name
        if isinstance(node, ListLiteral):
            return all(self.sure(i) for i in node.items)
        if isinstance(node, Unary):
            return node.op in ("not", "-") and self.sure(node.operand)
        if isinstance(node, Binary):
            if node.op == "/":
                right = node.right
                return (isinstance(right, Literal) and not isinstance(right.value, bool) and right.value != 0
                        and self.sure(node.left))
            return self.sure(node.left) and self.sure(node.right)
        if isinstance(node, Call):
            fn = lookup_function(node.func)
            if fn is None:
                return False
            if fn.name in ("known", "missing"):
                return True
            return fn.name in _TOTAL and all(self.sure(a) for a in node.args)
        if isinstance(node, Conditional):
            return self.sure(node.cond) and self.sure(node.then) and self.sure(node.otherwise)
        return False

    def _definition_sure(self, path: str, symbol) -> bool:
        self.active.append(path)
        try:
            return self.sure(symbol.expr)
        finally:
            self.active.pop()

    # -- overrides: the same code as the three-valued generator, less the UNKNOWN tests ----
    def gen_name(self, node: Name) -> str:
        if self.raw:
            return super().gen_name(node)
        symbol = self.scope.lookup(node.path)
        if symbol is not None and symbol.kind == "definition":
            if symbol.expr is None:
                return "U"
            if node.path in self.active:
                raise ExpressionError(keyed("error.self_reference", path=node.path))
            return self.definition_local(symbol)
        return self.fact_local(node.path)

    def definition_code(self, symbol) -> str:
        """The code computing a definition's value (its own definitions already computed)."""
        self.active.append(symbol.path)
        try:
            return self.gen(symbol.expr)
        finally:
            self.active.pop()

    def guarded_parts(self, nodes: list[Expr], body: Callable[[list[str]], str],
                      extra: str | None = None) -> "_Guarded":
        if self.raw:
            return super().guarded_parts(nodes, body, extra)
        probe = body([f"\x00{i}\x00" for i in range(len(nodes))])
        assigns: list[tuple[str, str]] = []
        values: list[str] = []
        for i, n in enumerate(nodes):
            if isinstance(n, Literal):
                values.append(self.literal(n.value))
                continue
            code = self.gen(n)
            if self.sure(n) and (code.isidentifier() or probe.count(f"\x00{i}\x00") <= 1):
                values.append(code)  # never UNKNOWN, used once (or a local): no temporary, no test
            else:
                t = self.temp()
                assigns.append((t, code))
                values.append(t)
        g = _Guarded(assigns, body(values), extra.format(*values) if extra else None)
        g.values = dict(zip((id(n) for n in nodes), values))
        return g

    def bounded(self, node: Binary) -> tuple | None:
        if self.raw:
            return super().bounded(node)
        return None  # bounds only ever decide an UNKNOWN operand: the exact path does that

    def gen(self, node: Expr) -> str:
        if self.raw or not self.sure(node):
            return super().gen(node)
        if isinstance(node, Unary):
            return f"(not {self.gen(node.operand)})" if node.op == "not" else f"(-{self.gen(node.operand)})"
        if isinstance(node, Binary) and node.op in ("and", "or"):
            return f"({self.gen(node.left)} {node.op} {self.gen(node.right)})"
        if isinstance(node, Conditional):
            return f"({self.gen(node.then)} if {self.gen(node.cond)} else {self.gen(node.otherwise)})"
        if isinstance(node, Call):
            return self.gen_sure_call(node)
        return super().gen(node)

    def gen_sure_call(self, node: Call) -> str:
        fn = lookup_function(node.func)
        assert fn is not None
        if fn.name in ("known", "missing"):
            self.raw += 1
            try:
                return super().gen_call(node)
            finally:
                self.raw -= 1
        if fn.name == "mean" and not any(self.is_iplos(a) for a in node.args):
            # _mean over known, non-IPLOS arguments: sum(args) / len(args), as written there.
            return f"(_sum(({''.join(self.gen(a) + ', ' for a in node.args)})) / {len(node.args)})"
        if fn.name == "count":
            # _count over known booleans: how many are True (an int, as there).
            return "(0 + " + " + ".join(f"({self.gen(a)} is True)" for a in node.args) + ")"
        return super().gen_call(node)


def two_valued_helpers() -> dict[str, object]:
    """The restricted globals of two-valued code (the three-valued helpers and ``sum``)."""
    g = _helpers()
    g["_sum"] = sum
    return g
