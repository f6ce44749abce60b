"""Compile a checked :class:`RuleSet` once into closures; evaluating a case then parses
nothing and walks no YAML.

Conditions, amounts and scores become Python functions generated from the checked AST
(:mod:`tildeling.codegen`); texts become pre-split templates; legal references are parsed
citations.

    crs = compile_ruleset(load_ruleset("rules/drammen/drammen-2020.yaml"))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from .codegen import compile_expression
from .expressions import Name
from .legal import Citation
from .model import Text
from .ruleset import RuleSet, ServiceDef, Rule
from .scope import Scope

Fn = Callable[[Any], Any]
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class Template:
    """A reason text split into literal parts and placeholders, per language."""

    parts: dict[str, tuple[tuple[str, str | None], ...]]  # lang -> ((literal, name|None), ...)
    getters: dict[str, Fn]
    placeholder_facts: frozenset[str]


@dataclass(frozen=True, slots=True)
class CRule:
    id: str
    cond: Fn | None  # None for else
    is_else: bool
    outcome: str | None
    step: int | None
    reason: Template | None
    legal: tuple[Citation, ...]
    discretion: bool
    layer: str
    amount: Fn | None
    amount_unit: Text | None
    children: tuple["CRule", ...] | None
    depends_on: frozenset[str]
    source: Rule


@dataclass(frozen=True, slots=True)
class CScore:
    id: str
    label: Text
    value: Fn
    weight: float


@dataclass(frozen=True, slots=True)
class CAlternative:
    service: str
    step: int
    name: Text | None
    when: Fn | None
    reason: Template | None


@dataclass(frozen=True, slots=True)
class CService:
    id: str
    step: int
    name: Text
    legal: tuple[Citation, ...]
    addressee: str
    score: tuple[CScore, ...]
    amount: Fn | None
    amount_unit: Text | None
    alternatives: tuple[CAlternative, ...]
    tree: tuple[CRule, ...]
    source: ServiceDef


@dataclass(frozen=True)
class CompiledRuleSet:
    ruleset: RuleSet
    services: dict[str, CService]

    @property
    def id(self) -> str:
        return self.ruleset.id


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
        out = []
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
    cond = None
    if rule.when is not None:
        cond = compile_expression(rule.when, scope, name=f"{prefix}:{rule.id}")
    amount = compile_expression(rule.amount, scope, name=f"{prefix}:{rule.id}:omfang") if rule.amount else None
    children = None
    if rule.children is not None:
        children = tuple(_compile_rule(c, scope, prefix) for c in rule.children)
    return CRule(rule.id, cond, rule.is_else, rule.outcome, rule.step,
                 _template(rule.reason, scope, f"{prefix}:{rule.id}"), rule.legal, rule.discretion,
                 rule.layer, amount, rule.amount_unit, children, rule.depends_on, rule)


def compile_service(service: ServiceDef, prefix: str) -> CService:
    scope = service.scope
    score = tuple(CScore(c.id, c.label, compile_expression(c.value, scope, name=f"{prefix}:{c.id}"), c.weight)
                  for c in service.score)
    amount = compile_expression(service.amount, scope, name=f"{prefix}:omfang") if service.amount else None
    alts = tuple(CAlternative(a.service, a.step, a.name,
                              compile_expression(a.when, scope, name=f"{prefix}:alt:{a.service}") if a.when else None,
                              _template(a.reason, scope, f"{prefix}:alt:{a.service}"))
                 for a in service.alternatives)
    tree = tuple(_compile_rule(r, scope, prefix) for r in service.tree)
    return CService(service.id, service.step, service.name, service.legal, service.addressee, score, amount,
                    service.amount_unit, alts, tree, service)


def compile_ruleset(ruleset: RuleSet) -> CompiledRuleSet:
    """Compile every service of a checked rule set (done once; the result is immutable)."""
    return CompiledRuleSet(ruleset, {sid: compile_service(s, f"{ruleset.id}:{sid}")
                                     for sid, s in ruleset.services.items()})
