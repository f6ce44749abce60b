"""Decide what the municipality decides of its own accord (issue 7, item 2).

After the services applied for are decided, each service with ``own_initiative`` that was
not applied for is considered, in rule-set order: when its condition is true, it is decided
by its own tree, and the decision is reported (marked ``initiative: kommunen``) unless it is
a refusal — the municipality does not refuse what nobody asked for. A condition that is
unknown decides nothing and makes nothing ``uavklart``; a condition on a fact known to be one
of several values is true when it is true for each of them.

The condition may read ``søknad.tjenester`` (bound by :func:`bind_application`) and the
decisions on the services applied for: ``vedtak.<tjeneste>`` (the outcome) and
``vedtak.<tjeneste>.deler_avslått`` (refused parts), unknown for a service not applied for.

    raws = own_initiative(crs, env, ("bpa",), raws, None, decide_one)
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from tildeling.evaluation.decision import RawDecision
from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.evaluation.trace import Tracer
from tildeling.language.logic import UNKNOWN
from tildeling.language.partial import resolve
from tildeling.rules.initiative import APPLIED_SERVICES, DECISION_PREFIX, REFUSED_PARTS

#: The rule id an own-initiative condition is traced and explained under: ``<tjeneste>.eget-initiativ``.
RULE_SUFFIX = ".eget-initiativ"

DecideOne = Callable[[CompiledRuleSet, str, dict, "Tracer | None"], RawDecision]


def bind_application(env: dict[str, Any], services: tuple[str, ...]) -> None:
    """Bind ``søknad.tjenester``: the services the case applies for (always known).
    Returns None, so the generated samlevedtak can write ``_app(env) or [...]``."""
    env[APPLIED_SERVICES] = services


def refused_parts(raw: RawDecision) -> tuple[str, ...]:
    """The part ids a decision refuses (``vedtak.<tjeneste>.deler_avslått``); empty when it
    decided no parts (parts are decided when a case lists them: evaluation/parts.py)."""
    return tuple(p.part for p in raw.parts if p.decision.outcome == "avslag")


def own_initiative(crs: CompiledRuleSet, env: dict[str, Any], applied: tuple[str, ...], raws: list[RawDecision],
                   tracer: Tracer | None, decide_one: DecideOne) -> list[RawDecision]:
    """``raws`` (the decisions on ``applied``) followed by the decisions the municipality
    makes of its own accord. ``env`` gains the ``vedtak.*`` names only while their
    conditions are evaluated."""
    bound = []
    for raw in raws:
        name = DECISION_PREFIX + raw.service
        env[name] = raw.outcome
        bound.append(name)
        if raw.outcome != "uavklart":
            env[name + REFUSED_PARTS] = refused_parts(raw)
            bound.append(name + REFUSED_PARTS)
    out = raws
    try:
        for sid, oi in crs.initiative.items():
            if sid in applied:
                continue
            value = oi.when(env)
            if value is UNKNOWN:  # known all the same when every allowed value of a fact given in part agrees
                value = resolve(oi.when, env)
            start = len(tracer.records) if tracer is not None else 0
            if value is True:
                raw = decide_one(crs, sid, env, tracer)
            if tracer is not None:  # before the service's own events (a fallback re-records those)
                tracer.records.insert(start, ("test", sid, sid + RULE_SUFFIX, value, tracer.depth, oi.deps))
            if value is not True or raw.outcome == "avslag":
                continue
            if out is raws:
                out = list(raws)
            out.append(dataclasses.replace(raw, initiative="kommunen"))
    finally:
        for name in bound:
            env.pop(name, None)
    return out
