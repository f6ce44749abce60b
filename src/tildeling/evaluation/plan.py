"""The compiled plan of a rule set: what the compiler builds once and the evaluators read.

Plain frozen data (plus generated functions); nothing here runs a rule. The compiler
(:mod:`tildeling.evaluation.compiler`) builds it, the walker
(:mod:`tildeling.evaluation.walker`) and the explanation read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from tildeling.files.literals import Addressee, Layer, Outcome

if TYPE_CHECKING:
    from tildeling.files.model import Text
from tildeling.rules.legal import Citation
from tildeling.rules.checked import Rule, RuleSet, ServiceDef

Fn = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Template:
    """A reason text split into literal parts and placeholders, per language."""

    parts: dict[str, tuple[tuple[str, str | None], ...]]  # lang -> ((literal, name|None), ...)
    getters: dict[str, Fn]
    placeholder_facts: frozenset[str]


@dataclass(frozen=True, slots=True)
class CRule:
    """A compiled rule of a decision tree."""

    id: str
    cond: Fn | None  # None for else
    is_else: bool
    outcome: Outcome | None
    step: int | None
    reason: Template | None
    legal: tuple[Citation, ...]
    discretion: bool
    layer: Layer
    amount: Fn | None
    amount_unit: Text | None
    children: tuple["CRule", ...] | None
    depends_on: frozenset[str]
    source: Rule
    deps: tuple[str, ...] = ()  # depends_on, sorted (what the tracer records)
    applies: Fn | None = None  # applies_when: False skips the rule («gjelder ikke»); cond includes it
    applies_deps: tuple[str, ...] = ()  # the facts applies_when reads, sorted (a skip records these)


@dataclass(frozen=True, slots=True)
class CScore:
    """A compiled component of a service's score."""

    id: str
    label: Text
    value: Fn
    weight: float


@dataclass(frozen=True, slots=True)
class CAlternative:
    """A compiled lower-level alternative (LEON)."""

    service: str
    step: int
    name: Text | None
    when: Fn | None
    reason: Template | None


@dataclass(frozen=True, slots=True)
class CService:
    """A compiled service: the plan the evaluators walk."""

    id: str
    step: int | None  # None: a service outside the staircase
    name: Text
    legal: tuple[Citation, ...]
    addressee: Addressee
    score: tuple[CScore, ...]
    amount: Fn | None
    amount_unit: Text | None
    alternatives: tuple[CAlternative, ...]
    tree: tuple[CRule, ...]
    source: ServiceDef
    index: dict[str, CRule] = field(default_factory=dict)  # rule id → rule
    parts: dict[str, "CPart"] = field(default_factory=dict)  # part id → its compiled decision list
    facts_cache: dict = field(default_factory=dict)  # rule path → fact keys an explanation shows
    explain_cache: dict = field(default_factory=dict)  # (path, language, date) → static decision parts


@dataclass(frozen=True, slots=True)
class CPart:
    """A part of a service, decided like a service of its own (``service``: its list)."""

    id: str
    name: Text
    outside_right: bool
    legal: tuple[Citation, ...]
    service: CService
    fast: Callable[[dict], Any] | None = None
    traced: Callable[[dict, list], Any] | None = None
    implied: Fn | None = None  # a short-form application includes the part when this is true
    implied_deps: tuple[str, ...] = ()  # the case facts ``implied`` reads (sorted)


def leaf_step(rule: CRule, service: CService) -> int | None:
    """The step of a decision reached at ``rule``: the leaf's own step, else the step of the
    form it grants, else the service's."""
    if rule.step is not None:
        return rule.step
    form = rule.source.form
    if form is not None and form in service.source.forms:
        return service.source.forms[form].step
    return service.step


@dataclass(frozen=True, slots=True)
class COwnInitiative:
    """A service the municipality decides of its own accord when ``when`` is true (item 2)."""

    service: str
    when: Fn
    reason: Template | None
    legal: tuple[Citation, ...]
    deps: tuple[str, ...]  # the case facts ``when`` reads, sorted (shown with the reason)


@dataclass(frozen=True)
class CompiledRuleSet:
    """A checked rule set with its compiled services and generated functions."""

    ruleset: RuleSet
    services: dict[str, CService]
    fast: dict[str, Callable[[dict], Any]] = field(default_factory=dict)
    traced: dict[str, Callable[[dict, list], Any]] = field(default_factory=dict)
    cite_cache: dict = field(default_factory=dict)  # (citations, date) → texts in force that day
    combined: dict = field(default_factory=dict)  # services applied for → one generated decider
    appeal_cache: dict = field(default_factory=dict)  # (decided services, date, weeks) → Appeal
    initiative: dict[str, COwnInitiative] = field(default_factory=dict)  # in rule-set order; {}: none
    application: bool = False  # some expression reads søknad.tjenester: the engine binds it
    implied: frozenset[str] = frozenset()  # services with parts a short-form application can imply
    # The decisions the two-valued fast path returns as they are (a leaf without an amount;
    # evaluation/fastpath.py), by number (RawDecision.prebuilt) and by (service, path), and
    # per (language, date) how each is explained (explain/explanation.py).
    prebuilt: dict = field(default_factory=dict)
    explainers: dict = field(default_factory=dict)

    def cite(self, citations: tuple, on) -> str:
        """Citations as printed for a case dated ``on`` (numbering in force that day),
        joined with «; ». Cached: the tuples live as long as the compiled rule set."""
        key = (id(citations), on)
        found = self.cite_cache.get(key)
        if found is None:
            reg = self.ruleset.register
            found = "; ".join(reg.cite_on(c, on, written_on=self.ruleset.meta.valid_from) for c in citations)
            if len(self.cite_cache) < 10_000:
                self.cite_cache[key] = found
        return found

    @property
    def id(self) -> str:
        return self.ruleset.id
