"""Decide what an application asks for: the service, its parts, its amount and its form.

The service's own tree decides first (it is the gate for the whole service). If it refuses
or cannot decide, that is the decision, and every part applied for shares it. If it grants
and the application lists parts, each part is decided by its own list, and the outcome
follows from them: all granted → ``innvilget``, some → ``delvis_innvilget``, none →
``avslag``, any undecided → ``uavklart`` (the completions of the missing facts are tried
over the service and its parts together, so a decision is ``uavklart`` only when they
differ in outcome, granted parts, amount, step or form). An amount granted below the amount
applied for, or a form other than the one applied for (unless the granted form is declared
``equivalent_to`` it), makes a grant ``delvis_innvilget``. An undecided application for a
service in a form it declares carries that form's step.

A short-form application (only a service id) comes here only when its service has parts
with ``implied_when`` (:func:`implied_application`): it applies for the whole service, so it
includes each such part whose condition holds — BPA with a need at night includes the part
``natt``, and the exception in pbrl § 2-1 d andre ledd takes that part, not the right. Any
other short-form application is decided by :func:`decide` in
:mod:`tildeling.evaluation.walker`, its fast path, exactly as before.

    raws = decide_applications(crs, env, case.applications)
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any, Iterable

from tildeling.evaluation.completions import can_change, completion_space, completions, decision_key, rules_in_order
from tildeling.evaluation.decision import RawDecision, RawPart, Walk
from tildeling.evaluation.plan import CompiledRuleSet, CService
from tildeling.evaluation.trace import Tracer
from tildeling.evaluation.initiative import own_initiative
from tildeling.evaluation.walker import decide_one, decide_service
from tildeling.language.logic import UNKNOWN
from tildeling.rules.cases import AppliedFor
from tildeling.rules.parts import APPLICATION_NAMES, APPLIED_AMOUNT, APPLIED_FORM, APPLIED_PARTS

GRANTED = ("innvilget", "delvis_innvilget")


def decide_applications(crs: CompiledRuleSet, env: dict[str, Any], applications: Iterable[AppliedFor],
                        tracer: Tracer | None = None) -> list[RawDecision]:
    """One decision per application, in order (a service applied for in two forms: two),
    followed by the decisions the municipality makes of its own accord."""
    if tracer is not None:
        tracer.env = env
    apps = tuple(applications)
    raws = [decide_application(crs, env, app, tracer) for app in apps]
    if crs.initiative:
        return own_initiative(crs, env, tuple(dict.fromkeys(a.service for a in apps)), raws, tracer, decide_one)
    return raws


def decide_application(crs: CompiledRuleSet, env: dict[str, Any], app: AppliedFor,
                       tracer: Tracer | None = None) -> RawDecision:
    """Decide one application. ``søkt.omfang``, ``søkt.deler`` and ``søkt.form`` are bound in
    ``env`` while it is decided (and removed after)."""
    service = crs.services.get(app.service)
    if service is None:
        return RawDecision(app.service, "uavklart", None, None, None, (), None, None, app)
    if app.short and app.service in crs.implied:
        return implied_application(crs, service, env, app, tracer)
    if app.amount is not None:
        env[APPLIED_AMOUNT] = app.amount
    if app.parts is not None:
        env[APPLIED_PARTS] = app.parts
    if app.form is not None:
        env[APPLIED_FORM] = app.form
    try:
        raw = _combine(crs, service, env, app, tracer)
        if raw.outcome == "uavklart" and app.parts:
            raw = _settle(crs, service, env, app, raw)
    finally:
        for name in APPLICATION_NAMES:
            env.pop(name, None)
    return raw


#: At most this many parts whose inclusion is unknown are tried both ways (2**n decisions).
MAX_UNKNOWN_IMPLIED = 4


def implied_application(crs: CompiledRuleSet, service: CService, env: dict, app: AppliedFor,
                        tracer: Tracer | None = None) -> RawDecision:
    """A short-form application of a service with implied parts: decided as the application of
    the parts whose ``implied_when`` holds (none: as the short form). When a condition is
    unknown, the application is decided with and without that part; if the decisions differ,
    it is ``uavklart`` and the facts of the condition are among the missing."""
    sure: list[str] = []
    open_: list[Any] = []
    for pid, cp in service.parts.items():
        if cp.implied is None:
            continue
        value = cp.implied(env)
        if value is True:
            sure.append(pid)
        elif value is not False:
            open_.append(cp)
    if len(open_) > MAX_UNKNOWN_IMPLIED:
        open_ = open_[:MAX_UNKNOWN_IMPLIED]

    def variant(extra: tuple[str, ...], tr: Tracer | None) -> RawDecision:
        chosen = tuple(pid for pid in service.parts if pid in sure or pid in extra)
        if not chosen:
            return _short(crs, service, env, tr)
        return decide_application(crs, env, dataclasses.replace(app, parts=chosen), tr)

    if not sure and not open_:
        return _short(crs, service, env, tracer)
    first = variant((), tracer)
    if not open_:
        return first
    def implied_key(d: RawDecision) -> tuple:  # the parts considered differ between variants
        return application_key(d) + ((tuple(p.part for p in d.parts),) if d.outcome in GRANTED else ())

    keys = {implied_key(first)}
    missing: set[str] = set(first.walk.missing) if first.outcome == "uavklart" and first.walk else set()
    for n in range(1, len(open_) + 1):
        for combo in itertools.combinations(open_, n):
            d = variant(tuple(cp.id for cp in combo), None)
            keys.add(implied_key(d))
            if d.outcome == "uavklart" and d.walk is not None:
                missing |= d.walk.missing
    if len(keys) == 1 and first.outcome != "uavklart":
        return first
    # Decisions that differ with the part, or a decision still open (where the service is
    # granted, the part changes the parts granted or the outcome): its facts are missing too.
    for cp in open_:
        missing.update(f for f in cp.implied_deps if env.get(f, UNKNOWN) is UNKNOWN)
    walk = first.walk
    undecided = (walk.undecided if walk is not None and walk.undecided else service.tree[:1])
    return dataclasses.replace(first, outcome="uavklart", amount=None,
                               walk=Walk(None, walk.path if walk else (), undecided, frozenset(missing)))


def _short(crs: CompiledRuleSet, service: CService, env: dict, tracer: Tracer | None) -> RawDecision:
    """A short-form application that implies no part: the service's own tree, as the fast path decides it."""
    return _decide(service, env, tracer, crs.fast.get(service.id), crs.traced.get(service.id))


def _decide(service: CService, env: dict, tracer: Tracer | None, fast: Any, traced: Any) -> RawDecision:
    if tracer is None:
        return fast(env) if fast is not None else decide_service(service, env)
    return traced(env, tracer.records) if traced is not None else decide_service(service, env, tracer)


def _combine(crs: CompiledRuleSet, service: CService, env: dict, app: AppliedFor,
             tracer: Tracer | None) -> RawDecision:
    raw = _decide(service, env, tracer, crs.fast.get(service.id), crs.traced.get(service.id))
    if raw.outcome not in GRANTED:
        shared = tuple(RawPart(p, raw, False) for p in app.parts or ())
        step = raw.step
        if raw.outcome == "uavklart" and app.form is not None and app.form in service.source.forms:
            # Not yet decided: the case is about the form applied for, so it sits on that form's
            # step (an avlastningsopphold on step 11, not the service's timeavlastning on step 6).
            step = service.source.forms[app.form].step
        return RawDecision(raw.service, raw.outcome, step, raw.walk, raw.score, raw.score_parts, raw.amount,
                           raw.form, app, shared)
    form, step = _form_and_step(service, raw, app)
    outcome = raw.outcome
    walk = raw.walk
    parts: tuple[RawPart, ...] = ()
    if app.parts:  # a part the rule set does not declare is not decided (a legacy set in a diff)
        parts = tuple(RawPart(pid, _decide(cp.service, env, tracer, cp.fast, cp.traced), True)
                      for pid in app.parts if (cp := service.parts.get(pid)) is not None)
    if parts:
        granted = sum(1 for p in parts if p.decision.outcome in GRANTED)
        undecided = [p.decision for p in parts if p.decision.outcome == "uavklart"]
        if undecided:
            outcome = "uavklart"
            und: tuple = ()
            missing: frozenset[str] = frozenset()
            for d in undecided:
                if d.walk is not None:
                    und += d.walk.undecided
                    missing |= d.walk.missing
            if not und:  # a part list where no rule matched: blame its first rule
                und = tuple(r for pd in parts if pd.decision.outcome == "uavklart"
                            for r in service.parts[pd.part].service.tree[:1])
            walk = Walk(None, raw.walk.path if raw.walk else (), und, missing)
        elif granted == 0:
            outcome = "avslag"
        elif granted < len(parts) or any(p.decision.outcome == "delvis_innvilget" for p in parts):
            outcome = "delvis_innvilget"
    if outcome in GRANTED:
        if app.form is not None and form != app.form:
            granted_form = service.source.forms.get(form) if form else None
            if granted_form is None or granted_form.equivalent_to != app.form:
                outcome = "delvis_innvilget"
        if app.amount is not None and _number(raw.amount) and raw.amount < app.amount:
            outcome = "delvis_innvilget"
    return RawDecision(raw.service, outcome, step, walk, raw.score, raw.score_parts, raw.amount, form, app, parts)


def _number(x: Any) -> bool:
    return type(x) in (int, float)


def _form_and_step(service: CService, raw: RawDecision, app: AppliedFor) -> tuple[str | None, int | None]:
    """The form granted (the leaf's, else the one applied for) and its step: the leaf's own
    step, else the granted form's, else the service's."""
    if raw.form is not None or app.form is None:
        return raw.form, raw.step
    leaf = raw.walk.leaf if raw.walk is not None else None
    form = service.source.forms.get(app.form)
    if form is None or (leaf is not None and leaf.step is not None):
        return app.form, raw.step
    return app.form, form.step


def application_key(d: RawDecision) -> tuple:
    """What two completions must share to give the same decision on an application: the
    service's decision (outcome; for a grant step, amount and form) and, for a grant, each
    part granted with its amount."""
    key = decision_key(d)
    if d.outcome in GRANTED and d.parts:
        key += tuple((p.part, "?" if p.decision.amount is UNKNOWN else p.decision.amount)
                     for p in d.parts if p.decision.outcome in GRANTED)
    return key


def _settle(crs: CompiledRuleSet, service: CService, env: dict, app: AppliedFor, raw: RawDecision) -> RawDecision:
    """The application is undecided: try every completion of the missing facts its service
    and parts depend on (as :func:`tildeling.evaluation.completions.settle` does for one
    tree), and list exactly the facts that can change the decision."""
    trees = [service.tree] + [cp.service.tree for pid in app.parts or () if (cp := service.parts.get(pid))]
    rules = [r for tree in trees for r in rules_in_order(tree)]
    space = completion_space(rules, service, env)
    if space is None:
        return raw
    finite = space[0]
    results = []
    for combo, full in completions(space, env, service.source.scope):
        d = _combine(crs, service, full, app, None)
        results.append((combo, application_key(d), d))
    keys = {k for _, k, _ in results}
    if len(keys) == 1:
        if next(iter(keys)) == ("uavklart",):
            return raw
        return results[0][2]  # every completion decides alike: the first stands for them
    missing = can_change(finite, results)
    walk = raw.walk
    undecided = walk.undecided if walk is not None else ()
    if not undecided:
        undecided = tuple(r for _, _, d in results if d.walk is not None for r in d.walk.undecided)[:1]
    if not undecided:  # every completion decided, differently: blame the first rule of the service
        undecided = service.tree[:1]
    path = walk.path if walk is not None else ()
    return RawDecision(raw.service, "uavklart", raw.step, Walk(None, path, undecided, frozenset(missing)),
                       raw.score, raw.score_parts, None, raw.form, app, raw.parts)


__all__ = ["application_key", "decide_application", "decide_applications"]
