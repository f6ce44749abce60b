"""What a name in an expression can refer to.

The loader builds a :class:`Scope` from the fact vocabulary, the rule set's parameters and
its definitions; the type checker, the interpreter and the compiler all resolve names
through it, so the three agree on what ``funksjon.husarbeid`` means.

Namespaces: facts are dotted paths from the vocabulary (``søker.alder``); parameters are
written ``parameter.<navn>``; definitions have their own names (dotted or not). A
definition may not reuse a fact's or a parameter's name (checked by the loader).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable
from typing import Literal as TLiteral

from tildeling.language.expressions import Expr
from tildeling.language.types import Type

SymbolKind = TLiteral["fact", "definition", "parameter"]


@dataclass(frozen=True, slots=True)
class Symbol:
    """A name the rule language knows: a fact, a parameter or a definition, with its type."""

    path: str
    kind: SymbolKind
    type: Type
    expr: Expr | None = None  # a definition's parsed, checked expression
    # A fact's derivations, in order: (checked ``when``, value). Used when the fact is not
    # given: the first ``when`` that is true gives the value (exactly, over unknowns: see
    # tildeling.language.interpreter).
    derived: tuple[tuple[Expr, object], ...] = ()


@dataclass
class Scope:
    """The names an expression may use, by their dotted path."""

    symbols: dict[str, Symbol] = field(default_factory=dict)

    def lookup(self, path: str) -> Symbol | None:
        return self.symbols.get(path)

    def all_names(self) -> Iterable[str]:
        return self.symbols.keys()

    def add(self, symbol: Symbol) -> None:
        self.symbols[symbol.path] = symbol
