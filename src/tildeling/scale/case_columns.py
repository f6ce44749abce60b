"""Cases as columnar populations: each case's fact environment as the engine builds it
(:func:`tildeling.engine.evaluate_with`: runtime facts plus the parameters in force on the
date it is judged), grouped by the rule set it is judged by.

    engine = Engine("rules")
    for batch in populations(engine, cases):
        result = evaluate(batch.crs, batch.population)
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Iterable

from tildeling.engine import Engine, case_environment
from tildeling.evaluation.columnar import Population
from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.rules.cases import Case


@dataclass
class Batch:
    """The cases judged by one rule set, as a population (rows in the order given)."""

    crs: CompiledRuleSet
    population: Population
    ids: list[str]


def case_row(crs: CompiledRuleSet, case: Case, as_of: _dt.date | None = None):
    """``(env, services, applications or None)`` of one case under ``crs``; raises
    :class:`~tildeling.core.errors.CaseError` when its facts do not fit the vocabulary (as evaluating it would)."""
    env, _ = case_environment(crs, case, as_of)
    services = tuple(case.applied_for)
    return env, services, None if case.plain else case.applications


def populations(engine: Engine, cases: Iterable[Case], *, as_of: _dt.date | None = None,
                rules: str | None = None) -> list[Batch]:
    """The cases grouped by the rule set each is judged by (``rules``: one rule set file for
    all), in order of first appearance."""
    rows: dict[int, tuple[CompiledRuleSet, list]] = {}
    for case in cases:
        crs, _ = engine.choose(case, as_of=as_of, rules=rules)
        rows.setdefault(id(crs), (crs, []))[1].append((case.id, case_row(crs, case, as_of)))
    out = []
    for crs, items in rows.values():
        envs = [r[0] for _, r in items]
        services = [r[1] for _, r in items]
        apps = [r[2] for _, r in items]
        out.append(Batch(crs, Population(envs, services, apps if any(a is not None for a in apps) else None),
                         [cid for cid, _ in items]))
    return out
