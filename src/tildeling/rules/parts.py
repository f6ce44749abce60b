"""Parts and forms of a service, and the names an application binds (issue 7, items 1, 3, 8).

A service may declare ``parts`` (tasks, times of day), each with its own decision list, and
``forms`` (respite in an institution or hourly at home), each with its own step. The
service's own tree stays the gate for the whole service; :mod:`tildeling.evaluation.parts`
decides the parts applied for after it. This module checks what the rule set says about
them and warns where a municipal rule could take from a right (pbrl: rights are a floor).

Names bound per service (the engine binds them for each service applied for):
``søkt.omfang`` (tall, the amount applied for), ``søkt.deler`` (liste of the service's part
ids applied for), ``søkt.form`` (valg over the service's forms); case-wide
``søknad.tjenester`` (liste of the service ids applied for). Each is unknown when the
application does not say (``søknad.tjenester`` is always known).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from tildeling.i18n.diagnostic_messages import Phrase, phrase
from tildeling.core.diagnostics import suggest
from tildeling.language.scope import Scope, Symbol
from tildeling.language.typecheck import fact_dependencies
from tildeling.language.types import NUMBER, Kind, Type
from tildeling.rules.legal import Citation

if TYPE_CHECKING:  # the checker and the checked types live in ruleset.py, which imports this module
    from tildeling.files.model import Part, Service, Text
    from tildeling.rules.checked import Rule, ServiceDef

APPLIED_AMOUNT = "søkt.omfang"
APPLIED_PARTS = "søkt.deler"
APPLIED_FORM = "søkt.form"
APPLIED_SERVICES = "søknad.tjenester"
APPLICATION_NAMES = (APPLIED_AMOUNT, APPLIED_PARTS, APPLIED_FORM)


@dataclass(frozen=True)
class FormDef:
    """A checked form a service can be given in."""

    id: str
    name: Text
    step: int
    equivalent_to: str | None
    legal: tuple[Citation, ...]


@dataclass(frozen=True)
class PartDef:
    """A part with its decision list, checked as a service of its own (same scope and step),
    so that the compiler and walker decide it as they decide a service."""

    id: str
    name: Text
    outside_right: bool
    legal: tuple[Citation, ...]
    service: "ServiceDef"
    implied_when: Any = None  # Expr | None: a short-form application includes the part when true
    implied_deps: frozenset[str] = frozenset()  # the case facts ``implied_when`` reads


def add_application_names(scope: Scope, service: Service) -> None:
    """``søkt.omfang``, ``søkt.deler`` and ``søkt.form`` in one service's scope."""
    scope.add(Symbol(APPLIED_AMOUNT, "fact", NUMBER))
    scope.add(Symbol(APPLIED_PARTS, "fact", Type(Kind.LIST, tuple(service.parts) or None)))
    scope.add(Symbol(APPLIED_FORM, "fact", Type(Kind.TEXT, tuple(service.forms) or None)))


def check_forms(ck: Any, sid: str, service: Service, steps: dict[int, Any], staircase_id: str) -> dict[str, FormDef]:
    base = ("services", sid, "forms")
    out: dict[str, FormDef] = {}
    for fid, form in service.forms.items():
        fid = str(fid)
        if form.step not in steps:
            ck.error("unknown-step", "ruleset.unknown_step", ck.span(*base, fid, "step"), step=form.step,
                     staircase=staircase_id)
        if form.equivalent_to is not None and (form.equivalent_to not in service.forms
                                               or form.equivalent_to == fid):
            _unknown_form(ck, sid, form.equivalent_to, [f for f in service.forms if f != fid],
                          ck.span(*base, fid, "equivalent_to"))
        legal = ck.citations(list(form.legal_basis), base + (fid, "legal_basis"))
        out[fid] = FormDef(fid, form.name, form.step, form.equivalent_to, legal)
    return out


def check_parts(ck: Any, sid: str, service: Service, scope: Scope,
                make_service: Callable[[str, Part, tuple], "ServiceDef"]) -> tuple[PartDef, ...]:
    """Each part's decision list, checked in the service's scope (``make_service`` checks
    one part's list and amount as a service of its own)."""
    out = []
    for pid, part in service.parts.items():
        pid = str(pid)
        path = ("services", sid, "parts", pid)
        legal = ck.citations(list(part.legal_basis), path + ("legal_basis",))
        implied = deps = None
        if part.implied_when is not None:
            implied = ck.expression(part.implied_when, scope, Kind.BOOL, path + ("implied_when",))
            deps = fact_dependencies(implied, scope) if implied is not None else None
        out.append(PartDef(pid, part.name, part.outside_right, legal, make_service(pid, part, path), implied,
                           frozenset(deps or ())))
    return tuple(out)


def check_leaf_form(ck: Any, form: str, span) -> None:
    """A leaf's ``form:`` must be one of the forms of the service being checked
    (``ck.forms``, ``ck.service_id``)."""
    forms = getattr(ck, "forms", {})
    if form not in forms:
        _unknown_form(ck, getattr(ck, "service_id", ""), form, list(forms), span)


def _unknown_form(ck: Any, sid: str, form: str, known: list[str], span) -> None:
    found = suggest(form, known)
    hint: Phrase | None
    if found:
        hint = phrase("hint.did_you_mean", name=found[0])
    elif known:
        hint = phrase("case.known_forms", forms=", ".join(sorted(known)))
    else:
        hint = phrase("case.no_forms")
    ck.error("unknown-form", "ruleset.unknown_form", span, hint=hint, service=sid, form=form)


def check_rights(ck: Any, tree: tuple["Rule", ...], parts: tuple[PartDef, ...]) -> None:
    """Warn where a municipal rule could take from a right: a ``lovkrav`` grant nested under
    a ``kommunalt`` condition, and a part refused by a ``kommunalt`` rule in a service
    whose grant is ``lovkrav`` (rights are a floor; municipal rules may add, not take)."""
    for tr in (tree,) + tuple(p.service.tree for p in parts):
        _nested_rights(ck, tr, None)
    if not any(r.layer == "lovkrav" and r.outcome in ("innvilget", "delvis_innvilget") for r in _leaves(tree)):
        return
    for p in parts:
        for r in _leaves(p.service.tree):
            if r.outcome == "avslag" and r.layer == "kommunalt":
                ck.error("municipal-refuses-right-part", "ruleset.municipal_refuses_right_part", r.span,
                         hint=Phrase("ruleset.municipal_refuses_right_part.hint"), severity="warning",
                         part=p.id, id=r.id)


def _nested_rights(ck: Any, rules: tuple["Rule", ...], group: "Rule | None") -> None:
    for r in rules:
        if r.children is not None:
            _nested_rights(ck, r.children, r if r.layer == "kommunalt" and r.when is not None else group)
        elif group is not None and r.layer == "lovkrav" and r.outcome in ("innvilget", "delvis_innvilget"):
            ck.error("right-under-municipal-condition", "ruleset.right_under_municipal", r.span,
                     hint=phrase("ruleset.right_under_municipal.hint", group=group.id), severity="warning",
                     id=r.id, group=group.id)


def _leaves(rules: tuple["Rule", ...]):
    for r in rules:
        if r.children is None:
            yield r
        else:
            yield from _leaves(r.children)


__all__ = ["APPLICATION_NAMES", "APPLIED_AMOUNT", "APPLIED_FORM", "APPLIED_PARTS", "APPLIED_SERVICES", "FormDef",
           "PartDef", "add_application_names", "check_forms", "check_leaf_form", "check_parts",
           "check_rights"]
