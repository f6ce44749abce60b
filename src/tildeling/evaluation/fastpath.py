"""The two-valued fast path: one generated function per combination of services applied
for, deciding all of them for a case in which every fact they read is known.

The function reads each fact once (``env[key]``: a fact not given raises ``KeyError``; a
name bound for some cases only, such as ``søkt.deler``, with ``env.get``),
computes each definition a service uses once (not at every rule that uses it), then runs
every service's decision list as plain ``if``/``elif`` over Python booleans and returns
the decisions. A leaf whose decision does not depend on the case (no amount) is one
prebuilt :class:`RawDecision`, shared by every case that reaches it.

Anything else goes to the exact three-valued path, so the decisions are always those of the
walker (:mod:`tildeling.evaluation.walker`), which ``tests/test_fastpath.py`` checks on
generated partial cases:

- a fact not given, or any error, while deciding a case: the whole case is decided again
  by ``fallback`` (the per-service generated code and the walker);
- a condition that is UNKNOWN although every fact is known (a division by a fact that is 0,
  a function over histories), no rule matched, or a grant whose amount is UNKNOWN: that
  service is decided by its own three-valued function (``crs.fast``), as before;
- a service with a score, or a tree nested deeper than :data:`MAX_DEPTH`: by its own
  function, always.

An environment holds no UNKNOWN values (an unknown fact is one that is absent), as the
engine builds it (:func:`tildeling.evaluation.walker.environment`).

Only our own names and indexes enter the generated source; fact paths and literals enter it
through ``repr()`` (as in :mod:`tildeling.evaluation.codegen`); service ids, rules and
decisions stay in the restricted globals.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable

from tildeling.evaluation.codegen import TwoValuedGenerator, two_valued_helpers
from tildeling.evaluation.decision import RawDecision, Walk
from tildeling.evaluation.initiative import APPLIED_SERVICES
from tildeling.evaluation.plan import CompiledRuleSet, CRule, CService, leaf_step
from tildeling.language.logic import UNKNOWN
from tildeling.language.typecheck import annotate

#: Numbers of prebuilt decisions: unique in the process (never reused), so a number names one
#: decision object of one compiled rule set (which keeps it alive).
_NUMBERS = itertools.count()
MAX_DEPTH = 24  # nested decision lists inlined at most this deep (Python limits indentation)


def _depth(rules: tuple[CRule, ...]) -> int:
    return 1 + max((_depth(r.children) for r in rules if r.children), default=0)


def _granted(service: str, outcome: Any, step: Any, walk: Walk, amount: Any, form: Any) -> RawDecision | None:
    """A grant with its amount, or None when the amount is UNKNOWN (then the service's
    three-valued function decides, and names the facts the amount needs)."""
    if amount is UNKNOWN:
        return None
    return RawDecision(service, outcome, step, walk, None, (), amount, form)


class _Builder:
    """Generates the source of one combined decider."""

    def __init__(self, crs: CompiledRuleSet):
        self.crs = crs
        self.globals = two_valued_helpers()
        self.facts: dict[str, str] = {}  # fact path → local (read once, at the top)
        self.vocabulary = crs.ruleset.vocabulary.facts
        self.required: dict[str, bool] = {}  # name → read with env[name] (else env.get)
        self.definitions: dict[tuple[str, int], str] = {}  # (path, id(expr)) → local
        self.prelude: list[str] = []  # statements computing definitions, before the next block
        self.counter = 0
        self.keep: list[Any] = []  # conditions built here: alive while ids key the generator's memo
        self.gen = TwoValuedGenerator(None, {}, self.fact_local, self.definition_local,  # type: ignore[arg-type]
                                      self.given)

    def given(self, path: str) -> bool:
        """A fact of the vocabulary, a parameter or ``søknad.tjenester``: read with
        ``env[path]`` (absent: the case goes to the three-valued path). Any other name (bound
        for some cases only: ``søkt.deler``) and a fact with derivations (often not given:
        the walker derives it) are read with ``env.get(path, U)``, and may be UNKNOWN."""
        found = self.required.get(path)
        if found is None:
            symbol = self.gen.scope.lookup(path)
            derived = symbol is not None and bool(symbol.derived)
            found = self.required[path] = (not derived and (path in self.vocabulary or path.startswith("parameter.")
                                                            or path == APPLIED_SERVICES))
        return found

    def name(self, prefix: str, value: Any = None) -> str:
        self.counter += 1
        n = f"{prefix}{self.counter}"
        if value is not None:
            self.globals[n] = value
        return n

    def fact_local(self, path: str) -> str:
        found = self.facts.get(path)
        if found is None:
            found = self.facts[path] = f"f{len(self.facts)}"
        return found

    def definition_local(self, symbol: Any) -> str:
        key = (symbol.path, id(symbol.expr))
        found = self.definitions.get(key)
        if found is None:
            code = self.gen.definition_code(symbol)  # its own definitions first
            found = self.definitions[key] = f"d{len(self.definitions)}"
            self.prelude.append(f"{found} = {code}")
        return found

    def service(self, i: int, cs: CService) -> list[str]:
        """The statements deciding service ``i`` into ``r{i}``."""
        scope = cs.source.scope
        types: dict[int, Any] = {}
        for rule in cs.source.rules():
            for expr in (rule.when, rule.applies_when):
                if expr is not None:
                    types.update(annotate(expr, scope))
        for symbol in scope.symbols.values():
            if symbol.kind == "definition" and symbol.expr is not None:
                types.update(annotate(symbol.expr, scope))
        self.gen.retarget(scope, types)
        slow = self.name("_F", self.crs.fast[cs.id])
        body = self.rules(cs, cs.tree, (), i, slow, "    ")
        lines, self.prelude = [f"    {p}" for p in self.prelude], []
        return lines + body

    def rules(self, cs: CService, rules: tuple[CRule, ...], path: tuple[str, ...], i: int, slow: str,
              pad: str) -> list[str]:
        gen = self.gen
        lines: list[str] = []
        kw = "if"
        for rule in rules:
            here = path + (rule.id,)
            if rule.is_else:
                test = None
            else:
                cond = rule.source.condition  # applies_when and when (Kleene): a skip is a False
                assert cond is not None
                self.keep.append(cond)
                code = gen.gen(cond)
                test = code if gen.sure(cond) else None
                if test is None:
                    v = gen.temp()
                    lines.append(f"{pad}{kw} ({v} := {code}) is True:")
                else:
                    lines.append(f"{pad}{kw} {test}:")
            if rule.is_else:
                lines.append(f"{pad}{'else' if kw == 'elif' else 'if True'}:")
            if rule.children is None:
                lines.append(f"{pad}    r{i} = {self.leaf(cs, rule, here, slow)}")
            else:
                lines += self.rules(cs, rule.children, here, i, slow, pad + "    ")
            if rule.is_else:
                return lines
            if test is None:
                lines += [f"{pad}elif {v} is not False:", f"{pad}    r{i} = {slow}(env)"]
            kw = "elif"
        if kw == "if":  # an empty list
            lines.append(f"{pad}r{i} = {slow}(env)")
        else:
            lines += [f"{pad}else:", f"{pad}    r{i} = {slow}(env)"]  # no rule matched: the walker says so
        return lines

    def leaf(self, cs: CService, rule: CRule, path: tuple[str, ...], slow: str) -> str:
        """A leaf's decision as code: a prebuilt constant, or a grant with its amount."""
        step = leaf_step(rule, cs)
        form = rule.source.form
        walk = Walk(rule, path)
        amount = rule.amount or cs.amount if rule.outcome in ("innvilget", "delvis_innvilget") else None
        if amount is None:
            # One object per leaf for every combination (keyed by service and path), numbered
            # for the explanation: explained once per language and date, then shared.
            prebuilt = self.crs.prebuilt
            raw = prebuilt.get((cs.id, path))
            if raw is None:
                raw = RawDecision(cs.id, rule.outcome or "uavklart", step, walk, None, (), None, form)
                object.__setattr__(raw, "prebuilt", next(_NUMBERS))  # frozen: numbered once, here
                prebuilt[(cs.id, path)] = prebuilt[raw.prebuilt] = raw
            return self.name("_D", raw)
        fn = self.name("_A", lambda env, _f=amount, _w=walk, _s=step, _o=rule.outcome, _m=form, _sid=cs.id:
                       _granted(_sid, _o, _s, _w, _f(env), _m))
        return f"({fn}(env) or {slow}(env))"


def inlinable(crs: CompiledRuleSet, sid: str) -> bool:
    """True when the two-valued fast path decides ``sid`` itself."""
    cs = crs.services.get(sid)
    return cs is not None and sid in crs.fast and not cs.score and _depth(cs.tree) <= MAX_DEPTH


def build(crs: CompiledRuleSet, services: tuple[str, ...], fallback: Callable[[dict], list],
          outputs: list[str], names: dict[str, Any], prefix: list[str], wrap: str) -> Callable[[dict], list] | None:
    """``env -> list`` deciding ``services`` two-valued (see the module), or None when none of
    them can be. ``outputs`` holds, per service, the code of its decision on the three-valued
    path (``_c0``, ``_f1(env)`` …, bound in ``names``), used for the services not inlined;
    ``prefix`` (statements) and ``wrap`` (``{}`` is the list) do what the fallback does around
    the list: bind ``søknad.tjenester``, add the decisions of the municipality's own initiative."""
    if not any(inlinable(crs, sid) for sid in services):
        return None
    b = _Builder(crs)
    blocks: list[str] = []
    results: list[str] = []
    for i, sid in enumerate(services):
        if inlinable(crs, sid):
            blocks += b.service(i, crs.services[sid])
            results.append(f"r{i}")
        else:
            results.append(outputs[i])
    constants = "".join(f"_k{i} = {c}\n" for i, c in enumerate(b.gen.constants))
    reads = [f"    {local} = env[{path!r}]" if b.given(path) else f"    {local} = env.get({path!r}, U)"
             for path, local in b.facts.items()]
    lines = ["def _decide(env):"]
    lines += [f"    {p}" for p in prefix]
    lines.append("    try:")
    lines += ["    " + line for line in reads + blocks]
    # Not carrying on past an error: the exact path decides the case again, and raises
    # whatever it raises (an eager definition may fail where the exact path never evaluates it).
    lines.append("    except _Error:  # a fact not given (KeyError), or any error: the exact path decides")
    lines.append("        return _fallback(env)")
    lines.append(f"    return {wrap.format('[' + ', '.join(results) + ']')}")
    source = constants + "\n".join(lines) + "\n"
    env_globals = b.globals
    env_globals.update(names)
    env_globals["_fallback"] = fallback
    env_globals["_Error"] = Exception
    code = compile(source, "<tildeling tovedtak>", "exec")
    exec(code, env_globals)  # noqa: S102 - generated from the checked AST; restricted globals
    fn: Any = env_globals["_decide"]
    fn.__tildeling_source__ = source
    decide: Callable[[dict], list] = fn
    return decide
