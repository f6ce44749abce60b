"""Decisions on the municipality's own initiative (issue 7, item 2): check ``own_initiative``.

The municipality assesses the need as a whole (pbrl § 2-1 a andre ledd, hol § 3-2): a
service may have to be decided although it was not applied for — everyday rehabilitation
before practical assistance, ordinary services when BPA is refused, relief for a heavily
burdened caregiver. A service says when in ``own_initiative``::

    hverdagsrehabilitering:
      own_initiative:
        when: '"praktisk_bistand" i søknad.tjenester og helse.rehabiliteringspotensial'
        reason: {nb: …, nn: …}
        legal_basis: [hol § 3-2 første ledd nr. 5]

Names bound by the engine: ``søknad.tjenester`` (every expression; the services applied
for) and, in ``own_initiative.when`` only, ``vedtak.<tjeneste>`` (the outcome of an
applied-for service's decision) and ``vedtak.<tjeneste>.deler_avslått`` (its refused
parts). Only applied-for decisions can be referred to: naming the decision of a service
that itself has ``own_initiative`` is an error (``own-initiative-chain``), so decisions
never wait on each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Mapping

from tildeling.files.literals import OUTCOMES
from tildeling.i18n.diagnostic_messages import Phrase
from tildeling.language.expressions import Expr, names
from tildeling.language.scope import Scope, Symbol
from tildeling.language.typecheck import fact_dependencies
from tildeling.language.types import Kind, Type

if TYPE_CHECKING:
    from tildeling.files.model import Service, Text
    from tildeling.rules.legal import Citation
    from tildeling.rules.checked import ServiceDef

APPLIED_SERVICES = "søknad.tjenester"
DECISION_PREFIX = "vedtak."
REFUSED_PARTS = ".deler_avslått"


@dataclass(frozen=True)
class OwnInitiativeDef:
    """A service's checked ``own_initiative``: its condition, the reason shown in the
    decision, and the law."""

    when: Expr
    when_text: str
    reason: Text
    legal: tuple["Citation", ...]
    depends_on: frozenset[str]  # the case facts the condition reads
    vedtak: bool = True  # False: offered without an individual decision (no appeal text)


def decision_names(expr: Expr) -> list[str]:
    """The services whose decisions ``expr`` refers to (``vedtak.bpa``, ``vedtak.bpa.deler_avslått``)."""
    out = []
    for n in names(expr):
        if n.path.startswith(DECISION_PREFIX):
            sid = n.path[len(DECISION_PREFIX):].removesuffix(REFUSED_PARTS)
            if sid not in out:
                out.append(sid)
    return out


def reads(expr: Expr, scope: Scope, path: str) -> bool:
    """True when ``expr`` reads the name ``path``, directly or through definitions."""
    todo, seen = [expr], set()
    while todo:
        for n in names(todo.pop()):
            if n.path == path:
                return True
            symbol = scope.lookup(n.path)
            if symbol is not None and symbol.kind == "definition" and symbol.expr is not None and n.path not in seen:
                seen.add(n.path)
                todo.append(symbol.expr)
    return False


def add_applied_services(scope: Scope, services: Mapping[str, Any]) -> None:
    """``søknad.tjenester``: the services applied for, a ``liste`` over the rule set's services
    (always known when a case is evaluated). A vocabulary that declares it wins."""
    # Kind "parameter": bound by the engine for every case, never missing, and not one of the
    # person's facts (explanations do not list it among the facts relied on).
    if scope.lookup(APPLIED_SERVICES) is None:
        scope.add(Symbol(APPLIED_SERVICES, "parameter", Type(Kind.LIST, tuple(sorted(map(str, services))))))


def decision_scope(base: Scope, services: Mapping[str, Any]) -> Scope:
    """``base`` plus ``vedtak.<tjeneste>`` (valg over the outcomes) and
    ``vedtak.<tjeneste>.deler_avslått`` (liste) for every service of the rule set."""
    scope = Scope(dict(base.symbols))
    for sid in services:  # bound by the engine, like søknad.tjenester: not the person's facts
        scope.add(Symbol(f"{DECISION_PREFIX}{sid}", "parameter", Type(Kind.TEXT, OUTCOMES)))
        scope.add(Symbol(f"{DECISION_PREFIX}{sid}{REFUSED_PARTS}", "parameter", Type(Kind.LIST)))
    return scope


def check_own_initiative(ck: Any, models: Mapping[str, "Service"], services: dict[str, "ServiceDef"]) -> None:
    """Check every ``own_initiative`` and attach it to its (checked) service in ``services``.

    ``ck`` is the rule-set loader's checker (it records located diagnostics)."""
    from tildeling.rules.ruleset import check_placeholders  # the loader imports this module

    for sid, model in models.items():
        oi = model.own_initiative
        if oi is None or sid not in services:
            continue
        base = ("services", sid, "own_initiative")
        scope = decision_scope(services[sid].scope, models)
        when = ck.expression(oi.when, scope, Kind.BOOL, base + ("when",))
        legal = ck.citations(list(oi.legal_basis), base + ("legal_basis",))
        check_placeholders(ck, oi.reason, services[sid].scope, base + ("reason",))
        if when is None:
            continue
        chained = False
        for target in decision_names(when):
            other = models.get(target)
            if other is not None and other.own_initiative is not None:
                chained = True
                ck.error("own-initiative-chain", "ruleset.own_initiative_chain", ck.span(*base, "when"),
                         hint=Phrase("ruleset.own_initiative_chain.hint"), service=target)
        if chained:
            continue
        deps = fact_dependencies(when, scope)
        services[sid] = replace(services[sid], own_initiative=OwnInitiativeDef(when, str(oi.when), oi.reason,
                                                                               legal, deps, oi.vedtak))
