"""Compile a checked :class:`RuleSet` once into closures; evaluating a case then parses
nothing and walks no YAML.

Conditions, amounts and scores become Python functions generated from the checked AST
(:mod:`tildeling.evaluation.codegen`); texts become pre-split templates; legal references are parsed
citations.

    crs = compile_ruleset(load_ruleset("rules/drammen/drammen-2020.yaml"))
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

from tildeling.core.diagnostics import make
from tildeling.core.errors import RuleSetError
from tildeling.evaluation.codegen import compile_expression
from tildeling.evaluation.plan import (CAlternative, CompiledRuleSet, COwnInitiative, CPart, CRule, CScore, CService, Fn,
                                       Template, leaf_step)
from tildeling.evaluation.walker import decide_service
from tildeling.language.expressions import Name
from tildeling.language.logic import UNKNOWN
from tildeling.language.scope import Scope
from tildeling.language.typecheck import fact_dependencies
from tildeling.rules.initiative import APPLIED_SERVICES, decision_scope, reads
from tildeling.rules.checked import Rule, RuleSet, ServiceDef, rights_first

if TYPE_CHECKING:
    from tildeling.files.model import Text

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _template(text: Text | None, scope: Scope, name: str) -> Template | None:
    if text is None:
        return None
    parts: dict[str, tuple] = {}
    getters: dict[str, Fn] = {}
    facts: set[str] = set()
    for lang in ("nb", "nn", "en"):
        value = getattr(text, lang)
        if not value:
            continue
        out: list[tuple[str, str | None]] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(value):
            out.append((value[pos:m.start()], None))
            ref = m.group(1).strip()
            out.append(("", ref))
            if ref not in getters:
                sym = scope.lookup(ref)
                if sym is None:  # rejected by the loader already
                    continue
                getters[ref] = compile_expression(Name(ref), scope, name=f"{name}:{ref}")
                if sym.kind == "fact":
                    facts.add(ref)
            pos = m.end()
        out.append((value[pos:], None))
        parts[lang] = tuple(out)
    return Template(parts, getters, frozenset(facts))


def _compile_rule(rule: Rule, scope: Scope, prefix: str) -> CRule:
    cond = applies = None
    condition = rule.condition  # applies_when and when (Kleene), or just when
    if condition is not None:
        cond = compile_expression(condition, scope, name=f"{prefix}:{rule.id}")
    applies_deps: tuple[str, ...] = ()
    if rule.applies_when is not None:
        applies = compile_expression(rule.applies_when, scope, name=f"{prefix}:{rule.id}:gjelder")
        applies_deps = tuple(sorted(fact_dependencies(rule.applies_when, scope)))
    amount = compile_expression(rule.amount, scope, name=f"{prefix}:{rule.id}:omfang") if rule.amount else None
    children = None
    if rule.children is not None:
        children = tuple(_compile_rule(c, scope, prefix) for c in rights_first(rule.children))
    return CRule(rule.id, cond, rule.is_else, rule.outcome, rule.step,
                 _template(rule.reason, scope, f"{prefix}:{rule.id}"), rule.legal, rule.discretion,
                 rule.layer, amount, rule.amount_unit, children, rule.depends_on, rule,
                 tuple(sorted(rule.depends_on)), applies, applies_deps)


def compile_service(service: ServiceDef, prefix: str) -> CService:
    scope = service.scope
    score = tuple(CScore(c.id, c.label, compile_expression(c.value, scope, name=f"{prefix}:{c.id}"), c.weight)
                  for c in service.score)
    amount = compile_expression(service.amount, scope, name=f"{prefix}:omfang") if service.amount else None
    alts = tuple(CAlternative(a.service, a.step, a.name,
                              compile_expression(a.when, scope, name=f"{prefix}:alt:{a.service}") if a.when else None,
                              _template(a.reason, scope, f"{prefix}:alt:{a.service}"))
                 for a in service.alternatives)
    tree = tuple(_compile_rule(r, scope, prefix) for r in rights_first(service.tree))
    index: dict[str, CRule] = {}
    stack = list(tree)
    while stack:
        r = stack.pop()
        index[r.id] = r
        if r.children:
            stack.extend(r.children)
    parts = {}
    for p in service.parts:
        pcs = compile_service(p.service, f"{prefix}:{p.id}")
        parts[p.id] = CPart(p.id, p.name, p.outside_right, p.legal, pcs,
                            _tree_function(pcs, lambda env, _cs=pcs: decide_service(_cs, env), f"{prefix}:{p.id}",
                                           traced=False),
                            _tree_function(pcs, _traced_fallback(pcs, decide_service), f"{prefix}:{p.id}:sporet",
                                           traced=True),
                            compile_expression(p.implied_when, scope, name=f"{prefix}:{p.id}:omfattet")
                            if p.implied_when is not None else None,
                            tuple(sorted(p.implied_deps)))
    return CService(service.id, service.step, service.name, service.legal, service.addressee, score, amount,
                    service.amount_unit, alts, tree, service, index, parts=parts)


def compile_ruleset(ruleset: RuleSet, *, lazy: bool = False) -> CompiledRuleSet:
    """Compile every service of a checked rule set (done once; the result is immutable).

    ``lazy``: compile each service when it is first needed (:func:`_compile_lazily`), for a
    rule set known to compile (one read back from the rule-set cache).

    Besides the closures used by the generic (traced, three-valued) walker, each service
    without a score gets one generated function for its whole tree: the fast path for
    known conditions, falling back to the generic walker at the first unknown one.
    """

    if lazy:
        return _compile_lazily(ruleset)
    services = {sid: compile_service(s, f"{ruleset.id}:{sid}") for sid, s in ruleset.services.items()}
    fast = {}
    traced = {}
    for sid, cs in services.items():
        if not cs.score:
            fast[sid] = _tree_function(cs, lambda env, _cs=cs: decide_service(_cs, env),
                                       f"{ruleset.id}:{sid}", traced=False)
            traced[sid] = _tree_function(cs, _traced_fallback(cs, decide_service),
                                         f"{ruleset.id}:{sid}:sporet", traced=True)
    initiative = compile_initiative(ruleset, services)
    implied = frozenset(sid for sid, cs in services.items() if any(p.implied for p in cs.parts.values()))
    return CompiledRuleSet(ruleset, services, fast, traced, initiative=initiative,
                           application=bool(initiative) or reads_application(ruleset), implied=implied)


def _compile_lazily(ruleset: RuleSet) -> CompiledRuleSet:
    """:func:`compile_ruleset`, with ``services``, ``fast`` and ``traced`` filled on first
    use (:class:`~tildeling.evaluation.lazy.LazyDict`): a case pays for the services it
    needs. The same values, in the same order, as compiling everything at once."""
    from tildeling.evaluation.lazy import LazyDict

    def service(sid: str) -> CService:
        return compile_service(ruleset.services[sid], f"{ruleset.id}:{sid}")

    def fast_one(sid: str) -> Callable[[dict], Any]:
        cs = services[sid]
        return _tree_function(cs, lambda env, _cs=cs: decide_service(_cs, env), f"{ruleset.id}:{sid}", traced=False)

    def traced_one(sid: str) -> Callable[[dict, list], Any]:
        cs = services[sid]
        return _tree_function(cs, _traced_fallback(cs, decide_service), f"{ruleset.id}:{sid}:sporet", traced=True)

    services: dict[str, CService] = LazyDict(ruleset.services, service)
    plain = [sid for sid, s in ruleset.services.items() if not s.score]
    initiative = compile_initiative(ruleset, services)
    implied = frozenset(sid for sid, s in ruleset.services.items() if any(p.implied_when is not None for p in s.parts))
    return CompiledRuleSet(ruleset, services, LazyDict(plain, fast_one), LazyDict(plain, traced_one),
                           initiative=initiative, application=bool(initiative) or reads_application(ruleset),
                           implied=implied)


def compile_initiative(ruleset: RuleSet, services: dict[str, CService]) -> dict[str, COwnInitiative]:
    """The services decided on the municipality's own initiative, in rule-set order."""
    out = {}
    for sid, sdef in ruleset.services.items():
        oi = sdef.own_initiative
        if oi is None:
            continue
        scope = decision_scope(sdef.scope, ruleset.services)
        name = f"{ruleset.id}:{sid}:eget-initiativ"
        out[sid] = COwnInitiative(sid, compile_expression(oi.when, scope, name=name),
                                  _template(oi.reason, sdef.scope, name), oi.legal, tuple(sorted(oi.depends_on)))
    return out


def reads_application(ruleset: RuleSet) -> bool:
    """True when an expression of the rule set reads ``søknad.tjenester`` (then the engine
    binds it for each case; otherwise binding it would only cost time)."""
    for sdef in ruleset.services.values():
        exprs = [c.value for c in sdef.score] + [a.when for a in sdef.alternatives if a.when is not None]
        exprs += [sdef.amount] if sdef.amount is not None else []
        for r in sdef.rules():
            exprs += [e for e in (r.when, r.applies_when, r.amount) if e is not None]
        if any(reads(e, sdef.scope, APPLIED_SERVICES) for e in exprs):
            return True
    return False


def _granted(sid: str, outcome: Any, step: int, walk: Any, amount: Any, form: str | None) -> Any:
    """The leaf's decision, or None when its amount is unknown (the fast path then hands the
    case to the generic walker)."""
    if amount is UNKNOWN:
        return None
    from tildeling.evaluation.decision import RawDecision
    return RawDecision(sid, outcome, step, walk, None, (), amount, form)


def _traced_fallback(cs: CService, decide_service):
    """At an unknown condition the traced fast path hands over to the generic walker, which
    re-records the service from its first rule (the fast path's records are dropped)."""
    from tildeling.evaluation.trace import Tracer

    def fallback(env: dict, records: list) -> Any:
        while records and records[-1][1] == cs.id:
            records.pop()
        tracer = Tracer(env)
        tracer.records = records
        return decide_service(cs, env, tracer)

    return fallback


def _tree_function(service: CService, slow: Callable[..., Any], name: str, *, traced: bool) -> Callable[..., Any]:
    """Generate ``env -> RawDecision`` for a whole decision tree.

    Every condition is generated from its checked AST (:mod:`tildeling.evaluation.codegen`); leaves are
    constants (or a small function when an amount must be computed). A condition that is
    neither True nor False sends the case to ``slow``, which tries both ways. With
    ``traced`` the function takes a second argument, a list it appends trace records to
    (see :class:`tildeling.evaluation.trace.Tracer`).
    """
    from tildeling.evaluation.codegen import ExpressionGenerator, helper_globals
    from tildeling.evaluation.decision import RawDecision, Walk
    from tildeling.language.typecheck import annotate

    scope = service.source.scope
    types: dict[int, Any] = {}
    for rule in service.source.rules():
        for expr in (rule.when, rule.applies_when):
            if expr is not None:
                types.update(annotate(expr, scope))
    # Derived facts are left to the walker: cases that give their facts pay nothing for them.
    gen = ExpressionGenerator(scope, types, derive=False)
    env_globals = helper_globals()
    counter = [0]

    def leaf(rule: CRule, path: tuple[str, ...]) -> str:
        i = counter[0]
        counter[0] += 1
        step = leaf_step(rule, service)
        form = rule.source.form
        walk = Walk(rule, path)
        amount_fn = None
        if rule.outcome in ("innvilget", "delvis_innvilget"):
            amount_fn = rule.amount or service.amount
        record = (f"tr.append(('leaf', {service.id!r}, {rule.id!r}, {rule.outcome!r}, 0, ())) or "
                  if traced else "")
        if amount_fn is None:
            env_globals[f"_L{i}"] = RawDecision(service.id, rule.outcome or "uavklart", step, walk, None, (), None,
                                                form)
            return f"({record}_L{i})"
        env_globals[f"_L{i}"] = (lambda env, _f=amount_fn, _w=walk, _s=step, _o=rule.outcome, _m=form:
                                 _granted(service.id, _o, _s, _w, _f(env), _m))
        # An amount that depends on an unknown fact leaves the decision open: the generic
        # walker says so and names the facts (a grant is decided only with its amount).
        return f"({record}_L{i}(env) or {slow_call})"

    slow_call = "_S(env, tr)" if traced else "_S(env)"
    args = "env, tr" if traced else "env"
    functions: list[str] = []

    def node(rules: tuple[CRule, ...], path: tuple[str, ...]) -> str:
        """One flat function per decision list (statements, no nesting): a list of any
        length compiles, and nested lists are calls, not deeper blocks."""
        fname = f"_n{len(functions)}"
        functions.append("")  # reserve the slot: children get later numbers
        lines = [f"def {fname}({args}):"]
        for rule in rules:
            here = path + (rule.id,)
            taken = leaf(rule, here) if rule.children is None else f"{node(rule.children, here)}({args})"
            deps = repr(rule.deps)
            if rule.is_else:
                if traced:
                    lines.append(f"    tr.append(('test', {service.id!r}, {rule.id!r}, True, 0, {deps}))")
                lines.append(f"    return {taken}")
                break
            v = gen.temp()
            pad = "    "
            applies = rule.source.applies_when
            if applies is not None:
                # applies_when false: the rule is skipped, its condition never evaluated;
                # unknown: Kleene ``and`` with the condition (False stays False, else unknown).
                a = gen.temp()
                lines.append(f"    {a} = {gen.gen(applies)}")
                if traced:  # unknown here may be a derived fact: the walker records «gjelder ikke» exactly
                    lines.append(f"    if {a} is not True and {a} is not False:\n        return {slow_call}")
                lines.append(f"    if {a} is not False:")
                pad = "        "
            lines.append(f"{pad}{v} = {gen.gen(rule.source.when)}")  # type: ignore[arg-type]  # not else: has when
            if applies is not None:
                lines.append(f"{pad}if {a} is not True and {v} is not False:\n{pad}    {v} = U")
            if traced:
                lines.append(f"{pad}tr.append(('test', {service.id!r}, {rule.id!r}, {v}, 0, {deps}))")
            lines.append(f"{pad}if {v} is True:\n{pad}    return {taken}")
            lines.append(f"{pad}if {v} is not False:\n{pad}    return {slow_call}")
            if applies is not None and traced:
                lines.append(f"    else:\n        tr.append(('skip', {service.id!r}, {rule.id!r}, False, 0, "
                             f"{rule.applies_deps!r}))")
        else:
            lines.append(f"    return {slow_call}")  # no rule matched: the generic walker reports it
        functions[int(fname[2:])] = "\n".join(lines)
        return fname

    root = node(service.tree, ())
    constants = "".join(f"_k{i} = {c}\n" for i, c in enumerate(gen.constants))
    source = constants + "\n\n".join(functions) + "\n"
    env_globals["_S"] = slow
    try:
        code = compile(source, f"<tildeling {name}>", "exec")
    except (RecursionError, MemoryError, SyntaxError):  # pathological expressions
        raise RuleSetError(f"{name}: ugyldig regelsett",
                           [make("expression-too-complex", "error", "types.too_deep",
                                 service.tree[0].source.span if service.tree else None)]) from None
    exec(code, env_globals)  # noqa: S102 - generated from the checked AST; restricted globals
    fn: Callable[..., Any] = env_globals[root]  # type: ignore[assignment]
    fn.__tildeling_source__ = source  # type: ignore[attr-defined]
    return fn
