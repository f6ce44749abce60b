"""Static checking of expressions against a :class:`~tildeling.language.scope.Scope`.

:func:`check_expression` resolves every name, infers the type of every node and collects
*all* problems as :class:`~tildeling.core.diagnostics.Diagnostic` s (it never stops at the first
and never raises on a malformed AST). Codes:

``unknown-name``, ``unknown-function``, ``wrong-arity``, ``type-mismatch``,
``unknown-value`` (a string literal that is not one of a ``valg`` fact's values),
``value-out-of-domain`` (warning: a numeric literal outside a declared range or the IPLOS
values 1–5, 9), ``iplos-not-relevant-order`` (warning: ``< <= > >=`` against the literal 9,
which is always false/true because 9 ranks below every score), ``unknown-operator`` and
``expression-too-complex`` (ASTs built by hand only), ``number-out-of-range`` /
``number-not-finite`` (a numeric literal beyond ±10^15 or not finite) and ``division-by-zero``
(division by a literal zero, which would make the expression always unknown).

Static kinds also drive *runtime* semantics (IPLOS 9 ranks below every score only for
operands whose static kind is IPLOS; ``min``/``max``/``mean`` skip 9s of IPLOS arguments),
so :func:`annotate` returns the inferred :class:`~tildeling.language.types.Type` of every node as a
``dict`` keyed by ``id(node)``, covering the bodies of all definitions the expression
reaches. The interpreter and the code generator consult it; a node without an entry is
treated as "not IPLOS". The ids are valid as long as the AST and the scope are alive
(both hold references to every node).
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Iterable

from tildeling.core.diagnostics import Diagnostic, make, suggest
from tildeling.core.numbers import number_problem
from tildeling.i18n.diagnostic_messages import CATALOGUE, Either, Phrase, phrase, phrase_n
from tildeling.language.expressions import Binary, Call, Conditional, Expr, ListLiteral, Literal, Name, Unary
from tildeling.language.functions import all_spellings
from tildeling.language.functions import lookup as lookup_function
from tildeling.language.history import RESULTS
from tildeling.language.scope import Scope
from tildeling.language.types import BOOL, DATE, IPLOS_NOT_RELEVANT, IPLOS_VALUES, NUMBER, TEXT, Kind, Type

COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
ORDERING = frozenset({"<", "<=", ">", ">="})
ARITHMETIC = frozenset({"+", "-", "*", "/"})
LOGICAL = frozenset({"and", "or"})
NUMERIC = frozenset({Kind.NUMBER, Kind.IPLOS})

_NODE_TYPES = (Literal, ListLiteral, Name, Unary, Binary, Call, Conditional)

_IPLOS_HINT = Phrase("types.iplos_ordinal.hint")


def _either(kinds: Iterable[Kind]) -> Either:
    """«tall eller ja/nei» in the reader's language."""
    return Either(tuple(sorted(kinds, key=lambda k: k.value)), "chain")


def _show_number(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def literal_type(value: object) -> Type | None:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return DATE
    return None


class _Checker:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.diags: list[Diagnostic] = []
        self.types: dict[int, Type] = {}

    # -- helpers ----------------------------------------------------------------------
    def error(self, code: str, key: str, node: object, *, hint: Phrase | None = None,
              severity: str = "error", **args) -> None:
        """Record a problem at ``node``; ``key``/``args`` name its text in the catalogue."""
        span = getattr(node, "span", None)
        self.diags.append(make(code, severity, key, span, hint_key=hint, **args))  # type: ignore[arg-type]

    def mismatch(self, node: object, key: str, *, hint: Phrase | None = None, **args) -> None:
        self.error("type-mismatch", key, node, hint=hint, **args)

    def require(self, node: Expr, t: Type | None, kinds: Iterable[Kind], what: Phrase) -> bool:
        """Report a mismatch if ``t`` (known) is not one of ``kinds``."""
        kinds = frozenset(kinds)
        if t is None or t.kind in kinds:
            return True
        if t.kind is Kind.IPLOS and kinds <= {Kind.NUMBER}:
            self.mismatch(node, "types.iplos_ordinal", hint=_IPLOS_HINT, what=what)
        else:
            self.mismatch(node, "types.must_be", what=what, wanted=_either(kinds), actual=t.kind)
        return False

    # -- the walk ---------------------------------------------------------------------
    def check(self, node: Expr) -> Type | None:
        t = self._check(node)
        if t is not None:
            self.types[id(node)] = t
        return t

    def _check(self, node: Expr) -> Type | None:
        if not isinstance(node, _NODE_TYPES):
            self.error("type-mismatch", "types.invalid_expression", node, node=type(node).__name__)
            return None
        if isinstance(node, Literal):
            t = literal_type(node.value)
            if t is None:
                self.mismatch(node, "types.invalid_literal", value=repr(node.value))
            elif t is NUMBER:
                problem = number_problem(node.value, getattr(node, "span", None))  # type: ignore[arg-type]
                if problem is not None:
                    self.diags.append(problem)
            return t
        if isinstance(node, Name):
            return self.check_name(node)
        if isinstance(node, ListLiteral):
            return self.check_list(node, None, None)
        if isinstance(node, Unary):
            return self.check_unary(node)
        if isinstance(node, Binary):
            return self.check_binary(node)
        if isinstance(node, Call):
            return self.check_call(node)
        return self.check_conditional(node)

    def check_name(self, node: Name) -> Type | None:
        path = node.path
        symbol = self.scope.lookup(path) if isinstance(path, str) else None
        if symbol is None:
            path_text = str(path)
            key = "types.unknown_parameter" if path_text.startswith("parameter.") else "types.unknown_name"
            found = suggest(path_text, self.scope.all_names()) if isinstance(path, str) else []
            hint = phrase("hint.did_you_mean", name=found[0]) if found else None
            self.error("unknown-name", key, node, hint=hint, name=path_text)
            return None
        return symbol.type

    def check_list(self, node: ListLiteral, left: Expr | None, left_type: Type | None) -> Type:
        """A list literal; with ``left`` it is the right operand of ``in``."""
        item_kind: Kind | None = None
        values: list[str] = []
        for item in node.items:
            t = self.check(item)
            if t is None:
                continue
            if isinstance(item, Literal) and isinstance(item.value, str):
                values.append(item.value)
            if left_type is not None:
                if not _comparable(left_type.kind, t.kind, "=="):
                    self.mismatch(item, "types.list_item", item=t.kind, left=left_type.kind)
                    continue
                self.check_literal_domain(left, left_type, item)
            elif item_kind is None:
                item_kind = t.kind
            elif not _comparable(item_kind, t.kind, "=="):
                self.mismatch(item, "types.list_mixed", first=item_kind, actual=t.kind)
        t = Type(Kind.LIST, tuple(values) if values and len(values) == len(node.items) else None)
        self.types[id(node)] = t
        return t

    def check_unary(self, node: Unary) -> Type | None:
        t = self.check(node.operand)
        if node.op == "not":
            self.require(node.operand, t, {Kind.BOOL}, phrase("types.operand_of", op="not"))
            return BOOL
        if node.op == "-":
            self.require(node.operand, t, {Kind.NUMBER}, phrase("types.operand_of", op="-"))
            return NUMBER
        self.error("unknown-operator", "types.unknown_operator", node, op=str(node.op))
        return None

    def check_binary(self, node: Binary) -> Type | None:
        op = node.op
        if op in LOGICAL:
            lt, rt = self.check(node.left), self.check(node.right)
            self.require(node.left, lt, {Kind.BOOL}, phrase("types.operand_of", op=op))
            self.require(node.right, rt, {Kind.BOOL}, phrase("types.operand_of", op=op))
            return BOOL
        if op in ARITHMETIC:
            lt, rt = self.check(node.left), self.check(node.right)
            ok = self.require(node.left, lt, {Kind.NUMBER}, phrase("types.operand_of", op=op))
            ok = self.require(node.right, rt, {Kind.NUMBER}, phrase("types.operand_of", op=op)) and ok
            if op == "/" and _is_literal_zero(node.right):
                self.error("division-by-zero", "types.division_by_zero", node.right)
            return NUMBER if ok else None  # None: no follow-up errors
        if op in COMPARISONS:
            lt, rt = self.check(node.left), self.check(node.right)
            if lt is None or rt is None:
                return BOOL
            if not _comparable(lt.kind, rt.kind, op):
                if lt.kind is Kind.BOOL and rt.kind is Kind.BOOL:
                    self.mismatch(node, "types.bool_order", op=op)
                else:
                    self.mismatch(node, "types.cannot_compare", left=lt.kind, right=rt.kind, op=op)
                return BOOL
            self.check_literal_domain(node.left, lt, node.right, op)
            self.check_literal_domain(node.right, rt, node.left, op)
            if op in ORDERING:
                self.check_ordering_domain(node, lt, rt)
            return BOOL
        if op == "in":
            lt = self.check(node.left)
            if lt is not None and lt.kind not in (Kind.TEXT, Kind.NUMBER, Kind.IPLOS):
                self.mismatch(node.left, "types.in_left", actual=lt.kind)
                lt = None
            if isinstance(node.right, ListLiteral):
                self.check_list(node.right, node.left, lt)
                return BOOL
            rt = self.check(node.right)
            if rt is None:
                return BOOL
            if rt.kind is not Kind.LIST:
                self.mismatch(node.right, "types.in_right", hint=Phrase("types.in_right.hint"), actual=rt.kind)
                return BOOL
            if lt is not None and lt.kind is not Kind.TEXT:
                self.mismatch(node.left, "types.in_text_list", actual=lt.kind)
                return BOOL
            if isinstance(node.left, Literal) and isinstance(node.left.value, str):
                self.check_text_value(node.right, rt, node.left)
            return BOOL
        # unknown operator: still look inside
        self.check(node.left)
        self.check(node.right)
        self.error("unknown-operator", "types.unknown_operator", node, op=str(op))
        return None

    def check_call(self, node: Call) -> Type | None:
        arg_types = [self.check(a) for a in node.args]
        fn = lookup_function(node.func) if isinstance(node.func, str) else None
        if fn is None:
            found = suggest(str(node.func), all_spellings())
            if not found:  # function names are short: "maks" → "max"
                import difflib  # only for a misspelt name (cold start)

                found = difflib.get_close_matches(str(node.func).lower(), all_spellings(), n=1, cutoff=0.5)
            hint = (phrase("hint.did_you_mean", name=found[0]) if found
                    else phrase("types.known_functions", names=", ".join(all_spellings())))
            self.error("unknown-function", "types.unknown_function", node, hint=hint, name=str(node.func))
            return None
        n = len(node.args)
        if n < fn.min_args or (fn.max_args is not None and n > fn.max_args):
            arity = phrase_n("types.takes_arguments", fn.min_args if fn.max_args is None else fn.max_args,
                             arity=phrase("types.arity_at_least", n=fn.min_args) if fn.max_args is None else fn.arity_text())
            hint = Phrase(f"fn.{fn.name}") if f"fn.{fn.name}" in CATALOGUE else phrase("text", text=fn.description)
            self.error("wrong-arity", "types.wrong_arity", node, hint=hint, name=fn.name, arity=arity, count=n)
        kinds: list[Kind] = []
        for arg, t in zip(node.args, arg_types):
            if t is None:
                continue
            if t.kind not in fn.arg_kinds:
                if t.kind is Kind.IPLOS and Kind.NUMBER in fn.arg_kinds:
                    self.mismatch(arg, "types.iplos_ordinal", hint=_IPLOS_HINT, what=f"«{fn.name}»")
                else:
                    self.mismatch(arg, "types.function_args", name=fn.name, wanted=_either(fn.arg_kinds),
                                  actual=t.kind)
                continue
            kinds.append(t.kind)
        if fn.history is not None and len(node.args) == 2:
            self.check_history_call(fn.name, fn.history, node.args, arg_types)
        return fn.result(kinds)

    def check_history_call(self, name: str, wanted: str, args: tuple, arg_types: list) -> None:
        """``resultat(tjenester.forsøkt, "korttidsopphold")``: a ``historikk`` first, and a
        second argument that is one of its service ids (or one of the results)."""
        history, value = arg_types
        if history is not None and not history.history:
            self.mismatch(args[0], "types.history_arg", name=name)
            return
        if isinstance(args[1], Literal) and isinstance(args[1].value, str):
            values = RESULTS if wanted == "result" else (history.values if history is not None else None)
            if values:
                self.check_text_value(args[0] if wanted == "service" else args[1], Type(Kind.TEXT, tuple(values)),
                                      args[1])

    def check_conditional(self, node: Conditional) -> Type | None:
        ct = self.check(node.cond)
        self.require(node.cond, ct, {Kind.BOOL}, Phrase("types.if_condition"))
        tt, et = self.check(node.then), self.check(node.otherwise)
        if tt is None or et is None:
            return tt or et
        if tt.kind is not et.kind:
            self.mismatch(node.otherwise, "types.if_branches", then=tt.kind, otherwise=et.kind)
            return tt
        return tt if tt == et else Type(tt.kind)

    # -- domain checks ----------------------------------------------------------------
    def check_literal_domain(self, subject: Expr | None, subject_type: Type | None, other: Expr,
                             op: str = "==") -> None:
        """``subject op other`` where ``other`` may be a literal outside ``subject``'s domain."""
        if subject is None or subject_type is None or not isinstance(other, Literal):
            return
        if isinstance(subject, Literal):
            return
        value = other.value
        if isinstance(value, str):
            self.check_text_value(subject, subject_type, other)
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        name = _describe(subject)
        if subject_type.kind is Kind.IPLOS:
            if op in ORDERING:
                if value == 9:
                    always = Phrase("word.false" if op in (">", ">=") else "word.true")
                    self.error("iplos-not-relevant-order", "types.iplos_9_order", other,
                               hint=Phrase("types.iplos_9_order.hint"), severity="warning",
                               op=op, always=always, name=name)
                return
            if value not in IPLOS_VALUES:
                self.error("value-out-of-domain", "types.iplos_value", other, severity="warning",
                           value=_show_number(value), name=name)
            return
        if subject_type.kind is not Kind.NUMBER or op not in ("==", "!="):
            return
        lo, hi = subject_type.minimum, subject_type.maximum
        outside = (lo is not None and value < lo) or (hi is not None and value > hi)
        not_whole = subject_type.integer and isinstance(value, float) and not (math.isfinite(value) and value.is_integer())
        if outside or not_whole:
            rng = f"{_show_number(lo) if lo is not None else '−∞'}–{_show_number(hi) if hi is not None else '∞'}"
            extra = Phrase("types.whole_numbers") if subject_type.integer else ""
            self.error("value-out-of-domain", "types.out_of_range", other, severity="warning",
                       value=_show_number(value), name=name, range=rng, extra=extra,
                       always=Phrase("word.false" if op == "==" else "word.true"))

    def check_text_value(self, subject: Expr, subject_type: Type, literal: Literal) -> None:
        values = subject_type.values
        if not values or subject_type.kind not in (Kind.TEXT, Kind.LIST) or not isinstance(literal.value, str):
            return
        if literal.value in values:
            return
        found = suggest(literal.value, values)
        hint = (phrase("hint.did_you_mean", name=found[0]) if found
                else phrase("types.valid_values", values=", ".join(f"«{v}»" for v in values)))
        self.error("unknown-value", "types.unknown_value", literal, hint=hint, value=literal.value,
                   name=_describe(subject))


    def check_ordering_domain(self, node: Binary, lt: Type, rt: Type) -> None:
        """``< <= > >=`` between a fact (or any typed expression) and a number literal that the
        declared domain decides: ``søker.alder > 200`` is always false when ages run 0–120,
        ``funksjon.egen_helse >= 6`` always false for an IPLOS score (1–5; 9 ranks below
        every score). A warning (``value-out-of-domain``), as for ``==``/``!=``; the literal 9
        against an IPLOS score is ``iplos-not-relevant-order``'s."""
        left, right = _number_literal(node.left), _number_literal(node.right)
        if right is not None and left is None:
            subject, t, value, literal, op = node.left, lt, right, node.right, node.op
        elif left is not None and right is None:
            subject, t, value, literal, op = node.right, rt, left, node.left, _MIRRORED[node.op]  # 200 < x ⇔ x > 200
        else:
            return
        if t.kind is Kind.IPLOS:
            if value == IPLOS_NOT_RELEVANT:
                return
            lo, hi = -math.inf, float(max(v for v in IPLOS_VALUES if v != IPLOS_NOT_RELEVANT))
        elif t.kind is Kind.NUMBER and (t.minimum is not None or t.maximum is not None):
            lo = t.minimum if t.minimum is not None else -math.inf
            hi = t.maximum if t.maximum is not None else math.inf
        else:
            return
        always = ordering_decided(op, value, lo, hi)
        if always is None:
            return
        word = Phrase("word.true" if always else "word.false")
        if t.kind is Kind.IPLOS:
            self.error("value-out-of-domain", "types.iplos_order_decided", literal, severity="warning",
                       value=_show_number(value), name=_describe(subject), always=word)
            return
        rng = f"{_show_number(lo) if lo != -math.inf else '−∞'}–{_show_number(hi) if hi != math.inf else '∞'}"
        self.error("value-out-of-domain", "types.order_decided", literal, severity="warning",
                   value=_show_number(value), name=_describe(subject), range=rng, always=word,
                   extra=Phrase("types.whole_numbers") if t.integer else "")


_MIRRORED = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def _number_literal(node: Expr) -> float | None:
    """The finite number a literal (``5``, ``-1``) stands for; ``None`` for anything else."""
    sign = 1
    if isinstance(node, Unary) and node.op == "-":
        sign, node = -1, node.operand
    if not isinstance(node, Literal):
        return None
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return sign * value


def ordering_decided(op: str, value: float, lo: float, hi: float) -> bool | None:
    """What ``x op value`` gives for every ``x`` in ``[lo, hi]``: ``True``/``False`` when the
    range decides it, ``None`` when it depends on ``x``.

    >>> ordering_decided(">", 200, 0, 120), ordering_decided("<=", 200, 0, 120), ordering_decided(">=", 67, 0, 120)
    (False, True, None)
    """
    if op == ">":
        return False if hi <= value else True if lo > value else None
    if op == ">=":
        return False if hi < value else True if lo >= value else None
    if op == "<":
        return False if lo >= value else True if hi < value else None
    if op == "<=":
        return False if lo > value else True if hi <= value else None
    return None



def _describe(node: Expr) -> str | Phrase:
    return f"«{node.path}»" if isinstance(node, Name) else Phrase("types.the_expression")


def _is_literal_zero(node: object) -> bool:
    """``0``, ``0.0``, ``-0`` or ``(-(0))`` written as a literal."""
    while isinstance(node, Unary) and node.op == "-":
        node = node.operand
    return (isinstance(node, Literal) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool) and node.value == 0)


def _comparable(a: Kind, b: Kind, op: str) -> bool:
    if a in NUMERIC and b in NUMERIC:
        return True
    if a is not b:
        return False
    if a in (Kind.DATE, Kind.TEXT):
        return True
    if a is Kind.BOOL:
        return op in ("==", "!=")
    return False


def _too_complex(expr: object) -> Diagnostic:
    return make("expression-too-complex", "error", "types.too_deep", getattr(expr, "span", None))


# --- public API --------------------------------------------------------------------------

def check_expression(expr: Expr, scope: Scope, *, expected: Kind | None = None) -> tuple[Type | None, list[Diagnostic]]:
    """Infer the type of ``expr`` and collect every problem.

    Returns ``(type, diagnostics)``; ``type`` is ``None`` only if it could not be inferred
    (an unknown name or function at the top). For a name the declared type of the fact or
    definition is returned, so domain information (``values``, ranges) is kept.
    """
    checker = _Checker(scope)
    try:
        t = checker.check(expr)
    except RecursionError:
        return None, checker.diags + [_too_complex(expr)]
    if expected is not None and t is not None and t.kind is not expected:
        checker.mismatch(expr, "types.expected", expected=expected, actual=t.kind)
    return t, checker.diags


def annotate(expr: Expr, scope: Scope) -> dict[int, Type]:
    """The inferred type of every node, keyed by ``id(node)``.

    Covers ``expr`` and the bodies of every definition it reaches (transitively), since the
    interpreter evaluates and the code generator inlines them.
    """
    checker = _Checker(scope)
    seen: set[int] = set()
    todo: list[Expr] = [expr]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        try:
            checker.check(node)
        except RecursionError:
            continue
        for name in _names(node):
            symbol = scope.lookup(name.path)
            if symbol is not None and symbol.kind == "definition" and symbol.expr is not None:
                todo.append(symbol.expr)
            elif symbol is not None and symbol.derived:
                todo.extend(when for when, _ in symbol.derived)
    return checker.types


def _names(expr: Expr) -> list[Name]:
    out: list[Name] = []
    stack: list[object] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            out.append(node)
        elif isinstance(node, ListLiteral):
            stack.extend(node.items)
        elif isinstance(node, Unary):
            stack.append(node.operand)
        elif isinstance(node, Binary):
            stack.extend((node.left, node.right))
        elif isinstance(node, Call):
            stack.extend(node.args)
        elif isinstance(node, Conditional):
            stack.extend((node.cond, node.then, node.otherwise))
    return out


def fact_dependencies(expr: Expr, scope: Scope) -> frozenset[str]:
    """The fact paths ``expr`` depends on, transitively through definitions.

    Parameters are not facts; unknown names are ignored (they are reported by
    :func:`check_expression`). Definition cycles are tolerated.
    """
    facts: set[str] = set()
    seen_defs: set[str] = set()
    todo: list[Expr] = [expr]
    while todo:
        for name in _names(todo.pop()):
            symbol = scope.lookup(name.path)
            if symbol is None:
                continue
            if symbol.kind == "fact":
                facts.add(symbol.path)
            elif symbol.kind == "definition" and symbol.path not in seen_defs:
                seen_defs.add(symbol.path)
                if symbol.expr is not None:
                    todo.append(symbol.expr)
    return frozenset(facts)


__all__ = ["check_expression", "annotate", "fact_dependencies", "literal_type"]
