"""The columnar plan of a compiled rule set, and deciding a population with it.

:func:`columnar_plan` reads a :class:`~tildeling.evaluation.plan.CompiledRuleSet` once:
per service its decision tree as nested first-hit lists of (condition, leaf or sub-list),
its leaves (id, outcome, step, form, amount expression) and its score; the own-initiative
conditions. :func:`evaluate` decides a :class:`~.columns.Population`: rows are grouped by
the services they apply for; per group every condition is one column
(:mod:`.vector`), and ``numpy.select`` picks, per row, the first rule whose condition is
true — or marks the row *delegated* where a condition before it is unknown. Delegated rows
are decided by the per-case evaluator (:func:`decide_case`), so every row's decisions are
exactly the per-case ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from tildeling.evaluation.columnar.columns import KIND_LETTER, Col, Population
from tildeling.evaluation.columnar.vector import Frame
from tildeling.evaluation.decision import RawDecision
from tildeling.evaluation.parts import decide_applications
from tildeling.evaluation.plan import CompiledRuleSet, CRule, CService, leaf_step
from tildeling.evaluation.walker import decide
from tildeling.language.expressions import Expr, names
from tildeling.language.scope import Scope
from tildeling.language.typecheck import annotate
from tildeling.rules.cases import AppliedFor
from tildeling.rules.initiative import APPLIED_SERVICES, DECISION_PREFIX, REFUSED_PARTS, decision_scope

DELEGATE = -1  # a condition before any leaf is unknown (or the leaf cannot be decided here)
NO_MATCH = -2  # no rule holds (the per-case evaluator reports it)
DECIDED = ("innvilget", "delvis_innvilget", "avslag")
GRANTED = ("innvilget", "delvis_innvilget")

#: One decision as compared between the evaluators:
#: (service, outcome, step, amount, leaf id, initiative).
Record = tuple


def _np():
    import numpy as np
    return np


@dataclass(frozen=True)
class Leaf:
    id: str
    outcome: str
    step: int | None
    form: str | None
    amount: Expr | None  # the amount expression of a grant (the leaf's, else the service's)


@dataclass
class ServicePlan:
    id: str
    service: CService
    scope: Scope
    types: dict
    leaves: list[Leaf]
    tree: list  # [(condition Expr | None for else, leaf index | DELEGATE | sub-list)]
    score: tuple[tuple[Expr, float], ...]

    def decide(self, frame: Frame) -> "ServiceColumns":
        """Every row of ``frame``: the leaf reached (index into ``leaves``; DELEGATE or NO_MATCH
        when the per-case evaluator must decide) and the amount granted."""
        np = _np()
        if self.score:
            frame = frame.child({"poengsum": self._score(frame)})
        leaf = np.asarray(self._select(self.tree, frame), dtype=np.int32)
        if leaf.ndim == 0:
            leaf = np.full(frame.n, int(leaf), dtype=np.int32)
        amount = None
        for i, lf in enumerate(self.leaves):
            if lf.amount is None:
                continue
            hit = leaf == i
            if not hit.any():
                continue
            col = frame.evaluate(lf.amount, self.scope, self.types)
            if col.kind != "n":
                leaf[hit] = DELEGATE
                continue
            values, known = frame.full(col)
            if amount is None:
                amount = np.full(frame.n, np.nan)
            amount[hit] = values[hit]
            if known is not None:
                leaf[hit & ~known] = DELEGATE  # an unknown amount leaves the grant undecided
        return ServiceColumns(self, leaf, amount)

    def _score(self, frame: Frame) -> Col:
        np = _np()
        total = np.zeros(frame.n)
        known = None
        for expr, weight in self.score:
            col = frame.evaluate(expr, self.scope, self.types)
            values, k = frame.full(col)
            if col.kind == "b":
                points = np.where(values, 1.0, 0.0)
            elif col.kind == "n":
                points = values
            else:
                return Col.unknown("n")
            total = total + points * weight
            if k is not None:
                known = k if known is None else known & k
        return Col("n", total, known)

    def _select(self, nodes: list, frame: Frame):
        np = _np()
        conds, choices = [], []
        for cond, target in nodes:
            choice = target if isinstance(target, int) else self._select(target, frame)
            if cond is None:  # else
                conds.append(np.ones(frame.n, dtype=bool))
                choices.append(choice)
                break
            col = frame.evaluate(cond, self.scope, self.types)
            if col.kind != "b":
                conds.append(np.ones(frame.n, dtype=bool))
                choices.append(DELEGATE)
                break
            values, known = frame.full(col)
            if known is None:
                conds.append(values)
                choices.append(choice)
            else:
                conds.append(values | ~known)
                choices.append(np.where(known, choice, DELEGATE))
        if not conds:
            return np.full(frame.n, NO_MATCH, dtype=np.int32)
        return np.select(conds, choices, default=NO_MATCH)


@dataclass
class ServiceColumns:
    plan: ServicePlan
    leaf: Any  # int32 per row
    amount: Any  # float64 per row (NaN: none), or None when no leaf has an amount

    def record(self, i: int, initiative: str) -> Record:
        lf = self.plan.leaves[int(self.leaf[i])]
        amount = None
        if self.amount is not None and lf.amount is not None:
            amount = float(self.amount[i])
        return (self.plan.id, lf.outcome, lf.step, amount, lf.id, initiative)


@dataclass
class InitiativePlan:
    service: str
    when: Expr
    scope: Scope
    types: dict


@dataclass
class ColumnarPlan:
    crs: CompiledRuleSet
    services: dict[str, ServicePlan]
    initiative: list[InitiativePlan]

    def fact_columns(self) -> list[tuple[str, str]]:
        """Every (fact path, column kind) the plan reads (for :meth:`Population.load`)."""
        out: dict[tuple[str, str], None] = {}
        seen: set[int] = set()

        def visit(expr: Expr, scope: Scope) -> None:
            for node in names(expr):
                symbol = scope.lookup(node.path)
                if symbol is None:
                    continue
                if symbol.kind == "definition":
                    if symbol.expr is not None and id(symbol.expr) not in seen:
                        seen.add(id(symbol.expr))
                        visit(symbol.expr, scope)
                    continue
                out[(node.path, KIND_LETTER.get(symbol.type.kind, "o"))] = None
                for when, _ in symbol.derived:
                    if id(when) not in seen:
                        seen.add(id(when))
                        visit(when, scope)

        for sp in self.services.values():
            for expr in _expressions(sp):
                visit(expr, sp.scope)
        for ip in self.initiative:
            visit(ip.when, ip.scope)
        return list(out)


def _expressions(sp: ServicePlan) -> list[Expr]:
    out = [e for e, _ in sp.score] + [lf.amount for lf in sp.leaves if lf.amount is not None]
    stack = [sp.tree]
    while stack:
        for cond, target in stack.pop():
            if cond is not None:
                out.append(cond)
            if isinstance(target, list):
                stack.append(target)
    return out


_PLANS: dict[int, tuple[CompiledRuleSet, ColumnarPlan]] = {}


def columnar_plan(crs: CompiledRuleSet) -> ColumnarPlan:
    """The columnar plan of ``crs`` (built once per compiled rule set)."""
    found = _PLANS.get(id(crs))
    if found is not None and found[0] is crs:
        return found[1]
    services = {sid: _service_plan(cs) for sid, cs in crs.services.items()}
    initiative = []
    for sid, oi in crs.initiative.items():
        sdef = crs.ruleset.services[sid]
        scope = decision_scope(sdef.scope, crs.ruleset.services)
        expr = sdef.own_initiative.when  # type: ignore[union-attr]
        initiative.append(InitiativePlan(sid, expr, scope, annotate(expr, scope)))
    plan = ColumnarPlan(crs, services, initiative)
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[id(crs)] = (crs, plan)
    return plan


def _service_plan(cs: CService) -> ServicePlan:
    scope = cs.source.scope
    types: dict = {}
    leaves: list[Leaf] = []

    def build(rules: tuple[CRule, ...]) -> list:
        nodes = []
        for rule in rules:
            cond = rule.source.condition if not rule.is_else else None
            if cond is not None:
                types.update(annotate(cond, scope))
            if rule.children is not None:
                target: Any = build(rule.children)
            elif rule.outcome in DECIDED:
                amount = None
                if rule.outcome in GRANTED:
                    amount = rule.source.amount if rule.amount is not None else cs.source.amount
                    if amount is not None:
                        types.update(annotate(amount, scope))
                target = len(leaves)
                leaves.append(Leaf(rule.id, rule.outcome, leaf_step(rule, cs), rule.source.form, amount))
            else:
                target = DELEGATE  # a leaf that leaves the case open: the per-case evaluator settles it
            nodes.append((cond, target))
            if rule.is_else:
                break
        return nodes

    tree = build(cs.tree)
    score = []
    for comp, sdef in zip(cs.score, cs.source.score):
        types.update(annotate(sdef.value, scope))
        score.append((sdef.value, comp.weight))
    return ServicePlan(cs.id, cs, scope, types, leaves, tree, tuple(score))


# -- the per-case reference ---------------------------------------------------------------

def decide_case(crs: CompiledRuleSet, env: dict, services: Sequence[str],
                applications: Sequence[AppliedFor] | None = None) -> list[RawDecision]:
    """The per-case decisions of one row, as :func:`tildeling.engine.evaluate_with` makes
    them: the fast path for a plain application, the application path for the long form
    or a service whose parts a short application implies. ``env`` is not changed."""
    env = dict(env)
    if applications is not None:
        return decide_applications(crs, env, applications)
    key = tuple(services)
    if crs.implied.intersection(key):
        return decide_applications(crs, env, tuple(AppliedFor(s, index=i) for i, s in enumerate(key)))
    return decide(crs, env, key)


def raw_record(raw: RawDecision) -> Record:
    """A per-case decision as the record the columnar result gives."""
    leaf = raw.walk.leaf if raw.walk is not None else None
    return (raw.service, raw.outcome, raw.step, raw.amount, leaf.id if leaf is not None else None, raw.initiative)


# -- deciding a population ----------------------------------------------------------------

@dataclass
class Decided:
    """One service decided for ``rows`` (indices into the population; None: every row)."""

    columns: ServiceColumns
    rows: Any
    present: Any = None  # own initiative: bool per row of ``rows``, where it is reported


@dataclass
class ColumnarResult:
    """The decisions of a population: per service the columns of its decisions over the
    rows that apply for it, the own-initiative decisions, and the rows the per-case
    evaluator decided (``delegated``: row → its records)."""

    population: Population
    applied: dict[str, Decided]
    initiative: list[Decided]
    delegated_rows: Any  # bool per row
    delegated: dict[int, list[Record]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.population.n

    @property
    def delegated_count(self) -> int:
        return len(self.delegated)

    def records(self) -> list[list[Record]]:
        """Per row, its decisions in the per-case order (services applied for, then those
        decided on the municipality's own initiative)."""
        np = _np()
        n = self.n
        positions = {}
        for sid, d in self.applied.items():
            if d.rows is not None:
                pos = np.full(n, -1, dtype=np.int64)
                pos[d.rows] = np.arange(len(d.rows))
                positions[sid] = pos.tolist()
        own = []
        for d in self.initiative:
            where = {}
            present = d.present.tolist()
            for j, row in enumerate(d.rows.tolist()):
                if present[j]:
                    where[row] = j
            own.append((d, where))
        delegated = self.delegated_rows.tolist()
        out: list[list[Record]] = []
        for i in range(n):
            if delegated[i]:
                out.append(self.delegated[i])
                continue
            recs = []
            for sid in self.population.services_of(i):
                d = self.applied[sid]
                recs.append(d.columns.record(i if d.rows is None else positions[sid][i], "søknad"))
            for d, where in own:
                at = where.get(i)
                if at is not None:
                    recs.append(d.columns.record(at, "kommunen"))
            out.append(recs)
        return out


def evaluate(crs: CompiledRuleSet, population: Population) -> ColumnarResult:
    """Decide every row of ``population`` under ``crs``: columnar where it can, per case
    where it must (see the package docstring); the records equal the per-case ones."""
    np = _np()
    plan = columnar_plan(crs)
    n = population.n
    delegated = population.unfit.copy()
    apps = population.applications
    if apps is not None:
        delegated |= np.fromiter((a is not None for a in apps), dtype=bool, count=n)
    base = Frame(population, None, bind_applied=crs.application)
    applied: dict[str, Decided] = {}
    for sid, rows in population.service_rows().items():
        if sid not in plan.services or sid in crs.implied:
            delegated[slice(None) if rows is None else rows] = True  # not described / the application path
            continue
        frame = base if rows is None else Frame(population, rows, bind_applied=crs.application)
        sc = plan.services[sid].decide(frame)
        applied[sid] = Decided(sc, rows)
        undecided = sc.leaf < 0
        if undecided.any():
            delegated[undecided if rows is None else rows[undecided]] = True
    own: list[Decided] = []
    if plan.initiative:
        iframe = base.child(_decision_names(plan, applied, population))
        for ip in plan.initiative:
            when = iframe.evaluate(ip.when, ip.scope, ip.types)
            if when.kind != "b":
                delegated[:] = True
                break
            values, known = base.full(when)
            asked = population.applies_for(ip.service)
            if known is not None:
                # Unknown decides nothing, unless facts known to be one of several values
                # (en_av) settle it, or the per-case evaluator knows what the columns do
                # not (bounds: ``when.exact`` false): those rows go to the per-case evaluator.
                open_rows = ~known & ~asked
                delegated |= (open_rows & population.restricted()) if when.exact else open_rows
                values = values & known
            rows = np.flatnonzero(values & ~asked)
            if not len(rows):
                continue
            sc = plan.services[ip.service].decide(Frame(population, rows, bind_applied=crs.application))
            undecided = sc.leaf < 0
            delegated[rows[undecided]] = True
            refusal = np.asarray([lf.outcome == "avslag" for lf in sc.plan.leaves] + [True, True])
            own.append(Decided(sc, rows, ~refusal[sc.leaf]))  # leaf < 0 indexes the trailing entries
    delegated |= population.unfit  # again: a column built during the evaluation may have found some
    result = ColumnarResult(population, applied, own, delegated)
    for i in np.flatnonzero(delegated).tolist():
        raws = decide_case(crs, population.env(i), population.services_of(i), apps[i] if apps is not None else None)
        result.delegated[i] = [raw_record(r) for r in raws]
    return result


def _decision_names(plan: ColumnarPlan, applied: dict[str, Decided], population: Population) -> dict:
    """``vedtak.<tjeneste>`` (the outcome) and ``vedtak.<tjeneste>.deler_avslått`` (no parts
    are decided for a plain application: empty where decided) for the services applied for;
    unknown for the others."""
    np = _np()
    interner = population.interner
    n = population.n
    out: dict[str, Col] = {}
    for sid in plan.services:
        d = applied.get(sid)
        if d is None:
            out[DECISION_PREFIX + sid] = Col.unknown("t", exact=True)
            out[DECISION_PREFIX + sid + REFUSED_PARTS] = Col.unknown("o", exact=True)
            continue
        sc = d.columns
        codes = np.asarray([interner.code(lf.outcome) for lf in sc.plan.leaves] + [-1, -1], dtype=np.int64)
        if d.rows is None:
            values = codes[sc.leaf]
            known = sc.leaf >= 0
        else:
            values = np.full(n, -1, dtype=np.int64)
            values[d.rows] = codes[sc.leaf]
            known = np.zeros(n, dtype=bool)
            known[d.rows] = sc.leaf >= 0
        known_or_none = None if known.all() else known
        out[DECISION_PREFIX + sid] = Col("t", values, known_or_none)
        empty = Col.of("o", (), interner)
        out[DECISION_PREFIX + sid + REFUSED_PARTS] = Col("o", empty.values, known_or_none)
    return out


def population_columns(crs: CompiledRuleSet, population: Population) -> Population:
    """Build every column the plan of ``crs`` reads (untimed preparation)."""
    population.load(columnar_plan(crs).fact_columns())
    return population


__all__ = ["DELEGATE", "NO_MATCH", "ColumnarPlan", "ColumnarResult", "columnar_plan", "decide_case", "evaluate",
           "population_columns", "raw_record"]
