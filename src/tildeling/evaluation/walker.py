"""Evaluate a case under a compiled rule set: for each service applied for, walk its
decision tree with three-valued logic.

A condition that is unknown (a fact it needs is missing) is tried both ways: if both lead
to the same decision (the same refusal, or a grant with the same step and amount
expression), that decision stands; otherwise the completions of the missing facts are tried
(:mod:`tildeling.evaluation.completions`), and the service is ``uavklart`` only when they
differ, listing the facts that can change the decision. Nothing here formats text: see
:mod:`tildeling.explain.explanation`.

    crs = compile_ruleset(load_ruleset(path))
    raw = decide(crs, env, ["praktisk_bistand"])
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from tildeling.evaluation import fastpath
from tildeling.evaluation.blame import BlameMemo
from tildeling.evaluation.blame import blame as _blame_expr
from tildeling.evaluation.completions import settle
from tildeling.evaluation.decision import RawDecision, Walk
from tildeling.evaluation.initiative import bind_application, own_initiative
from tildeling.evaluation.plan import CompiledRuleSet, CRule, CService, leaf_step
from tildeling.evaluation.trace import Tracer
from tildeling.language.expressions import names
from tildeling.language.logic import UNKNOWN

MAX_SPLITS = 64  # unknown conditions tried both ways per service before giving up


class _Budget:
    __slots__ = ("left", "blame")

    def __init__(self, blame: bool | BlameMemo = True) -> None:
        self.left = MAX_SPLITS
        # False: the missing facts are not worked out (settle asks only the outcome first);
        # a BlameMemo: worked out once per distinct completion (settle, the undecided ones).
        self.blame = blame


def _blame(rule: CRule, env: dict, scope) -> frozenset[str]:
    """The missing facts that keep this rule's condition unknown (not every dependency)."""
    when = rule.source.condition
    if when is None or scope is None:
        return frozenset(f for f in rule.depends_on if f not in env)
    found = _blame_expr(when, env, scope)
    if "poengsum" not in env and any(n.path == "poengsum" for n in names(when)):
        found |= frozenset(f for f in rule.depends_on if f not in env)
    return found or frozenset(f for f in rule.depends_on if f not in env)


def _walk(rules: tuple[CRule, ...], env: dict, service: str, tracer: Tracer | None,
          budget: _Budget, scope=None) -> Walk | None:
    for i, rule in enumerate(rules):
        cond = rule.cond
        if cond is None:  # an else rule (and only an else rule) has no condition
            value = True
        elif rule.applies is not None and rule.applies(env) is False:
            if tracer is not None:  # «gjelder ikke»: not asked, never blamed
                tracer.skip(service, rule.id, rule.applies_deps)
            continue
        else:
            value = cond(env)
        if tracer is not None:
            tracer.test(service, rule.id, value, rule.deps)
        if value is True:
            return _take(rule, env, service, tracer, budget, scope)
        if value is False:
            continue
        # Unknown: try both ways.
        memo = budget.blame
        if memo is True:
            missing = _blame(rule, env, scope)
        elif memo is False or scope is None or rule.source.condition is None:
            missing = _blame(rule, env, scope) if memo is not False else frozenset()
        else:
            missing = memo(rule, (rule.source.condition,), rule.depends_on, env, scope,
                           lambda: _blame(rule, env, scope))
        if budget.left <= 0:
            return Walk(None, (rule.id,), (rule,), missing)
        budget.left -= 1
        if tracer is not None:
            tracer.split(service, rule.id)
            tracer.depth += 1
        taken = _take(rule, env, service, tracer, budget, scope)
        rest = _walk(rules[i + 1:], env, service, tracer, budget, scope)
        if tracer is not None:
            tracer.depth -= 1
        if (taken is not None and rest is not None and taken.leaf is not None and rest.leaf is not None
                and taken.outcome_key == rest.outcome_key):
            # Both ways agree: the decision does not depend on this condition. A refusal is
            # represented by the rule written first (the taken branch), as the completions
            # do (completions.settle); a grant by the branch where the condition is false,
            # as it always has been.
            if taken.leaf.outcome == "avslag":
                return Walk(taken.leaf, taken.path, (), frozenset(), (rule.id,) + taken.assumed + rest.assumed)
            return Walk(rest.leaf, rest.path, (), frozenset(), rest.assumed + (rule.id,) + taken.assumed)
        und = (rule,)
        miss = missing
        for w in (taken, rest):
            if w is not None:
                und += w.undecided
                miss |= w.missing
        return Walk(None, (rule.id,), und, miss)
    if tracer is not None:
        tracer.nomatch(service)
    return None


def _take(rule: CRule, env: dict, service: str, tracer: Tracer | None, budget: _Budget,
          scope=None) -> Walk | None:
    if rule.children is None:
        if tracer is not None:
            tracer.leaf(service, rule.id, rule.outcome)
        return Walk(rule, (rule.id,))
    inner = _walk(rule.children, env, service, tracer, budget, scope)
    if inner is None:
        return None
    return Walk(inner.leaf, (rule.id,) + inner.path, inner.undecided, inner.missing, inner.assumed)


def _score(service: CService, env: dict) -> tuple[Any, tuple]:
    total: Any = 0.0
    parts = []
    for comp in service.score:
        v = comp.value(env)
        if v is UNKNOWN:
            total = UNKNOWN
            parts.append((comp.id, UNKNOWN))
            continue
        points = (1.0 if v else 0.0) if isinstance(v, bool) else float(v)
        parts.append((comp.id, points * comp.weight))
        if total is not UNKNOWN:
            total += points * comp.weight
    return total, tuple(parts)


def service_score(service: CService, env: dict) -> Any:
    """The service's score (``poengsum``) in ``env``, as deciding it computes it (UNKNOWN when
    a part of it is unknown)."""
    return _score(service, env)[0]


def decide_service(service: CService, env: dict, tracer: Tracer | None = None) -> RawDecision:
    """Walk one service's tree generically (three-valued, traced). ``env`` maps fact paths
    and ``parameter.*`` to values. :func:`decide` uses the generated fast path when it can.

    A walk left ``uavklart`` is settled by trying the completions of its missing facts
    (:func:`tildeling.evaluation.completions.settle`): it stays ``uavklart`` only when they
    decide differently, and then lists the facts that can change the decision."""
    raw = _decide_walk(service, env, tracer)
    if raw.outcome != "uavklart" or raw.walk is None:
        return raw
    return settle(service, env, raw, _decide_walk, _decide_outcome)


def _decide_outcome(service: CService, env: dict) -> RawDecision:
    """As :func:`_decide_walk`, untraced and without working out which missing facts keep an
    undecided walk open (its ``missing`` is empty): what settling a completion needs first."""
    return _decide_walk(service, env, None, blame=False)


def _decide_walk(service: CService, env: dict, tracer: Tracer | None = None, *,
                 blame: bool | BlameMemo = True) -> RawDecision:
    score: Any = None
    parts: tuple = ()
    if service.score:
        score, parts = _score(service, env)
        if score is not UNKNOWN:
            env["poengsum"] = score
    try:
        walk = _walk(service.tree, env, service.id, tracer, _Budget(blame), service.source.scope)
    finally:
        env.pop("poengsum", None)
    if walk is None or walk.leaf is None:
        return RawDecision(service.id, "uavklart", service.step, walk, score, parts, None)
    leaf = walk.leaf
    amount = None
    if leaf.outcome in ("innvilget", "delvis_innvilget"):
        fn = leaf.amount or service.amount
        if fn is not None:
            if service.score and score is not UNKNOWN:
                env["poengsum"] = score
            amount = fn(env)
            env.pop("poengsum", None)
    step = leaf_step(leaf, service)
    if amount is UNKNOWN:
        # Granted, but how much depends on a fact not given: not decided (item 6: a decision
        # stands only when every completion agrees on the amount too). The facts the amount
        # needs are the ones to obtain.
        expr = leaf.source.amount if leaf.amount is not None else service.source.amount
        scope = service.source.scope
        missing: frozenset[str]
        if expr is None or blame is False:
            missing = frozenset()
        elif blame is True:
            missing = _blame_expr(expr, env, scope)
        else:
            missing = blame(expr, (expr,), (), env, scope, lambda: _blame_expr(expr, env, scope))
        return RawDecision(service.id, "uavklart", step, Walk(None, walk.path, (leaf,), missing), score, parts, None)
    return RawDecision(service.id, leaf.outcome or "uavklart", step, walk, score, parts, amount, leaf.source.form)


def environment(crs: CompiledRuleSet, facts: dict[str, Any], on: _dt.date) -> dict[str, Any]:
    """The evaluation environment: the case's facts plus the parameters in force ``on``."""
    env = dict(facts)
    env.update(crs.ruleset.parameter_env(on))
    return env


def _combined(crs: CompiledRuleSet, services: tuple[str, ...]):
    """One function deciding every service of a combination (``env -> list``), built once
    per combination: the fast path makes one call per case instead of a loop. It is the
    two-valued fast path (:mod:`tildeling.evaluation.fastpath`) where a service allows it,
    falling back to the three-valued one built here."""
    parts = []
    env_globals: dict[str, Any] = {"__builtins__": {}}
    for i, sid in enumerate(services):
        fn = crs.fast.get(sid)
        if fn is None:
            service = crs.services.get(sid)
            if service is None:
                env_globals[f"_c{i}"] = RawDecision(sid, "uavklart", None, None, None, (), None)
                parts.append(f"_c{i}")
                continue
            fn = (lambda env, _s=service: decide_service(_s, env))
        env_globals[f"_f{i}"] = fn
        parts.append(f"_f{i}(env)")
    # Only our own names and indexes enter this source; service ids stay in the globals dict.
    body = "[" + ", ".join(parts) + "]"
    wrap, prefix = "{}", []
    if crs.initiative:  # then decide what the municipality decides of its own accord
        env_globals["_own"] = (lambda env, raws, _k=services:
                               own_initiative(crs, env, _k, raws, None, decide_one))
        body = f"_own(env, {body})"
        wrap = "_own(env, {})"
    if crs.application:  # bind søknad.tjenester first (a rule set that never reads it pays nothing)
        env_globals["_app"] = (lambda env, _k=services: bind_application(env, _k))
        body = f"_app(env) or {body}"
        prefix = ["_app(env)"]
    source = "lambda env: " + body
    fn = eval(compile(source, "<tildeling samlevedtak>", "eval"), env_globals)  # noqa: S307
    fast = fastpath.build(crs, services, fn, parts, {k: v for k, v in env_globals.items() if k != "__builtins__"},
                          prefix, wrap)
    if fast is not None:
        fn = fast
    if len(crs.combined) < 4096:
        crs.combined[services] = fn
    return fn


def decide(crs: CompiledRuleSet, env: dict[str, Any], services: Iterable[str],
           tracer: Tracer | None = None) -> list[RawDecision]:
    """Decide each service applied for; a service the rule set does not describe is ``uavklart``."""
    if tracer is None:
        key = services if isinstance(services, tuple) else tuple(services)
        fn = crs.combined.get(key)
        if fn is None:
            fn = _combined(crs, key)
        return fn(env)
    out = []
    tracer.env = env
    key = services if isinstance(services, tuple) else tuple(services)
    if crs.application:
        bind_application(env, key)
    traced = crs.traced
    records = tracer.records
    for sid in key:
        fn = traced.get(sid)
        if fn is not None:
            out.append(fn(env, records))
        elif sid in crs.services:
            out.append(decide_service(crs.services[sid], env, tracer))
        else:
            out.append(RawDecision(sid, "uavklart", None, None, None, (), None))
    if crs.initiative:
        return own_initiative(crs, env, key, out, tracer, decide_one)
    return out


def decide_one(crs: CompiledRuleSet, sid: str, env: dict[str, Any], tracer: Tracer | None) -> RawDecision:
    """One service of the rule set, by the generated fast path where there is one."""
    if tracer is None:
        fn = crs.fast.get(sid)
        return fn(env) if fn is not None else decide_service(crs.services[sid], env)
    traced = crs.traced.get(sid)
    return traced(env, tracer.records) if traced is not None else decide_service(crs.services[sid], env, tracer)
