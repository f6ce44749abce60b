"""Load and check a rule set: YAML → pydantic model → parsed, type-checked :class:`RuleSet`.

Every problem is collected (YAML, keys, types, expressions, names, cycles, duplicate ids,
staircase steps, legal references, validity windows) and raised together in one
:class:`RuleSetError`, sorted by position. Warnings are kept on the rule set.

    rs = load_ruleset("rules/drammen/drammen-2020.yaml")
    rs.services["praktisk_bistand"].tree[0].id
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tildeling.core.diagnostics import DiagnosticBag, from_phrase, make, suggest
from tildeling.core.errors import ExpressionError, RuleSetError
from tildeling.core.source import LocatedStr, SourceSpan
from tildeling.files.yamlload import YamlDocument, YamlLoadError, load_yaml_file
from tildeling.i18n.diagnostic_messages import Phrase, keyed, phrase
from tildeling.language.expressions import Expr, names
from tildeling.language.scope import Scope, Symbol
from tildeling.language.typecheck import check_expression, fact_dependencies
from tildeling.language.types import BOOL, DATE, NUMBER, TEXT, Kind, Type
from tildeling.rules.checked import (AlternativeDef, ParameterTable, Rule, RuleSet, ScoreComponentDef, ServiceDef,
                                     Staircase, holds_right)
from tildeling.rules.legal import Citation, CitationSyntaxError, LegalRegister, load_register, parse_citation
from tildeling.rules.parts import add_application_names, check_forms, check_leaf_form, check_parts, check_rights
from tildeling.rules.initiative import add_applied_services, check_own_initiative
from tildeling.rules.shared import load_shared
from tildeling.rules.vocabulary import Vocabulary, check_derivations

if TYPE_CHECKING:
    from tildeling.files.model import Branch, ParameterDef, RuleSetFile, Service, StaircaseFile, Text

SCORE_NAME = "poengsum"
MAX_RULES_PER_LIST = 2000  # rules in one decision list (docs/regelformat.md); more is a located error


def _staircase(model: StaircaseFile) -> Staircase:
    return Staircase(model.id, model.name, {s.step: s.name for s in model.steps},
                     tuple((c.id, c.name, tuple(c.steps)) for c in model.categories),
                     frozenset(s.step for s in model.steps if not s.vedtak))


def _param_type(values: list[Any]) -> Type | None:
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add(Kind.BOOL)
        elif isinstance(v, (int, float)):
            kinds.add(Kind.NUMBER)
        elif isinstance(v, _dt.date):
            kinds.add(Kind.DATE)
        else:
            kinds.add(Kind.TEXT)
    if len(kinds) != 1:
        return None
    return {Kind.BOOL: BOOL, Kind.NUMBER: NUMBER, Kind.DATE: DATE, Kind.TEXT: TEXT}[kinds.pop()]


# --- the loader -----------------------------------------------------------------------------------

class _Checker:
    def __init__(self, doc: YamlDocument, meta: RuleSetFile, bag: DiagnosticBag, register: LegalRegister):
        self.doc = doc
        self.meta = meta
        self.bag = bag
        self.register = register
        self.rule_ids: dict[str, SourceSpan | None] = {}

    def error(self, code: str, key: str, span: SourceSpan | None, *, hint: Phrase | None = None,
              severity: str = "error", **args) -> None:
        """Record a problem; ``key`` and ``args`` name its text in the message catalogue."""
        self.bag.add(make(code, severity, key, span, hint_key=hint, **args))  # type: ignore[arg-type]

    def problem(self, code: str, message: Phrase, span: SourceSpan | None, hint: Phrase | None = None,
                severity: str = "error") -> None:
        self.bag.add(from_phrase(code, severity, message, span, hint))  # type: ignore[arg-type]

    def span(self, *path) -> SourceSpan | None:
        return self.doc.span_for(path)

    # expressions
    def expression(self, text: Any, scope: Scope, expected: Kind | None, path: tuple) -> Expr | None:
        if not isinstance(text, str):
            text = LocatedStr(str(text), self.span(*path) or SourceSpan(self.doc.file, 1, 1, 1, 1))
        try:
            expr = _parse(text)
        except ExpressionError as exc:
            self.bag.extend(exc.diagnostics)
            return None
        _type, diags = check_expression(expr, scope, expected=expected)
        self.bag.extend(diags)
        if any(d.severity == "error" for d in diags):
            return None
        return expr

    def citations(self, refs: list[str], path: tuple, *, window=True) -> tuple[Citation, ...]:
        out = []
        for i, ref in enumerate(refs):
            span = self.span(*path, i) if len(refs) > 0 and self.doc.span_for(path + (i,)) else self.span(*path)
            try:
                c = parse_citation(str(ref))
            except CitationSyntaxError as exc:
                self.error("citation-syntax", "ruleset.citation_syntax", span, hint=exc.hint_phrase,
                           ref=str(ref), problem=exc.phrase)
                continue
            if window:
                for p in self.register.check(c, self.meta.valid_from, self.meta.valid_to):
                    self.problem(p.code, phrase("ruleset.citation_problem", ref=str(ref), problem=p.phrase),
                                 span, p.hint_phrase, severity=p.severity)
            out.append(c)
        return tuple(out)


def load_ruleset(path: str | Path, *, display: str | None = None) -> RuleSet:
    """Load, parse and check one rule set. Raises :class:`RuleSetError` listing every error."""
    path = Path(path)
    name = display or str(path)
    bag = DiagnosticBag()
    try:
        doc = load_yaml_file(path, name)
    except YamlLoadError as exc:
        raise RuleSetError(keyed("error.invalid_rule_set", name=name), [exc.diagnostic]) from None
    # pydantic checks the file: imported only when a rule set is read (not from the cache)
    from tildeling.files.model import ParametersFile, RuleSetHeader, Service, StaircaseFile, VocabularyFile
    from tildeling.files.modelcheck import validate_document

    data = doc.data if isinstance(doc.data, dict) else None
    meta, diags = validate_document(doc, RuleSetHeader)
    bag.extend(diags)
    service_models: dict[str, Service] = {}
    raw_services = data.get("services") if data is not None else None
    if data is not None and "services" not in data:
        bag.add(make("missing-key", "error", "model.missing", doc.span_for(()), name="services"))
    elif isinstance(raw_services, dict):
        if not raw_services:
            bag.add(make("wrong-type", "error", "ruleset.no_services", doc.span_for(("services",))))
        for sid, raw in raw_services.items():
            sm, sd = validate_document(doc, Service, data=raw, prefix=("services", str(sid)))
            bag.extend(sd)
            if sm is not None:
                service_models[str(sid)] = sm
    if meta is None:
        raise RuleSetError(keyed("error.invalid_rule_set", name=name), bag.sorted())
    register = load_register()
    ck = _Checker(doc, meta, bag, register)
    base = path.parent
    digest = hashlib.sha256(doc.text.encode("utf-8"))

    # shared pieces
    vocab_model, d1 = load_shared(base / meta.uses.vocabulary, VocabularyFile, bag,
                                   _rel(base / meta.uses.vocabulary))
    stair_model, d2 = load_shared(base / meta.uses.staircase, StaircaseFile, bag,
                                   _rel(base / meta.uses.staircase))
    if vocab_model is None and not bag.has_errors:
        ck.error("file-not-found", "ruleset.vocabulary_not_found", ck.span("uses", "vocabulary"))
    digest.update(d1.encode() + d2.encode())
    params: dict[str, tuple[ParameterDef, SourceSpan | None]] = {}
    for i, ppath in enumerate(meta.uses.parameters):
        pm, d3 = load_shared(base / ppath, ParametersFile, bag, _rel(base / ppath))
        digest.update(d3.encode())
        if pm is not None:
            for pname, pdef in pm.parameters.items():
                params[str(pname)] = (pdef, ck.span("uses", "parameters", i))
    for pname, pdef in meta.parameters.items():
        params[str(pname)] = (pdef, ck.span("parameters", str(pname)))
    if vocab_model is None or stair_model is None:
        raise RuleSetError(keyed("error.invalid_rule_set", name=name), bag.sorted())
    vocabulary = Vocabulary.from_model(vocab_model)
    staircase = _staircase(stair_model)

    # scope: facts, parameters, definitions
    scope = Scope()
    for fpath, info in vocabulary.facts.items():
        scope.add(Symbol(fpath, "fact", info.type))
    bag.extend(check_derivations(vocabulary, scope))  # facts only: the vocabulary is shared
    tables: dict[str, ParameterTable] = {}
    for pname, (pdef, pspan) in sorted(params.items()):
        values = sorted(((v.from_, v.value) for v in pdef.values), key=lambda x: x[0])
        dates = [d for d, _ in values]
        if len(set(dates)) != len(dates):
            ck.error("parameter-dates", "ruleset.parameter_dates", pspan, name=pname)
        ptype = _param_type([v for _, v in values])
        if ptype is None:
            ck.error("parameter-type", "ruleset.parameter_mixed", pspan, name=pname)
            continue
        tables[pname] = ParameterTable(pname, tuple(values), pdef.label, pdef.unit, ptype)
        scope.add(Symbol(f"parameter.{pname}", "parameter", ptype))
        if pdef.legal_basis:
            ck.citations([pdef.legal_basis], ("parameters", pname, "legal_basis"), window=False)

    add_applied_services(scope, raw_services if isinstance(raw_services, dict) else service_models)
    definitions = _check_definitions(ck, meta, scope)

    # services
    services: dict[str, ServiceDef] = {}
    for sid, service in service_models.items():
        services[sid] = _check_service(ck, sid, service, scope, staircase)
    check_own_initiative(ck, service_models, services)

    _check_parameters_in_force(ck, tables, definitions, services)
    warnings = [d for d in bag.sorted() if d.severity != "error"]
    if bag.has_errors:
        raise RuleSetError(keyed("error.invalid_rule_set", name=name), bag.sorted())
    return RuleSet(meta, name, digest.hexdigest(), vocabulary, staircase, tables, scope, definitions,
                   services, register, warnings)


def _check_parameters_in_force(ck: _Checker, tables: dict[str, ParameterTable], definitions: dict[str, Expr],
                               services: dict[str, ServiceDef]) -> None:
    """A parameter the rule set uses must have a value from the day the rule set applies;
    otherwise every case dated earlier than its first value meets an unknown."""
    import re
    used: dict[str, None] = {}
    exprs: list[Expr] = list(definitions.values())
    texts: list[Text] = []
    for service in services.values():
        exprs += [c.value for c in service.score] + ([service.amount] if service.amount else [])
        exprs += [a.when for a in service.alternatives if a.when is not None]
        if service.own_initiative is not None:
            exprs.append(service.own_initiative.when)
        texts += [a.reason for a in service.alternatives if a.reason is not None]
        for r in service.rules():
            exprs += [e for e in (r.when, r.amount, r.applies_when) if e is not None]
            if r.reason is not None:
                texts.append(r.reason)
    for e in exprs:
        for n in names(e):
            if n.path.startswith("parameter."):
                used[n.path] = None
    for t in texts:
        for lang in ("nb", "nn", "en"):
            for m in re.finditer(r"\{(parameter\.[^{}]+)\}", getattr(t, lang) or ""):
                used[m.group(1).strip()] = None
    start = ck.meta.valid_from
    for path in used:
        table = tables.get(path.removeprefix("parameter."))
        if table is not None and table.value_on(start) is None:
            first = table.values[0][0].isoformat() if table.values else "–"
            ck.error("parameter-not-in-force", "ruleset.parameter_not_in_force", ck.span("valid_from"),
                     hint=Phrase("ruleset.parameter_not_in_force.hint"), severity="warning",
                     name=path, start=start.isoformat(), first=first)


def _rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _check_definitions(ck: _Checker, meta: RuleSetFile, scope: Scope) -> dict[str, Expr]:
    parsed: dict[str, Expr] = {}
    for dname, text in meta.definitions.items():
        dname = str(dname)
        span = ck.doc.span_for(("definitions", dname), key=True)
        existing = scope.lookup(dname)
        if existing is not None:
            ck.error("name-conflict", "ruleset.definition_is_fact" if existing.kind == "fact"
                     else "ruleset.definition_is_parameter", span, name=dname)
            continue
        if dname == SCORE_NAME:
            ck.error("name-conflict", "ruleset.score_reserved", span, name=SCORE_NAME)
            continue
        try:
            parsed[dname] = _parse(text if isinstance(text, str) else str(text))
        except ExpressionError as exc:
            ck.bag.extend(exc.diagnostics)
    # dependency graph between definitions → topological order, cycles reported
    deps = {d: [n.path for n in names(e) if n.path in parsed] for d, e in parsed.items()}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(d: str, trail: list[str]) -> None:
        if state.get(d) == 2:
            return
        if state.get(d) == 1:
            cycle = trail[trail.index(d):] + [d]
            ck.error("cyclic-definition", "ruleset.cyclic_definitions",
                     ck.doc.span_for(("definitions", d), key=True), cycle=" → ".join(cycle))
            return
        state[d] = 1
        for dep in deps[d]:
            visit(dep, trail + [d])
        state[d] = 2
        order.append(d)

    for d in parsed:
        visit(d, [])
    cyclic = {d for d in parsed if state.get(d) != 2}
    checked: dict[str, Expr] = {}
    # Placeholders so names resolve while checking in order; types fixed as we go.
    for d in order:
        if d in cyclic or any(dep in cyclic for dep in deps[d]):
            continue
        expr = parsed[d]
        typ, diags = check_expression(expr, scope, expected=None)
        ck.bag.extend(diags)
        if any(x.severity == "error" for x in diags):
            continue
        scope.add(Symbol(d, "definition", typ, expr))  # type: ignore[arg-type]  # None only with errors, skipped above
        checked[d] = expr
    return checked


def _check_service(ck: _Checker, sid: str, service: Service, scope: Scope, staircase: Staircase) -> ServiceDef:
    base = ("services", sid)
    if service.step is not None and service.step not in staircase.steps:
        ck.error("unknown-step", "ruleset.unknown_step", ck.span(*base, "step"), step=service.step,
                 staircase=staircase.id)
    legal = ck.citations(list(service.legal_basis), base + ("legal_basis",))
    # score components
    service_scope = Scope(dict(scope.symbols))
    add_application_names(service_scope, service)
    comps = []
    if service.score is not None:
        score_deps: set[str] = set()
        for i, comp in enumerate(service.score.components):
            expr = ck.expression(comp.value, scope, None, base + ("score", "components", i, "value"))
            if expr is None:
                continue
            typ, _ = check_expression(expr, scope)
            if typ.kind not in (Kind.NUMBER, Kind.BOOL):  # type: ignore[union-attr]  # ck.expression rejected untypable ones
                ck.error("type-mismatch", "ruleset.score_component_type",
                         ck.span(*base, "score", "components", i, "value"), id=comp.id)
                continue
            fdeps = fact_dependencies(expr, scope)
            score_deps |= fdeps
            comps.append(ScoreComponentDef(comp.id, comp.label, expr, comp.weight, fdeps))
            _register_id(ck, comp.id, ck.span(*base, "score", "components", i, "id"))
        service_scope.add(Symbol(SCORE_NAME, "parameter", NUMBER))
        ck.score_deps = frozenset(score_deps)  # type: ignore[attr-defined]
    else:
        ck.score_deps = frozenset()  # type: ignore[attr-defined]
    amount = None
    if service.amount is not None:
        amount = ck.expression(service.amount.value, service_scope, None, base + ("amount", "value"))
        amount = _numeric(ck, amount, service_scope, base + ("amount", "value"))
    alts = []
    for i, alt in enumerate(service.alternatives):
        when = None
        if alt.when is not None:
            when = ck.expression(alt.when, service_scope, Kind.BOOL, base + ("alternatives", i, "when"))
        if alt.step not in staircase.steps:
            ck.error("unknown-step", "ruleset.unknown_step", ck.span(*base, "alternatives", i, "step"),
                     step=alt.step, staircase=staircase.id)
        alts.append(AlternativeDef(alt.service, alt.step, alt.name, when, alt.reason))
    ck.forms, ck.service_id = check_forms(ck, sid, service, staircase.steps, staircase.id), sid  # type: ignore[attr-defined]
    tree = _check_tree(ck, list(service.decision), service_scope, base + ("decision",), staircase)

    def part_service(pid: str, part, path: tuple) -> ServiceDef:
        p_amount = _numeric(ck, ck.expression(part.amount.value, service_scope, None, path + ("amount", "value")),
                            service_scope, path + ("amount", "value")) if part.amount else None
        p_tree = _check_tree(ck, list(part.decision), service_scope, path + ("decision",), staircase)
        return ServiceDef(f"{sid}.{pid}", part.name, legal, service.step, service.addressee, None, (), p_amount,
                          part.amount.unit if part.amount else None, (), p_tree, service_scope, (), ck.forms)  # type: ignore[attr-defined]

    parts = check_parts(ck, sid, service, service_scope, part_service)
    check_rights(ck, tree, parts)
    return ServiceDef(sid, service.name, legal, service.step, service.addressee, service.description,
                      tuple(comps), amount, service.amount.unit if service.amount else None, tuple(alts),
                      tree, service_scope, parts, ck.forms)  # type: ignore[attr-defined]


def _numeric(ck: _Checker, expr: Expr | None, scope: Scope, path: tuple) -> Expr | None:
    if expr is None:
        return None
    typ, _ = check_expression(expr, scope)
    if typ.kind is not Kind.NUMBER:  # type: ignore[union-attr]  # expr passed ck.expression: its type is known
        ck.error("type-mismatch", "ruleset.amount_number", ck.span(*path))
        return None
    return expr


def _register_id(ck: _Checker, rid: str, span: SourceSpan | None) -> None:
    if rid not in ck.rule_ids:
        ck.rule_ids[rid] = span
        return
    first, hint = ck.rule_ids[rid], Phrase("ruleset.duplicate_id.hint")
    if first:
        ck.error("duplicate-id", "ruleset.duplicate_id_at", span, hint=hint, id=rid, line=first.line)
    else:
        ck.error("duplicate-id", "ruleset.duplicate_id", span, hint=hint, id=rid)


def _check_tree(ck: _Checker, branches: list[Branch], scope: Scope, path: tuple,
                staircase: Staircase) -> tuple[Rule, ...]:
    out: list[Rule] = []
    seen_else = False
    if len(branches) > MAX_RULES_PER_LIST:
        ck.error("too-many-rules", "ruleset.too_many_rules", ck.span(*path),
                 hint=Phrase("ruleset.too_many_rules.hint"), max=MAX_RULES_PER_LIST)
    for i, br in enumerate(branches):
        bpath = path + (i,)
        span = ck.span(*bpath)
        _register_id(ck, br.id, ck.span(*bpath, "id"))
        if seen_else:
            ck.error("unreachable-rule", "ruleset.unreachable_rule", span, id=br.id)
        if br.else_:
            seen_else = True
        when = None
        deps: frozenset[str] = frozenset()
        if br.when is not None:
            when = ck.expression(br.when, scope, Kind.BOOL, bpath + ("when",))
            if when is not None:
                deps = fact_dependencies(when, scope)
                if any(n.path == SCORE_NAME for n in names(when)):
                    deps = deps | ck.score_deps  # type: ignore[attr-defined]
        applies = None
        if br.applies_when is not None:
            applies = ck.expression(br.applies_when, scope, Kind.BOOL, bpath + ("applies_when",))
            if applies is not None:
                deps = deps | fact_dependencies(applies, scope)
        if br.step is not None and br.step not in staircase.steps:
            ck.error("unknown-step", "ruleset.unknown_step", ck.span(*bpath, "step"), step=br.step,
                     staircase=staircase.id)
        legal = ck.citations(list(br.legal_basis), bpath + ("legal_basis",))
        amount = None
        if br.amount is not None:
            amount = _numeric(ck, ck.expression(br.amount.value, scope, None, bpath + ("amount", "value")),
                              scope, bpath + ("amount", "value"))
        children = None
        if br.decision is not None:
            children = _check_tree(ck, list(br.decision), scope, bpath + ("decision",), staircase)
        if br.reason is not None:
            check_placeholders(ck, br.reason, scope, bpath + ("reason",))
        if br.form is not None:
            check_leaf_form(ck, br.form, ck.span(*bpath, "form"))
        out.append(Rule(br.id, when, str(br.when) if br.when is not None else None, br.else_, br.outcome,
                        br.step, br.reason, legal, br.discretion, br.layer, amount,
                        br.amount.unit if br.amount else None, children, span, deps, br.form, applies,
                        br.waiting_list))
    _check_layer_order(ck, out)
    if not seen_else:
        ck.error("missing-else", "ruleset.missing_else", ck.span(*path),
                 hint=Phrase("ruleset.missing_else.hint"), severity="warning")
    return tuple(out)


def _check_layer_order(ck: _Checker, rules: list[Rule]) -> None:
    """Warn about a municipal rule written before a right in the same list: the right is
    applied first (:func:`rights_first`), so the written order misleads the reader."""
    municipal = None
    for r in rules:
        if r.is_else:
            continue
        if not holds_right(r):
            municipal = municipal or r
        elif municipal is not None:
            ck.error("municipal-before-right", "ruleset.municipal_before_right", r.span,
                     hint=Phrase("ruleset.municipal_before_right.hint"), severity="warning",
                     id=r.id, municipal=municipal.id)


def check_placeholders(ck: _Checker, text: Text, scope: Scope, path: tuple) -> None:
    import re
    for lang in ("nb", "nn", "en"):
        value = getattr(text, lang)
        if not value:
            continue
        for m in re.finditer(r"\{([^{}]+)\}", value):
            name = m.group(1).strip()
            if scope.lookup(name) is None:
                found = suggest(name, scope.all_names())
                ck.error("unknown-name", "ruleset.unknown_placeholder", ck.span(*path, lang),
                         hint=phrase("hint.did_you_mean", name=found[0]) if found else None, name=name)


def _parse(text: str):
    """:func:`tildeling.language.parser.parse_expression`, imported when first needed (the
    parser's library is not loaded where a rule set comes from the cache)."""
    from tildeling.language.parser import parse_expression

    return parse_expression(text)
