"""Static checking of expressions against a :class:`~tildeling.scope.Scope`.

:func:`check_expression` resolves every name, infers the type of every node and collects
*all* problems as :class:`~tildeling.diagnostics.Diagnostic` s (it never stops at the first
and never raises on a malformed AST). Codes:

``unknown-name``, ``unknown-function``, ``wrong-arity``, ``type-mismatch``,
``unknown-value`` (a string literal that is not one of a ``valg`` fact's values),
``value-out-of-domain`` (warning: a numeric literal outside a declared range or the IPLOS
values 1–5, 9), ``iplos-not-relevant-order`` (warning: ``< <= > >=`` against the literal 9,
which is always false/true because 9 ranks below every score), ``unknown-operator`` and
``expression-too-complex`` (ASTs built by hand only).

Static kinds also drive *runtime* semantics (IPLOS 9 ranks below every score only for
operands whose static kind is IPLOS; ``min``/``max``/``mean`` skip 9s of IPLOS arguments),
so :func:`annotate` returns the inferred :class:`~tildeling.types.Type` of every node as a
``dict`` keyed by ``id(node)``, covering the bodies of all definitions the expression
reaches. The interpreter and the code generator consult it; a node without an entry is
treated as "not IPLOS". The ids are valid as long as the AST and the scope are alive
(both hold references to every node).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
from typing import Iterable

from .diagnostics import Diagnostic, suggest
from .expressions import Binary, Call, Conditional, Expr, ListLiteral, Literal, Name, Unary
from .functions import all_spellings
from .functions import lookup as lookup_function
from .scope import Scope
from .types import BOOL, DATE, IPLOS_VALUES, NUMBER, TEXT, Kind, Type

COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
ORDERING = frozenset({"<", "<=", ">", ">="})
ARITHMETIC = frozenset({"+", "-", "*", "/"})
LOGICAL = frozenset({"and", "or"})
NUMERIC = frozenset({Kind.NUMBER, Kind.IPLOS})

_NODE_TYPES = (Literal, ListLiteral, Name, Unary, Binary, Call, Conditional)

_IPLOS_HINT = ("sammenlign skåren direkte (f.eks. «funksjon.husarbeid >= 3») "
               "eller bruk mean()/min()/max()")


def _label(kind: Kind) -> str:
    return Type(kind).label("nb")


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
    def error(self, code: str, message: str, node: object, hint: str | None = None,
              severity: str = "error") -> None:
        span = getattr(node, "span", None)
        self.diags.append(Diagnostic(code, severity, message, span, hint))  # type: ignore[arg-type]

    def mismatch(self, node: object, message: str, hint: str | None = None) -> None:
        self.error("type-mismatch", message, node, hint)

    def require(self, node: Expr, t: Type | None, kinds: Iterable[Kind], what: str) -> bool:
        """Report a mismatch if ``t`` (known) is not one of ``kinds``."""
        kinds = frozenset(kinds)
        if t is None or t.kind in kinds:
            return True
        wanted = " eller ".join(_label(k) for k in sorted(kinds, key=lambda k: k.value))
        if t.kind is Kind.IPLOS and kinds <= {Kind.NUMBER}:
            self.mismatch(node, f"IPLOS-skårer er ordinale og kan ikke regnes med ({what}).", _IPLOS_HINT)
        else:
            self.mismatch(node, f"{what[0].upper()}{what[1:]} må være {wanted}, men er {t.label()}.")
        return False

    # -- the walk ---------------------------------------------------------------------
    def check(self, node: Expr) -> Type | None:
        t = self._check(node)
        if t is not None:
            self.types[id(node)] = t
        return t

    def _check(self, node: Expr) -> Type | None:
        if not isinstance(node, _NODE_TYPES):
            self.error("type-mismatch", f"Ugyldig uttrykk ({type(node).__name__}).", node)
            return None
        if isinstance(node, Literal):
            t = literal_type(node.value)
            if t is None:
                self.mismatch(node, f"Ugyldig verdi «{node.value!r}».")
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
            if path_text.startswith("parameter."):
                message = f"Ukjent parameter «{path_text}»."
            else:
                message = f"Ukjent faktum eller definisjon «{path_text}»."
            found = suggest(path_text, self.scope.all_names()) if isinstance(path, str) else []
            hint = f"mente du «{found[0]}»?" if found else None
            self.error("unknown-name", message, node, hint)
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
                    self.mismatch(item, f"Listen inneholder {t.label()}, men venstre side av «in» er "
                                        f"{left_type.label()}.")
                    continue
                self.check_literal_domain(left, left_type, item)
            elif item_kind is None:
                item_kind = t.kind
            elif not _comparable(item_kind, t.kind, "=="):
                self.mismatch(item, f"Alle elementene i en liste må ha samme type ({_label(item_kind)}), "
                                    f"men dette er {t.label()}.")
        t = Type(Kind.LIST, tuple(values) if values and len(values) == len(node.items) else None)
        self.types[id(node)] = t
        return t

    def check_unary(self, node: Unary) -> Type | None:
        t = self.check(node.operand)
        if node.op == "not":
            self.require(node.operand, t, {Kind.BOOL}, "operanden til «not»")
            return BOOL
        if node.op == "-":
            self.require(node.operand, t, {Kind.NUMBER}, "operanden til «-»")
            return NUMBER
        self.error("unknown-operator", f"Ukjent operator «{node.op}».", node)
        return None

    def check_binary(self, node: Binary) -> Type | None:
        op = node.op
        if op in LOGICAL:
            lt, rt = self.check(node.left), self.check(node.right)
            self.require(node.left, lt, {Kind.BOOL}, f"operanden til «{op}»")
            self.require(node.right, rt, {Kind.BOOL}, f"operanden til «{op}»")
            return BOOL
        if op in ARITHMETIC:
            lt, rt = self.check(node.left), self.check(node.right)
            ok = self.require(node.left, lt, {Kind.NUMBER}, f"operanden til «{op}»")
            ok = self.require(node.right, rt, {Kind.NUMBER}, f"operanden til «{op}»") and ok
            return NUMBER if ok else None  # None: no follow-up errors
        if op in COMPARISONS:
            lt, rt = self.check(node.left), self.check(node.right)
            if lt is None or rt is None:
                return BOOL
            if not _comparable(lt.kind, rt.kind, op):
                if lt.kind is Kind.BOOL and rt.kind is Kind.BOOL:
                    self.mismatch(node, f"Ja/nei-verdier kan bare sammenlignes med «==» og «!=», ikke «{op}».")
                else:
                    self.mismatch(node, f"Kan ikke sammenligne {lt.label()} med {rt.label()} («{op}»).")
                return BOOL
            self.check_literal_domain(node.left, lt, node.right, op)
            self.check_literal_domain(node.right, rt, node.left, op)
            return BOOL
        if op == "in":
            lt = self.check(node.left)
            if lt is not None and lt.kind not in (Kind.TEXT, Kind.NUMBER, Kind.IPLOS):
                self.mismatch(node.left, f"Venstre side av «in» må være tekst eller tall, men er {lt.label()}.")
                lt = None
            if isinstance(node.right, ListLiteral):
                self.check_list(node.right, node.left, lt)
                return BOOL
            rt = self.check(node.right)
            if rt is None:
                return BOOL
            if rt.kind is not Kind.LIST:
                self.mismatch(node.right, f"Høyre side av «in» må være en liste, men er {rt.label()}.",
                              'skriv f.eks. «x in ["a", "b"]»')
                return BOOL
            if lt is not None and lt.kind is not Kind.TEXT:
                self.mismatch(node.left, f"En liste inneholder tekst, men venstre side av «in» er {lt.label()}.")
                return BOOL
            if isinstance(node.left, Literal) and isinstance(node.left.value, str):
                self.check_text_value(node.right, rt, node.left)
            return BOOL
        # unknown operator: still look inside
        self.check(node.left)
        self.check(node.right)
        self.error("unknown-operator", f"Ukjent operator «{op}».", node)
        return None

    def check_call(self, node: Call) -> Type | None:
        arg_types = [self.check(a) for a in node.args]
        fn = lookup_function(node.func) if isinstance(node.func, str) else None
        if fn is None:
            found = suggest(str(node.func), all_spellings())
            if not found:  # function names are short: "maks" → "max"
                found = difflib.get_close_matches(str(node.func).lower(), all_spellings(), n=1, cutoff=0.5)
            hint = f"mente du «{found[0]}»?" if found else "kjente funksjoner: " + ", ".join(all_spellings())
            self.error("unknown-function", f"Ukjent funksjon «{node.func}».", node, hint)
            return None
        n = len(node.args)
        if n < fn.min_args or (fn.max_args is not None and n > fn.max_args):
            self.error("wrong-arity", f"Funksjonen «{fn.name}» tar {fn.arity_text()} argument(er), "
                                      f"men fikk {n}.", node, fn.description)
        kinds: list[Kind] = []
        for arg, t in zip(node.args, arg_types):
            if t is None:
                continue
            if t.kind not in fn.arg_kinds:
                if t.kind is Kind.IPLOS and Kind.NUMBER in fn.arg_kinds:
                    self.mismatch(arg, f"IPLOS-skårer er ordinale og kan ikke regnes med («{fn.name}»).",
                                  _IPLOS_HINT)
                else:
                    wanted = " eller ".join(_label(k) for k in sorted(fn.arg_kinds, key=lambda k: k.value))
                    self.mismatch(arg, f"Argumentene til «{fn.name}» må være {wanted}, men dette er {t.label()}.")
                continue
            kinds.append(t.kind)
        return fn.result(kinds)

    def check_conditional(self, node: Conditional) -> Type | None:
        ct = self.check(node.cond)
        self.require(node.cond, ct, {Kind.BOOL}, "betingelsen i «if»")
        tt, et = self.check(node.then), self.check(node.otherwise)
        if tt is None or et is None:
            return tt or et
        if tt.kind is not et.kind:
            self.mismatch(node.otherwise, f"Grenene i «if» må ha samme type, men «then» er {tt.label()} "
                                          f"og «else» er {et.label()}.")
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
                    always = "usann" if op in (">", ">=") else "sann"
                    self.error("iplos-not-relevant-order",
                               f"IPLOS 9 (ikke relevant) rangeres under alle skårer, så «{op} 9» er alltid "
                               f"{always} for {name}.", other,
                               "bruk «== 9» eller «!= 9» for å teste «ikke relevant»", severity="warning")
                return
            if value not in IPLOS_VALUES:
                self.error("value-out-of-domain",
                           f"{_show_number(value)} er ikke en gyldig IPLOS-skår for {name} (1–5, eller 9 for "
                           f"ikke relevant).", other, severity="warning")
            return
        if subject_type.kind is not Kind.NUMBER or op not in ("==", "!="):
            return
        lo, hi = subject_type.minimum, subject_type.maximum
        outside = (lo is not None and value < lo) or (hi is not None and value > hi)
        not_whole = subject_type.integer and isinstance(value, float) and not (math.isfinite(value) and value.is_integer())
        if outside or not_whole:
            rng = f"{_show_number(lo) if lo is not None else '−∞'}–{_show_number(hi) if hi is not None else '∞'}"
            extra = ", hele tall" if subject_type.integer else ""
            self.error("value-out-of-domain",
                       f"{_show_number(value)} ligger utenfor verdiområdet til {name} ({rng}{extra}), så "
                       f"sammenligningen er alltid {'usann' if op == '==' else 'sann'}.", other,
                       severity="warning")

    def check_text_value(self, subject: Expr, subject_type: Type, literal: Literal) -> None:
        values = subject_type.values
        if not values or subject_type.kind not in (Kind.TEXT, Kind.LIST) or not isinstance(literal.value, str):
            return
        if literal.value in values:
            return
        found = suggest(literal.value, values)
        hint = f"mente du «{found[0]}»?" if found else "gyldige verdier: " + ", ".join(f"«{v}»" for v in values)
        self.error("unknown-value", f"«{literal.value}» er ikke en gyldig verdi for {_describe(subject)}.",
                   literal, hint)


def _describe(node: Expr) -> str:
    return f"«{node.path}»" if isinstance(node, Name) else "uttrykket"


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
    return Diagnostic("expression-too-complex", "error", "Uttrykket er nøstet for dypt.",
                      getattr(expr, "span", None))


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
        checker.mismatch(expr, f"Forventet {_label(expected)}, men uttrykket er {t.label()}.")
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
