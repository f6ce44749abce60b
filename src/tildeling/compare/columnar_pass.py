"""The columnar first pass of a diff: a chunk of cases decided as two populations at once.

:func:`diff_chunk` gives, for a chunk of sources, exactly the results that comparing them
one by one gives (:func:`tildeling.compare.diff.diff_source`): the plain cases of
the chunk (a short ``applied_for``, no appeal, no expectations naming unknown rule sets)
are decided with the columnar evaluator (:mod:`tildeling.evaluation.columnar`) under the
old and the new rule set, and their decisions — outcome, step, amount and the leaf reached,
per service — are compared in bulk. Only these go case by case, with explanations and
the cause of each change (:mod:`tildeling.compare.cause`):

- a case whose decision on some service it applied for changes (outcome, step or amount:
  what makes an item *changed*);
- a case the columnar evaluator hands off under either rule set (an unknown fact reaching a
  decision, a service the rule set does not describe, the long form of an application …);
- a case that cannot be decided columnar at all: not readable, not plain, with an appeal,
  a rule set that cannot be chosen or is broken, facts that do not fit the vocabulary, or an
  amount or score the per-case evaluator would refuse as out of range.

For every other case the items are built from the columnar decisions directly: the same
:class:`~tildeling.compare.diff.Side` the per-case explanation gives a decision reached at a
leaf (its rule is the leaf; no missing facts; the amount as the leaf's amount function
computes it, with its unit), so the report — item list, totals, matrices, counts — is the
same, byte for byte. The harmonisation report can use :func:`decide_pairs` for its own pairs.

It is used only when asked for (``run_diff(..., columnar=True)``): measured on generated
corpora it is not faster than case by case (0.64-0.92x), since reading a case, choosing its
rule sets and building and checking its fact environments — done per case either way — now
cost more than deciding and explaining it (docs/ytelse.md, «Sak 9 (diffscale)»). It pays when
the corpus is read and checked as columns too.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Sequence

from tildeling.compare.diff import (CaseResult, DiffTask, Item, Side, diff_case, diff_source, pair,
                                    outside_validity, used_rule_sets)
from tildeling.core.numbers import computable
from tildeling.corpus.read import Source, load_source
from tildeling.engine import Engine, case_environment
from tildeling.evaluation.completions import rules_in_order
from tildeling.evaluation.plan import CompiledRuleSet, CRule, CService
from tildeling.evaluation.walker import service_score
from tildeling.explain.explanation import jsonable
from tildeling.language.logic import UNKNOWN
from tildeling.rules.cases import Case

GRANTED = ("innvilget", "delvis_innvilget")
SIDES = ("old", "new")


@dataclass
class Row:
    """One plain case of the chunk, ready for the columns: where it is in the chunk, the
    case, its source name, the rule set of each side and its fact environment under it."""

    at: int
    case: Case
    name: str
    crs: dict[str, CompiledRuleSet]
    envs: dict[str, dict]


def diff_chunk(engine: Engine, task: DiffTask, sources: Sequence[Source]) -> list[Any]:
    """The :class:`~tildeling.compare.diff.CaseResult` of each source, in order: the same as
    ``[diff_source(engine, task, s) for s in sources]``."""
    results: list[CaseResult | None] = [None] * len(sources)
    rows: list[Row] = []
    for at, source in enumerate(sources):
        row = _plain_row(engine, task, source, at)
        if isinstance(row, Row):
            rows.append(row)
        else:
            results[at] = row
    groups: dict[tuple[int, int], list[Row]] = {}
    for row in rows:
        groups.setdefault((id(row.crs["old"]), id(row.crs["new"])), []).append(row)
    for group in groups.values():
        decided = decide_pairs(group[0].crs, [r.envs for r in group], [tuple(r.case.applied_for) for r in group])
        for row, records in zip(group, decided):
            got = None if records is None else _unchanged(task, row, records)
            results[row.at] = got if got is not None else diff_case(engine, task, row.case, row.name)
    return results  # every place is filled above


def _plain_row(engine: Engine, task: DiffTask, source: Source, at: int) -> Row | CaseResult:
    """The source as a :class:`Row`, or its result case by case when it is no plain case."""
    try:
        case = load_source(source)
    except Exception:  # noqa: BLE001 - the failure (or skip) exactly as case by case
        return diff_source(engine, task, source)
    name = source.name
    if not case.plain or case.appeal is not None or case.model.expect_by_rule_set:
        return diff_case(engine, task, case, name)
    try:
        crs = pair(engine, task, case)  # as case by case: auto, coverage, the same set on both sides
        if any(c.implied.intersection(case.applied_for) for c in crs.values()):
            return diff_case(engine, task, case, name)  # parts a short application implies: case by case
        envs = {s: case_environment(c, case, task.as_of)[0] for s, c in crs.items()}
    except Exception:  # noqa: BLE001 - the same failure, case by case
        return diff_case(engine, task, case, name)
    return Row(at, case, name, crs, envs)


def decide_pairs(crs: dict[str, CompiledRuleSet], envs: Sequence[dict[str, dict]],
                 services: Sequence[tuple[str, ...]]) -> list[dict[str, list] | None]:
    """Per row, the columnar records (service, outcome, step, amount, leaf id, initiative)
    under each side's rule set (``crs["old"]``, ``crs["new"]``), or None when the columnar
    evaluator handed the row off under either (the per-case evaluator must decide it)."""
    from tildeling.evaluation.columnar import Population, evaluate, population_columns

    by_side = {}
    for side in SIDES:
        c = crs[side]
        pop = Population([e[side] for e in envs], list(services))
        by_side[side] = evaluate(c, population_columns(c, pop))
    handed_off = by_side["old"].delegated_rows | by_side["new"].delegated_rows
    records = {side: by_side[side].records() for side in SIDES}
    return [None if handed_off[i] else {side: records[side][i] for side in SIDES} for i in range(len(envs))]


def _unchanged(task: DiffTask, row: Row, records: dict[str, list]) -> CaseResult | None:
    """The result of a case whose decisions do not change, from its columnar records; None
    when some item changes, or anything about it needs the case-by-case way."""
    sides: dict[str, list[tuple[str, Side]]] = {}
    for side in SIDES:
        crs = row.crs[side]
        lang = task.lang or crs.ruleset.language
        label = f"{crs.ruleset.id} {crs.ruleset.version}"
        out = []
        for record in records[side]:
            made = _side(crs, row.envs[side], record, lang, label)
            if made is None:
                return None
            if record[5] != "kommunen":  # the decisions of the municipality's own accord are not compared
                out.append(made)
        sides[side] = out
    if len(sides["old"]) != len(sides["new"]):
        return None
    items = []
    for (sid, old), (_, new) in zip(sides["old"], sides["new"]):
        if old.key() != new.key():
            return None  # a change: explained case by case, with its cause
        name = _service_name(row.crs["new"], sid, task) or _service_name(row.crs["old"], sid, task) or sid
        items.append(Item(row.case.id, row.name, sid, name, old, new, False, "unchanged"))
    return CaseResult(row.name, items, used_rule_sets(row.crs), outside_validity(row.case, row.crs, task.as_of))


def _service_name(crs: CompiledRuleSet, sid: str, task: DiffTask) -> str | None:
    service = crs.services.get(sid)
    return None if service is None else service.name.get(task.lang or crs.ruleset.language)


def _side(crs: CompiledRuleSet, env: dict, record: tuple, lang: str, label: str) -> tuple[str, Side] | None:
    """The :class:`Side` the per-case explanation gives this decision (reached at a leaf), or
    None when it cannot be had here: the amount is worked out by the leaf's own amount
    function (as the per-case evaluator does, so its type is the same) and must equal the
    column's; an amount or score out of range is the per-case evaluator's error."""
    sid, outcome, step, amount, leaf_id, _initiative = record
    service = crs.services.get(sid)
    if service is None:
        return None
    leaf = _leaf(service, leaf_id)
    if leaf is None or leaf.outcome != outcome:
        return None
    exact: Any = None
    try:
        score: Any = None
        if service.score:
            score = service_score(service, env)
            if not computable(score):
                return None
        fn = leaf.amount or service.amount if outcome in GRANTED else None
        if fn is not None:
            scratch = env if not service.score or score is UNKNOWN else {**env, "poengsum": score}
            exact = fn(scratch)
    except ArithmeticError:
        return None
    if exact is UNKNOWN or not computable(exact):
        return None
    if (exact is None) != (amount is None) or (exact is not None and exact != amount):
        return None  # not what the columns say: let the per-case evaluator decide
    unit_text = ""
    value = None
    if exact is not None:
        leaf_unit = leaf.amount_unit if leaf.amount else None
        unit = leaf_unit or service.amount_unit
        value, unit_text = jsonable(exact), (unit.get(lang) if unit else "")
    return sid, Side(label, outcome, step, value, unit_text, leaf.id, [])


_LEAVES: dict[int, tuple[CService, dict[str, CRule]]] = {}


def _leaf(service: CService, leaf_id: str) -> CRule | None:
    """The rule ``leaf_id`` of the service's tree (kept per service object)."""
    hit = _LEAVES.get(id(service))
    if hit is None or hit[0] is not service:
        hit = _LEAVES[id(service)] = (service, {r.id: r for r in rules_in_order(service.tree) if r.children is None})
    return hit[1].get(leaf_id)


__all__ = ["decide_pairs", "diff_chunk"]
