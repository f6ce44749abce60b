"""Settle a service the walker left undecided by trying every completion of its missing facts.

The walker tries an unknown condition both ways but treats the two branches independently,
so correlated conditions (``x >= 3`` in one rule, ``x < 3`` in a later one) can make it
report ``uavklart`` where every real completion gives the same decision. Here the missing
facts the rules depend on that have a small finite domain (yes/no, IPLOS 1–5 and 9, a
``valg``, a short whole-number range) are enumerated; facts without one stay unknown. A
fact the case says is one of several values (``{en_av: […]}``, see
:mod:`tildeling.language.partial`) is enumerated over those values only, so it gives a
decision when they all agree and is listed as missing when they do not.

* Every completion gives the same decision → that decision. Decisions are the same when the
  outcome is the same and, for a grant, the step, amount, form and waiting list too; refusals (``avslag``) are
  the same whatever rule or step they come from.
* Otherwise the service is ``uavklart`` and the missing facts listed are exactly those that
  can change the decision: a fact is listed when two completions that differ only in it
  decide differently (plus, for facts that could not be enumerated, those the walker
  blamed in an undecided completion).
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Iterable

from tildeling.evaluation.blame import BlameMemo, names_read, types_of
from tildeling.evaluation.decision import RawDecision, Walk
from tildeling.evaluation.plan import CRule, CService
from tildeling.language.expressions import Name
from tildeling.language.interpreter import interpret
from tildeling.language.logic import UNKNOWN
from tildeling.language.partial import restrictions
from tildeling.language.scope import Scope
from tildeling.language.typecheck import fact_dependencies
from tildeling.language.types import IPLOS_VALUES, Kind, Type
from tildeling.rules.parts import APPLICATION_NAMES, APPLIED_SERVICES

# What the application says (søkt.*) is not a fact to find out: when it is not said, it stays
# unknown, and a short-form application decides as it always has.
NOT_ENUMERATED = frozenset(APPLICATION_NAMES + (APPLIED_SERVICES,))
MAX_COMPLETIONS = 4096  # completions tried per service; beyond it the walker's answer stands
MAX_INTEGER_SPAN = 32   # a whole-number fact with a declared range this short is enumerated


def fact_values(t: Type | None) -> tuple | None:
    """The values a fact of type ``t`` can take, or None if there are too many to try."""
    if t is None:
        return None
    if t.kind is Kind.BOOL:
        return (False, True)
    if t.kind is Kind.IPLOS:
        return IPLOS_VALUES
    if t.kind is Kind.TEXT and t.values:
        return tuple(t.values)
    if (t.kind is Kind.NUMBER and t.integer and t.minimum is not None and t.maximum is not None
            and 0 <= t.maximum - t.minimum <= MAX_INTEGER_SPAN):
        return tuple(range(int(t.minimum), int(t.maximum) + 1))
    return None


def rules_in_order(rules: tuple[CRule, ...]) -> list[CRule]:
    """The rules of a tree in the order they are written (a rule before its children)."""
    out: list[CRule] = []
    for r in rules:
        out.append(r)
        if r.children:
            out.extend(rules_in_order(r.children))
    return out


def decision_key(d: RawDecision) -> tuple:
    """What must agree for two completions to give the same decision."""
    if d.outcome == "avslag":
        return ("avslag",)
    if d.outcome in ("innvilget", "delvis_innvilget"):
        # A place on the waiting list is another decision than a place now (pbrl § 2-1 e).
        waiting = d.walk is not None and d.walk.leaf is not None and d.walk.leaf.source.waiting_list
        return (d.outcome, d.step, "?" if d.amount is UNKNOWN else d.amount, d.form, waiting)
    return (d.outcome,)


def completion_space(rules: Iterable[CRule], service: CService, env: dict[str, Any]
                     ) -> tuple[list[str], list[tuple], list[str]] | None:
    """The unknown inputs the decision by ``rules`` (and the amounts they grant) can turn on,
    with their domains: (facts, domains, the derived facts among them, dependencies first);
    None when there is none or the completions would be too many. Derived facts follow
    their derivations (:func:`missing_inputs`); what the application says is never enumerated."""
    scope = service.source.scope
    deps: set[str] = set()
    for r in rules:
        deps |= r.depends_on
        if r.source.amount is not None and r.outcome in ("innvilget", "delvis_innvilget"):
            deps |= fact_dependencies(r.source.amount, scope)  # a grant's amount is part of the decision
    if service.source.amount is not None:
        deps |= fact_dependencies(service.source.amount, scope)
    finite: list[str] = []
    domains: list[tuple] = []
    size = 1
    derived: list[str] = []  # derived facts enumerated, dependencies first
    allowed = restrictions(env)  # facts known to be one of several values: only those are tried
    for fact in missing_inputs(deps, env, scope, derived):
        symbol = scope.lookup(fact)
        values: tuple | None
        if fact in allowed:
            values = allowed[fact]
        else:
            values = fact_values(symbol.type) if symbol is not None and symbol.kind == "fact" else None
        if values is None:
            continue
        finite.append(fact)
        domains.append(values)
        size *= len(values)
    if not finite or size > MAX_COMPLETIONS:
        return None
    return finite, domains, [f for f in derived if f in finite]


def completions(space: tuple[list[str], list[tuple], list[str]], env: dict[str, Any], scope: Scope):
    """Each completion of ``space`` (:func:`completion_space`): (the values, the environment)."""
    finite, domains, derived = space
    # Whether a derived fact's derivations all say no depends, among the facts that vary
    # here, only on the enumerated ones they read: worked out once per distinct value of those.
    enumerated = frozenset(finite)
    reads = {fact: tuple(sorted(_derivation_reads(fact, scope) & enumerated)) for fact in derived}
    said_no: dict[tuple, bool] = {}
    for combo in itertools.product(*domains):
        full = dict(env)
        full.update(zip(finite, combo))
        for fact in derived:
            # A derived fact is an input only where its derivations all say no; elsewhere
            # they decide it (or leave it to the facts they are unknown on).
            del full[fact]
            key = (fact,) + tuple(full.get(f, _ABSENT) for f in reads[fact])
            no = said_no.get(key)
            if no is None:
                no = said_no[key] = all_false(fact, full, scope)
            if no:
                full[fact] = combo[finite.index(fact)]
        yield combo, full


_ABSENT = object()


def _derivation_reads(fact: str, scope: Scope) -> frozenset[str]:
    """The names the derivations of ``fact`` can read (:func:`~tildeling.evaluation.blame.names_read`)."""
    symbol = scope.lookup(fact)
    out: frozenset[str] = frozenset()
    for when, _ in (symbol.derived if symbol is not None else ()):
        out |= names_read(when, scope)
    return out


def settle(service: CService, env: dict[str, Any], raw: RawDecision,
           decide_one: Callable[[CService, dict], RawDecision],
           decide_outcome: Callable[[CService, dict], RawDecision] | None = None) -> RawDecision:
    """``raw`` is the walker's ``uavklart``; decide it by enumeration where the domains allow.

    ``decide_outcome`` (default ``decide_one``) decides a completion without working out the
    missing facts of an undecided one. When it is given, ``decide_one(service, env,
    blame=memo)`` works them out (through a :class:`~tildeling.evaluation.blame.BlameMemo`),
    and is called only for the undecided completions and only when the completions disagree
    (then the facts they miss beyond the enumerated ones are listed too: :func:`can_change`)."""
    ordered = rules_in_order(service.tree)
    scope = service.source.scope
    space = completion_space(ordered, service, env)
    if space is None:
        return raw
    finite = space[0]
    quick = decide_outcome or decide_one
    results: list[tuple[tuple, tuple, RawDecision]] = []
    for combo, full in completions(space, env, scope):
        d = quick(service, full)
        results.append((combo, decision_key(d), d))
    keys = {k for _, k, _ in results}
    if len(keys) == 1:
        if next(iter(keys)) == ("uavklart",):
            return raw  # undecided whatever the enumerated facts are: the walker's account stands
        return _representative(service, raw, results, ordered)
    if quick is not decide_one:
        # The undecided completions with the facts they miss (what can_change reads of them).
        # They differ only in the enumerated facts: each condition is blamed once per
        # distinct value of those it reads (BlameMemo).
        still_open = {combo for combo, key, _ in results if key == ("uavklart",)}
        if still_open:
            memo = BlameMemo(finite)
            blamed: Callable[..., RawDecision] = decide_one  # takes blame= when decide_outcome is given
            again = {combo: blamed(service, full, blame=memo) for combo, full in completions(space, env, scope)
                     if combo in still_open}
            results = [(combo, key, again.get(combo, d)) for combo, key, d in results]
    missing = can_change(finite, results)
    walk = raw.walk
    undecided = walk.undecided if walk is not None else ()
    path = walk.path if walk is not None else ()
    return RawDecision(raw.service, "uavklart", raw.step, Walk(None, path, undecided, frozenset(missing)),
                       raw.score, raw.score_parts, None)


def can_change(finite: list[str], results: list[tuple[tuple, tuple, RawDecision]]) -> set[str]:
    """The facts among ``finite`` whose value alone changes the decision (two completions
    that differ only in it decide differently), and the facts the undecided completions
    still miss."""
    missing: set[str] = set()
    for i, fact in enumerate(finite):
        seen: dict[tuple, tuple] = {}
        for combo, key, _ in results:
            if seen.setdefault(combo[:i] + combo[i + 1:], key) != key:
                missing.add(fact)
                break
    for _, key, d in results:
        if key == ("uavklart",) and d.walk is not None:
            missing |= {f for f in d.walk.missing if f not in finite}
    return missing


def missing_inputs(deps: Iterable[str], env: dict[str, Any], scope: Scope, derived: list[str]) -> list[str]:
    """The unknown inputs behind the facts ``deps``: each missing fact, except that a fact
    its derivations settle is no input, and an unsettled derived fact brings the facts of
    its derivations' conditions (then itself, appended to ``derived`` too)."""
    out: dict[str, None] = {}
    seen: set[str] = set()
    allowed = restrictions(env)  # a restricted fact is given (in part): an input, never derived

    def visit(fact: str) -> None:
        if (fact in seen or fact in env or fact.startswith("parameter.") or fact == "poengsum"
                or fact in NOT_ENUMERATED):
            return
        seen.add(fact)
        symbol = scope.lookup(fact)
        if symbol is not None and symbol.kind == "fact" and symbol.derived and fact not in allowed:
            if interpret(Name(fact), env, scope) is not UNKNOWN:
                return
            for when, _ in symbol.derived:
                for dep in sorted(fact_dependencies(when, scope)):
                    visit(dep)
            derived.append(fact)
        out[fact] = None

    for fact in sorted(deps):
        visit(fact)
    return list(out)


def all_false(fact: str, env: dict[str, Any], scope: Scope) -> bool:
    """Whether every derivation of the (not given) ``fact`` has a false condition in ``env``."""
    symbol = scope.lookup(fact)
    return symbol is not None and all(interpret(when, env, scope, types=types_of(when, scope)) is False
                                      for when, _ in symbol.derived)


def _representative(service: CService, raw: RawDecision, results: list, ordered: list[CRule]) -> RawDecision:
    """Every completion gives the same decision: report it through the leaf written first
    in the rule set among those the completions reach (a deterministic choice; for a
    refusal reached by several rules, the first refusal rule in rule order)."""
    position = {id(r): i for i, r in enumerate(ordered)}
    best = min((d for _, _, d in results), key=lambda d: position.get(id(d.walk.leaf), len(ordered)))
    assumed: list[str] = []
    if raw.walk is not None:
        for r in raw.walk.undecided:
            if r.id not in assumed:
                assumed.append(r.id)
    walk = Walk(best.walk.leaf, best.walk.path, (), frozenset(), tuple(assumed))
    return RawDecision(raw.service, best.outcome, best.step, walk, raw.score, raw.score_parts, best.amount, best.form)
