"""The checked rule set: what :func:`tildeling.rules.ruleset.load_ruleset` returns once a rule
file has been read, parsed and type-checked — services with their decision lists (rules in
order, rights first), scores, alternatives, parameters as dated tables, and the staircase.
The compiler (:mod:`tildeling.evaluation.compiler`) and the cache (:mod:`tildeling.rules.cache`)
read these; nothing here reads a file."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tildeling.language.expressions import Binary, Expr

if TYPE_CHECKING:
    from tildeling.core.diagnostics import Diagnostic
    from tildeling.core.source import SourceSpan
    from tildeling.files.literals import Addressee, Layer, Outcome
    from tildeling.files.model import RuleSetFile, Text
    from tildeling.language.scope import Scope
    from tildeling.language.types import Type
    from tildeling.rules.initiative import OwnInitiativeDef
    from tildeling.rules.legal import Citation, LegalRegister
    from tildeling.rules.parts import FormDef, PartDef
    from tildeling.rules.vocabulary import Vocabulary



@dataclass(frozen=True)
class ParameterTable:
    """A dated parameter: its values from each date, in date order."""

    name: str
    values: tuple[tuple[_dt.date, Any], ...]  # sorted by date
    label: Text | None
    unit: str | None
    type: Type

    def value_on(self, on: _dt.date) -> Any:
        found = None
        for start, value in self.values:
            if start <= on:
                found = value
            else:
                break
        return found


@dataclass(frozen=True)
class Rule:
    """One node of a decision tree, with its condition parsed and checked."""

    id: str
    when: Expr | None
    when_text: str | None
    is_else: bool
    outcome: Outcome | None
    step: int | None
    reason: Text | None
    legal: tuple[Citation, ...]
    discretion: bool
    layer: Layer
    amount: Expr | None
    amount_unit: Text | None
    children: tuple["Rule", ...] | None
    span: SourceSpan | None
    depends_on: frozenset[str]  # facts the condition (and applies_when) depend on
    form: str | None = None  # the form a leaf grants (one of the service's forms)
    applies_when: Expr | None = None  # false: the rule does not apply and is skipped (item 5)
    waiting_list: bool = False  # a grant with a place on the waiting list (pbrl § 2-1 e andre ledd)

    @property
    def condition(self) -> Expr | None:
        """What decides whether the rule is taken: ``applies_when and when`` (Kleene), so an
        unknown applicability is tried both ways like any condition."""
        if self.applies_when is None or self.when is None:
            return self.when
        return Binary("and", self.applies_when, self.when)


def holds_right(rule: Rule) -> bool:
    """True when ``rule`` is a statutory right or floor (``layer: lovkrav``), or a group
    with such a rule under it."""
    if rule.layer == "lovkrav":
        return True
    return any(holds_right(c) for c in rule.children or ())


def rights_first(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """A decision list in the order it is applied: rules of the ``lovkrav`` layer before
    municipal ones, each layer in its written order, an ``else`` rule last. A right is a
    floor: its place in the file does not let a municipal rule written above it override it.

    >>> r = lambda rid, layer: Rule(rid, None, None, False, "avslag", None, None, (), False, layer,
    ...                             None, None, None, None, frozenset())
    >>> [x.id for x in rights_first((r("k1", "kommunalt"), r("l1", "lovkrav"), r("k2", "kommunalt")))]
    ['l1', 'k1', 'k2']
    """
    rights = [r for r in rules if not r.is_else and holds_right(r)]
    if not rights or all(holds_right(r) for r in rules[:len(rights)]):
        return rules
    return tuple(rights) + tuple(r for r in rules if r.is_else or not holds_right(r))


@dataclass(frozen=True)
class ScoreComponentDef:
    """One checked component of a service's score."""

    id: str
    label: Text
    value: Expr
    weight: float
    depends_on: frozenset[str]


@dataclass(frozen=True)
class AlternativeDef:
    """A checked lower-level alternative to consider first (LEON)."""

    service: str
    step: int
    name: Text | None
    when: Expr | None
    reason: Text | None


@dataclass(frozen=True)
class ServiceDef:
    """A checked service: its decision tree, parts, forms, score and texts."""

    id: str
    name: Text
    legal: tuple[Citation, ...]
    step: int | None  # None: a service outside the staircase
    addressee: Addressee
    description: Text | None
    score: tuple[ScoreComponentDef, ...]
    amount: Expr | None
    amount_unit: Text | None
    alternatives: tuple[AlternativeDef, ...]
    tree: tuple[Rule, ...]
    scope: Scope
    parts: tuple["PartDef", ...] = ()  # each with its own decision list (rules/parts.py)
    forms: dict[str, "FormDef"] = field(default_factory=dict)
    own_initiative: OwnInitiativeDef | None = None  # decided on the municipality's own initiative

    def rules(self):
        """Every rule of the tree, depth first, in source order."""
        stack = list(reversed(self.tree))
        while stack:
            r = stack.pop()
            yield r
            if r.children:
                stack.extend(reversed(r.children))


@dataclass(frozen=True)
class Staircase:
    """The checked staircase (aktivitets- og mestringstrappen): its steps and categories."""

    id: str
    name: Text
    steps: dict[int, Text]
    categories: tuple[tuple[int, Text, tuple[int, ...]], ...]
    without_vedtak: frozenset[int] = frozenset()  # steps whose services are offered without a vedtak


@dataclass
class RuleSet:
    """A checked rule set: its metadata, vocabulary, staircase, parameters and services."""

    meta: RuleSetFile
    path: str
    sha256: str
    vocabulary: Vocabulary
    staircase: Staircase
    parameters: dict[str, ParameterTable]
    scope: Scope
    definitions: dict[str, Expr]
    services: dict[str, ServiceDef]
    register: LegalRegister
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def version(self) -> str:
        return self.meta.version

    @property
    def language(self) -> str:
        return self.meta.language

    def in_force(self, on: _dt.date) -> bool:
        return self.meta.valid_from <= on and (self.meta.valid_to is None or on <= self.meta.valid_to)

    def parameter_env(self, on: _dt.date) -> dict[str, Any]:
        env = {}
        for name, table in self.parameters.items():
            value = table.value_on(on)
            if value is not None:
                env[f"parameter.{name}"] = value
        return env
