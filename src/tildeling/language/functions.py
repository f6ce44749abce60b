"""The function library of the expression language — one table used everywhere.

The parser maps Norwegian aliases to the canonical (English) name, the type checker uses
the arity and signature, and the interpreter and the compiled code call the same runtime
implementation, so the three can never disagree.

Every implementation has the signature ``impl(args: tuple, iplos: tuple[bool, ...])``:
``iplos[i]`` says whether argument ``i`` has the static kind IPLOS (the type checker's
annotation; ``min``/``max``/``mean`` skip IPLOS 9s, "ikke relevant").

>>> canonical_name("snitt"), canonical_name("max"), canonical_name("finnes_ikke")
('mean', 'max', None)
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Callable

from tildeling.language.logic import UNKNOWN, any_unknown, skip_not_relevant, whole_years
from tildeling.language.types import BOOL, IPLOS, IPLOS_NOT_RELEVANT, NUMBER, Kind, Type

NUMERIC = frozenset({Kind.NUMBER, Kind.IPLOS})
ANY_KIND = frozenset(Kind)


@dataclass(frozen=True)
class Function:
    name: str                       # canonical (English) name
    aliases: tuple[str, ...]        # Norwegian spellings
    min_args: int
    max_args: int | None            # None: variadic
    arg_kinds: frozenset[Kind]      # accepted kinds for every argument
    result: Callable[[list[Kind]], Type]  # result type from the argument kinds
    impl: Callable[[tuple, tuple[bool, ...]], object]
    description: str                # Norwegian, for documentation and hints

    def arity_text(self) -> str:
        if self.max_args is None:
            return f"minst {self.min_args}"
        if self.min_args == self.max_args:
            return str(self.min_args)
        return f"{self.min_args}–{self.max_args}"


# --- implementations ---------------------------------------------------------------------

def _mean(args: tuple, iplos: tuple[bool, ...]) -> object:
    if any_unknown(args):
        return UNKNOWN
    vals = skip_not_relevant(args, iplos)
    if not vals:
        return IPLOS_NOT_RELEVANT
    return sum(vals) / len(vals)


def _extreme(args: tuple, iplos: tuple[bool, ...], better) -> object:
    # One pass (this is on the evaluator's hot path): UNKNOWN wins, IPLOS 9s are skipped.
    best = None
    for a, ip in zip(args, iplos):
        if a is UNKNOWN:
            return UNKNOWN
        if ip and a == IPLOS_NOT_RELEVANT:
            continue
        if best is None or better(a, best):
            best = a
    return IPLOS_NOT_RELEVANT if best is None else best


def _min(args: tuple, iplos: tuple[bool, ...]) -> object:
    return _extreme(args, iplos, operator.lt)


def _max(args: tuple, iplos: tuple[bool, ...]) -> object:
    return _extreme(args, iplos, operator.gt)


def _sum(args: tuple, iplos: tuple[bool, ...]) -> object:
    if any_unknown(args):
        return UNKNOWN
    total = 0
    for a in args:
        total = total + a
    return total


def _count(args: tuple, iplos: tuple[bool, ...]) -> object:
    if any_unknown(args):
        return UNKNOWN
    return sum(1 for a in args if a is True)


def _any(args: tuple, iplos: tuple[bool, ...]) -> object:
    # Kleene OR over all arguments.
    if any(a is True for a in args):
        return True
    if all(a is False for a in args):
        return False
    return UNKNOWN


def _all(args: tuple, iplos: tuple[bool, ...]) -> object:
    # Kleene AND over all arguments.
    if any(a is False for a in args):
        return False
    if all(a is True for a in args):
        return True
    return UNKNOWN


def _age(args: tuple, iplos: tuple[bool, ...]) -> object:
    if any_unknown(args):
        return UNKNOWN
    return whole_years(args[0], args[1])


def _days_between(args: tuple, iplos: tuple[bool, ...]) -> object:
    if any_unknown(args):
        return UNKNOWN
    return (args[1] - args[0]).days


def _known(args: tuple, iplos: tuple[bool, ...]) -> object:
    return args[0] is not UNKNOWN


def _missing(args: tuple, iplos: tuple[bool, ...]) -> object:
    return args[0] is UNKNOWN


# --- result types ------------------------------------------------------------------------

def _ordinal_result(kinds: list[Kind]) -> Type:
    """``mean``/``min``/``max``: IPLOS if every argument is IPLOS, otherwise a number."""
    if kinds and all(k is Kind.IPLOS for k in kinds):
        return IPLOS
    return NUMBER


_INTEGER = Type(Kind.NUMBER, integer=True)

FUNCTIONS: dict[str, Function] = {f.name: f for f in (
    Function("mean", ("snitt",), 1, None, NUMERIC, _ordinal_result, _mean,
             "gjennomsnittet av tallene (IPLOS 9 hoppes over)"),
    Function("min", (), 1, None, NUMERIC, _ordinal_result, _min,
             "det minste tallet (IPLOS 9 hoppes over)"),
    Function("max", (), 1, None, NUMERIC, _ordinal_result, _max,
             "det største tallet (IPLOS 9 hoppes over)"),
    Function("sum", (), 1, None, frozenset({Kind.NUMBER}), lambda k: NUMBER, _sum,
             "summen av tallene"),
    Function("count", ("antall",), 1, None, frozenset({Kind.BOOL}), lambda k: _INTEGER, _count,
             "antall argumenter som er sanne"),
    Function("any", ("noen",), 1, None, frozenset({Kind.BOOL}), lambda k: BOOL, _any,
             "sann hvis minst ett argument er sant"),
    Function("all", ("alle",), 1, None, frozenset({Kind.BOOL}), lambda k: BOOL, _all,
             "sann hvis alle argumentene er sanne"),
    Function("age", ("alder",), 2, 2, frozenset({Kind.DATE}), lambda k: _INTEGER, _age,
             "alder i hele år: alder(fødselsdato, på_dato)"),
    Function("days_between", ("dager_mellom",), 2, 2, frozenset({Kind.DATE}), lambda k: _INTEGER,
             _days_between, "antall dager fra første til andre dato: dager_mellom(fra, til)"),
    Function("known", ("kjent",), 1, 1, ANY_KIND, lambda k: BOOL, _known,
             "sann hvis verdien er kjent"),
    Function("missing", ("mangler",), 1, 1, ANY_KIND, lambda k: BOOL, _missing,
             "sann hvis verdien mangler (er ukjent)"),
)}

# alias (and canonical name) → canonical name
ALIASES: dict[str, str] = {}
for _f in FUNCTIONS.values():
    ALIASES[_f.name] = _f.name
    for _a in _f.aliases:
        ALIASES[_a] = _f.name


def canonical_name(name: str) -> str | None:
    """The canonical name of a function written as ``name`` (either language), or None."""
    return ALIASES.get(name)


def lookup(name: str) -> Function | None:
    canonical = ALIASES.get(name)
    return FUNCTIONS[canonical] if canonical else None


def all_spellings() -> list[str]:
    return sorted(ALIASES)
