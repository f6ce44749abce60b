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

from tildeling.language.expressions import Call, Expr, Literal, Name
from tildeling.language.history import NOT_TRIED, RESULTS
from tildeling.language.logic import INF, NINF, UNKNOWN, Bounds, any_unknown, skip_not_relevant, whole_years
from tildeling.language.scope import Scope
from tildeling.language.types import BOOL, DATE, IPLOS, IPLOS_NOT_RELEVANT, NUMBER, Kind, Type

NUMERIC = frozenset({Kind.NUMBER, Kind.IPLOS})
ANY_KIND = frozenset(Kind)


@dataclass(frozen=True)
class Function:
    """A function of the rule language: its names, arguments and result type."""

    name: str                       # canonical (English) name
    aliases: tuple[str, ...]        # Norwegian spellings
    min_args: int
    max_args: int | None            # None: variadic
    arg_kinds: frozenset[Kind]      # accepted kinds for every argument
    result: Callable[[list[Kind]], Type]  # result type from the argument kinds
    impl: Callable[[tuple, tuple[bool, ...]], object]
    description: str                # Norwegian, for documentation and hints
    # For the aggregates: ``bounds(args, iplos, domains)``, called only when ``impl`` gave
    # UNKNOWN, gives the :class:`~tildeling.language.logic.Bounds` of every completion.
    bounds: Callable[[tuple, tuple[bool, ...], tuple], object] | None = None
    # History functions (``resultat(tjenester.forsøkt, "korttidsopphold")``): the first
    # argument must be a ``historikk`` fact, the second a text that is one of the history's
    # service ids ("service") or one of the results ("result"). None for the others.
    history: str | None = None

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


# --- service histories (see tildeling.language.history) ----------------------------------------
# Exact over unknowns: an entry that does not state a result (or a plain service id, the old
# form) has an unknown result; a service absent from a known history was not tried.

def _entry(args: tuple):
    """(history, entry or None, present) — or None when an argument is unknown."""
    history, service = args
    if history is UNKNOWN or service is UNKNOWN:
        return None
    if service not in history:
        return history, None, False
    entries = getattr(history, "entries", None)
    return history, (entries.get(service) if entries else None), True


def _present(args: tuple) -> object:
    """``(history, entry)`` for the service in ``args``; None when the known history has no
    entry for it; unknown when the history is not given."""
    found = _entry(args)
    if found is None:
        return UNKNOWN
    history, entry, present = found
    return (history, entry) if present else None


def _entry_field(args: tuple, field: str, absent: object) -> object:
    """``field`` of the history entry for the service in ``args``: ``absent`` when the known
    history has no entry for it, unknown when the history or the field is not given."""
    got = _present(args)
    if got is UNKNOWN or got is None:
        return UNKNOWN if got is UNKNOWN else absent
    entry = got[1]  # type: ignore[index]
    value = getattr(entry, field) if entry is not None else None
    return UNKNOWN if value is None else value


def _resultat(args: tuple, iplos: tuple[bool, ...]) -> object:
    return _entry_field(args, "resultat", NOT_TRIED)


def _frequency(field: str):
    def impl(args: tuple, iplos: tuple[bool, ...]) -> object:
        return _entry_field(args, field, 0)
    return impl


def _fra(args: tuple, iplos: tuple[bool, ...]) -> object:
    # The date the service was first given (the earliest ``fra`` of its entries). A service
    # absent from the history has no start date: unknown, so a rule guards the call with
    # ``"x" i historikk og …`` (false, and decided, when it is absent).
    got = _present(args)
    if got is UNKNOWN or got is None:
        return UNKNOWN
    starts = getattr(got[0], "starts", None)  # type: ignore[index]
    value = starts.get(args[1]) if starts else None
    return UNKNOWN if value is None else value


def _count_results(history: object, result: object) -> tuple[int, int] | None:
    """(services with ``result``, services with no stated result), or None if unknown."""
    if history is UNKNOWN or result is UNKNOWN:
        return None
    entries = getattr(history, "entries", None) or {}
    sure = unknown = 0
    for service in dict.fromkeys(history):  # type: ignore[call-overload]  # a known list
        entry = entries.get(service)
        value = entry.resultat if entry is not None else None
        if value is None:
            unknown += 1
        elif value == result:
            sure += 1
    return sure, unknown


def _antall_med_resultat(args: tuple, iplos: tuple[bool, ...]) -> object:
    counted = _count_results(args[0], args[1])
    if counted is None or counted[1]:
        return UNKNOWN
    return counted[0]


def _antall_med_resultat_bounds(args: tuple, iplos: tuple[bool, ...], domains: tuple) -> object:
    counted = _count_results(args[0], args[1])
    if counted is None:
        return UNKNOWN
    return Bounds(counted[0], counted[0] + counted[1])


_RESULT_TYPE = Type(Kind.TEXT, RESULTS + (NOT_TRIED,))
_HISTORY_ARGS = frozenset({Kind.LIST, Kind.TEXT})


# --- bounds of the aggregates over partly unknown arguments ------------------------------
# Each unknown argument ranges over its declared domain ``(lo, hi)`` (see :func:`domain`);
# an unknown IPLOS argument may also be 9, which min/max/mean skip. The bounds are exact
# for count/sum/min/max and for mean (the extreme means include the smallest, resp. largest,
# skippable values first), so a comparison they decide is decided by every completion.

def domain(node: Expr, t: Type | None, scope: Scope) -> tuple[float, float]:
    """The range every value of argument ``node`` (static type ``t``) lies in: a boolean is
    0..1, a fact its declared range (IPLOS: the scores 1..5; 9 is the per-argument IPLOS
    flag); anything else is unbounded (sound, if less exact)."""
    if t is not None and t.kind is Kind.BOOL:
        return (0, 1)
    if t is None or not isinstance(node, Name):
        return (NINF, INF)
    symbol = scope.lookup(node.path)
    if symbol is None or symbol.kind != "fact":
        return (NINF, INF)
    if t.kind is Kind.IPLOS:
        return (1, 5)
    if t.kind is Kind.NUMBER:
        return (NINF if t.minimum is None else t.minimum, INF if t.maximum is None else t.maximum)
    return (NINF, INF)


def fact_bounds(t: Type | None) -> Bounds | None:
    """The bounds of an unknown fact of type ``t`` in the space comparisons use (IPLOS by
    rank: 9 is -inf), or None when nothing is declared."""
    if t is None:
        return None
    if t.kind is Kind.IPLOS:
        return Bounds(NINF, 5)
    if t.kind is Kind.NUMBER and (t.minimum is not None or t.maximum is not None):
        return Bounds(NINF if t.minimum is None else t.minimum, INF if t.maximum is None else t.maximum)
    return None


def bounded_operand(node: Expr, other: Expr, scope: Scope, is_iplos: Callable[[Expr], bool]) -> object:
    """What bounds an unknown comparison operand ``node`` (compared with ``other``) can have:
    the aggregate :class:`Call` it is (looking through definitions), the :class:`Bounds` of
    the fact it names when compared with a literal, or None. The interpreter and the code
    generator both decide by this, so they agree on when bounds are used."""
    if isinstance(node, Name):
        symbol = scope.lookup(node.path)
        if symbol is not None and symbol.kind == "fact":
            return fact_bounds(symbol.type) if isinstance(other, Literal) else None
    start, seen = node, []
    while isinstance(node, Name):
        symbol = scope.lookup(node.path)
        if symbol is None or symbol.kind != "definition" or symbol.expr is None or node.path in seen:
            return None
        seen.append(node.path)
        node = symbol.expr
    if isinstance(node, Call):
        fn = lookup(node.func)
        # The bounds are ranked exactly when the aggregate's result is IPLOS; the operand
        # must be compared the same way (a definition could declare another type).
        if fn is not None and fn.bounds is not None and is_iplos(node) == is_iplos(start):
            return node
    return None


def _split(args: tuple, iplos: tuple[bool, ...], domains: tuple):
    known: list = []
    mandatory: list[tuple[float, float]] = []
    optional: list[tuple[float, float]] = []
    for a, ip, d in zip(args, iplos, domains):
        if a is UNKNOWN:
            (optional if ip else mandatory).append(d)
        elif not (ip and a == IPLOS_NOT_RELEVANT):
            known.append(a)
    return known, mandatory, optional


def _ordinal_bounds(lo, hi, all_skipped: bool, iplos: tuple[bool, ...]) -> Bounds:
    """Add the result 9 (every argument skipped) in the space the comparison will use."""
    if all_skipped:
        if iplos and all(iplos):  # an IPLOS result: compared by rank, 9 ranks -inf
            lo = NINF
        else:
            lo, hi = min(lo, IPLOS_NOT_RELEVANT), max(hi, IPLOS_NOT_RELEVANT)
    return Bounds(lo, hi)


def _max_bounds(args: tuple, iplos: tuple[bool, ...], domains: tuple) -> object:
    known, mandatory, optional = _split(args, iplos, domains)
    hi = max(known + [d[1] for d in mandatory + optional])
    floor = known + [d[0] for d in mandatory]
    lo = max(floor) if floor else min(d[0] for d in optional)
    return _ordinal_bounds(lo, hi, not floor, iplos)


def _min_bounds(args: tuple, iplos: tuple[bool, ...], domains: tuple) -> object:
    known, mandatory, optional = _split(args, iplos, domains)
    lo = min(known + [d[0] for d in mandatory + optional])
    ceiling = known + [d[1] for d in mandatory]
    hi = min(ceiling) if ceiling else max(d[1] for d in optional)
    return _ordinal_bounds(lo, hi, not ceiling, iplos)


def _extreme_mean(known: list, mandatory: list, optional: list, side: int, pick) -> float:
    total = sum(known) + sum(d[side] for d in mandatory)
    n = len(known) + len(mandatory)
    extra = sorted((d[side] for d in optional), reverse=side == 1)
    best = None
    for p in range(len(extra) + 1):
        if n + p:
            m = (total + sum(extra[:p])) / (n + p)
            best = m if best is None else pick(best, m)
    return best  # type: ignore[return-value]  # an unknown argument exists: n + p > 0 once


def _mean_bounds(args: tuple, iplos: tuple[bool, ...], domains: tuple) -> object:
    known, mandatory, optional = _split(args, iplos, domains)
    lo = _extreme_mean(known, mandatory, optional, 0, min)
    hi = _extreme_mean(known, mandatory, optional, 1, max)
    return _ordinal_bounds(lo, hi, not known and not mandatory, iplos)


def _sum_bounds(args: tuple, iplos: tuple[bool, ...], domains: tuple) -> object:
    lo = hi = 0
    for a, d in zip(args, domains):
        if a is UNKNOWN:
            lo, hi = lo + d[0], hi + d[1]
        else:
            lo, hi = lo + a, hi + a
    return Bounds(lo, hi)


def _count_bounds(args: tuple, iplos: tuple[bool, ...], domains: tuple) -> object:
    sure = sum(1 for a in args if a is True)
    return Bounds(sure, sure + sum(1 for a in args if a is UNKNOWN))


# --- result types ------------------------------------------------------------------------

def _ordinal_result(kinds: list[Kind]) -> Type:
    """``mean``/``min``/``max``: IPLOS if every argument is IPLOS, otherwise a number."""
    if kinds and all(k is Kind.IPLOS for k in kinds):
        return IPLOS
    return NUMBER


_INTEGER = Type(Kind.NUMBER, integer=True)

FUNCTIONS: dict[str, Function] = {f.name: f for f in (
    Function("mean", ("snitt",), 1, None, NUMERIC, _ordinal_result, _mean,
             "gjennomsnittet av tallene (IPLOS 9 hoppes over)", _mean_bounds),
    Function("min", (), 1, None, NUMERIC, _ordinal_result, _min,
             "det minste tallet (IPLOS 9 hoppes over)", _min_bounds),
    Function("max", (), 1, None, NUMERIC, _ordinal_result, _max,
             "det største tallet (IPLOS 9 hoppes over)", _max_bounds),
    Function("sum", (), 1, None, frozenset({Kind.NUMBER}), lambda k: NUMBER, _sum,
             "summen av tallene", _sum_bounds),
    Function("count", ("antall",), 1, None, frozenset({Kind.BOOL}), lambda k: _INTEGER, _count,
             "antall argumenter som er sanne", _count_bounds),
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
    Function("resultat", (), 2, 2, _HISTORY_ARGS, lambda k: _RESULT_TYPE, _resultat,
             "resultatet av en tjeneste i en historikk: resultat(tjenester.forsøkt, \"korttidsopphold\") "
             "(virket, ikke_nok, pågår, avslått_av_søker; ikke_forsøkt når tjenesten ikke står der)",
             history="service"),
    Function("hyppighet", (), 2, 2, _HISTORY_ARGS, lambda k: NUMBER, _frequency("besøk_per_uke"),
             "besøk per uke for en tjeneste i en historikk (0 når tjenesten ikke står der)",
             history="service"),
    Function("timer", (), 2, 2, _HISTORY_ARGS, lambda k: NUMBER, _frequency("timer_per_uke"),
             "timer per uke for en tjeneste i en historikk (0 når tjenesten ikke står der)",
             history="service"),
    Function("fra", (), 2, 2, _HISTORY_ARGS, lambda k: DATE, _fra,
             "datoen tjenesten først ble gitt i en historikk: fra(tjenester.mottar, \"bpa\") (den tidligste "
             "fra-datoen; ukjent når den ikke er oppgitt eller tjenesten ikke står der)",
             history="service"),
    Function("antall_med_resultat", (), 2, 2, _HISTORY_ARGS, lambda k: _INTEGER, _antall_med_resultat,
             "antall tjenester i en historikk med dette resultatet: antall_med_resultat(tjenester.forsøkt, "
             "\"ikke_nok\")", _antall_med_resultat_bounds, history="result"),
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
