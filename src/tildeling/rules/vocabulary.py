"""The fact vocabulary: every fact a rule may use, with its type, domain, unit and label.

The vocabulary is data (``rules/felles/fakta.yaml``), not code: the case schema is generated
from it, cases are checked against it, and static checks reason over its domains.

>>> from tildeling.language.types import Kind
>>> from tildeling.files.model import FactDef, Text, VocabularyFile
>>> v = Vocabulary.from_model(VocabularyFile(id="v", version="1", facts={
...     "funksjon.husarbeid": FactDef(type="iplos", label=Text(nb="husarbeid"))}))
>>> v.facts["funksjon.husarbeid"].type.kind is Kind.IPLOS
True
>>> v.check_value("funksjon.husarbeid", 7)
'må være 1–5 eller 9 (ikke relevant)'
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tildeling.core.diagnostics import Diagnostic, make, suggest
from tildeling.core.errors import ExpressionError, RuleSetError
from tildeling.core.source import SourceSpan
from tildeling.files.yamlload import load_yaml_file
from tildeling.i18n.diagnostic_messages import Phrase, keyed, phrase
from tildeling.language.expressions import Expr, names
from tildeling.language.history import RECORD_KEYS, RESULTS
from tildeling.language.scope import Scope, Symbol
from tildeling.language.typecheck import check_expression
from tildeling.rules.legal import CitationSyntaxError, parse_citation
from tildeling.language.types import IPLOS_VALUES, Kind, Type

if TYPE_CHECKING:
    from tildeling.files.model import FactDef, Text, VocabularyFile


@dataclass(frozen=True)
class DerivationInfo:
    """One derivation of a fact as written (the checked ``when`` lives in the scope)."""

    when: str
    value: Any
    basis: Text
    legal_basis: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactInfo:
    """One fact of the vocabulary, checked: its type, label, unit and derivations."""

    path: str
    type: Type
    vocabulary_type: str
    label: Text
    unit: str | None = None
    derived: tuple[DerivationInfo, ...] = ()
    assessed: bool = False  # a given value is the caseworker's discretionary assessment (skjønn)

    def label_in(self, lang: str) -> str:
        return self.label.get(lang)


@dataclass
class Vocabulary:
    """The checked fact vocabulary: every fact a rule may use, by its path."""

    id: str
    version: str
    facts: dict[str, FactInfo] = field(default_factory=dict)
    groups: dict[str, Text] = field(default_factory=dict)

    @staticmethod
    def from_model(model: VocabularyFile) -> "Vocabulary":
        vocab = Vocabulary(model.id, model.version)
        for group, gdef in model.groups.items():
            vocab.groups[str(group)] = gdef.label
        for path, fdef in model.facts.items():
            path = str(path)
            derived = tuple(DerivationInfo(d.when, d.value, d.basis, tuple(d.legal_basis)) for d in fdef.derived)
            vocab.facts[path] = FactInfo(path, _type_of(fdef), fdef.type, fdef.label, fdef.unit, derived,
                                         fdef.assessed)
        return vocab

    def check_value(self, path: str, value: Any) -> str | None:
        """``None`` when ``value`` fits the fact's type and domain, else a Norwegian message."""
        problem = self.value_problem(path, value)
        return None if problem is None else problem.text("nb")

    def value_problem(self, path: str, value: Any) -> Phrase | None:
        """:meth:`check_value` as a catalogue phrase (for nb, nn and en)."""
        info = self.facts[path]
        t = info.type
        kind = t.kind
        if kind is Kind.BOOL:
            return None if isinstance(value, bool) else Phrase("fact.must_be_bool")
        if kind is Kind.IPLOS:
            if isinstance(value, bool) or value not in IPLOS_VALUES or not isinstance(value, int):
                return Phrase("fact.must_be_iplos")
            return None
        if kind is Kind.NUMBER:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return Phrase("fact.must_be_number")
            if value != value:
                return Phrase("fact.must_be_number")
            if t.integer and not float(value).is_integer():
                return Phrase("fact.must_be_integer")
            if t.minimum is not None and value < t.minimum:
                return phrase("fact.at_least", min=_num(t.minimum))
            if t.maximum is not None and value > t.maximum:
                return phrase("fact.at_most", max=_num(t.maximum))
            return None
        if kind is Kind.DATE:
            ok = isinstance(value, _dt.date) and not isinstance(value, _dt.datetime)
            return None if ok else Phrase("fact.must_be_date")
        if kind is Kind.TEXT:
            if not isinstance(value, str):
                return Phrase("fact.must_be_text")
            if t.values and value not in t.values:
                return phrase("fact.one_of", values=", ".join(t.values))
            return None
        if kind is Kind.LIST and t.history:
            if not isinstance(value, list):
                return Phrase("fact.must_be_history")
            for entry in value:
                found = self.history_entry_problem(path, entry)
                if found is not None:
                    return found[0]
            return None
        if kind is Kind.LIST:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return Phrase("fact.must_be_list")
            bad = [v for v in value if t.values and v not in t.values]
            if bad:
                return phrase("fact.unknown_list_value", value=bad[0], values=", ".join(t.values or ()))
            return None
        return None  # pragma: no cover

    def history_entry_problem(self, path: str, entry: Any) -> tuple[Phrase, Phrase | None, str | None] | None:
        """What is wrong with one entry of the history ``path`` (a service id or a record):
        ``(problem, hint, key of the record it concerns)``, or None. Never quotes the value."""
        values = tuple(self.facts[path].type.values or ())
        if isinstance(entry, str):
            return _choice_problem(entry, values, "fact.history_unknown_service", None)
        if not isinstance(entry, dict):
            return Phrase("fact.must_be_history"), None, None
        for key in entry:
            if key not in RECORD_KEYS:
                found = _close(str(key), RECORD_KEYS)
                return (phrase("fact.history_unknown_key", keys=", ".join(RECORD_KEYS)),
                        phrase("hint.did_you_mean", name=found) if found else None, None)
        service = entry.get("tjeneste")
        if not isinstance(service, str):
            return Phrase("fact.history_needs_service"), None, None
        problem = _choice_problem(service, values, "fact.history_unknown_service", "tjeneste")
        if problem is not None:
            return problem
        result = entry.get("resultat")
        if result is not None:
            problem = _choice_problem(result if isinstance(result, str) else "", RESULTS,
                                      "fact.history_unknown_result", "resultat")
            if problem is not None:
                return problem
        for key in ("fra", "til"):
            v = entry.get(key)
            if v is not None and (not isinstance(v, _dt.date) or isinstance(v, _dt.datetime)):
                return phrase("fact.history_date", name=key), None, key
        start, end = entry.get("fra"), entry.get("til")
        if isinstance(start, _dt.date) and isinstance(end, _dt.date) and end < start:
            return Phrase("fact.history_period"), None, "til"
        for key in ("besøk_per_uke", "timer_per_uke"):
            v = entry.get(key)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or v != v or v < 0):
                return phrase("fact.history_number", name=key), None, key
        return None

    def json_schema_for_facts(self) -> dict:
        """JSON Schema of a case's ``facts`` block, grouped as the vocabulary groups facts."""
        groups: dict[str, dict] = {}
        for path, info in sorted(self.facts.items()):
            group, _, name = path.partition(".")
            g = groups.setdefault(group, {"type": "object", "additionalProperties": False, "properties": {}})
            if group in self.groups:
                g["title"] = self.groups[group].get("nb")
            g["properties"][name] = _fact_schema(info)
        return {"type": "object", "additionalProperties": False, "properties": groups}


def _close(value: str, values) -> str | None:
    found = suggest(value, list(values))
    return found[0] if found else None


def _choice_problem(value: str, values: tuple, key: str, where: str | None):
    """None when ``value`` is one of ``values``; else (``key`` listing them, «mente du …?»)."""
    if value in values:
        return None
    found = _close(value, values)
    return (phrase(key, values=", ".join(values)), phrase("hint.did_you_mean", name=found) if found else None,
            where)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _type_of(fdef: FactDef) -> Type:
    lo, hi = (fdef.range or (None, None))
    return Type.from_vocabulary(fdef.type, values=fdef.values, minimum=lo, maximum=hi)


def _fact_schema(info: FactInfo) -> dict:
    t = info.type
    desc = info.label.get("nb") + (f" ({info.unit})" if info.unit else "")
    if t.kind is Kind.BOOL:
        s: dict = {"type": "boolean"}
    elif t.kind is Kind.IPLOS:
        s = {"type": "integer", "enum": list(IPLOS_VALUES)}
    elif t.kind is Kind.NUMBER:
        s = {"type": "integer" if t.integer else "number"}
        if t.minimum is not None:
            s["minimum"] = t.minimum
        if t.maximum is not None:
            s["maximum"] = t.maximum
    elif t.kind is Kind.DATE:
        s = {"type": "string", "format": "date"}
    elif t.kind is Kind.LIST and t.history:
        ids = {"type": "string", "enum": list(t.values or ())}
        record = {"type": "object", "additionalProperties": False, "required": ["tjeneste"], "properties": {
            "tjeneste": ids,
            "resultat": {"type": "string", "enum": list(RESULTS)},
            "fra": {"type": "string", "format": "date"},
            "til": {"type": "string", "format": "date"},
            "besøk_per_uke": {"type": "number", "minimum": 0},
            "timer_per_uke": {"type": "number", "minimum": 0},
        }}
        s = {"type": "array", "items": {"anyOf": [ids, record]}}
    elif t.kind is Kind.LIST:
        s = {"type": "array", "items": {"type": "string", "enum": list(t.values or ())}, "uniqueItems": True}
    else:
        s = {"type": "string"}
        if t.values:
            s["enum"] = list(t.values)
    s["description"] = desc
    if t.kind is not Kind.LIST and not info.derived:
        # Known to be one of several values: {en_av: [lett, moderat]} (language/partial.py);
        # the values themselves are checked by `tildeling validate`.
        return {"anyOf": [s, {"$ref": "#/$defs/en_av"}], "description": desc}
    return s


def read_vocabulary(path) -> Vocabulary:
    """The fact vocabulary in the file ``path``; a :class:`~tildeling.core.errors.TildelingError`
    with the file's diagnostics when it is not a valid vocabulary.

    >>> read_vocabulary("rules/felles/fakta.yaml").id
    'fakta'
    """
    from tildeling.files.model import VocabularyFile  # pydantic: only when a file is read
    from tildeling.files.modelcheck import validate_document

    model, diags = validate_document(load_yaml_file(path), VocabularyFile)
    if model is None:
        raise RuleSetError(keyed("error.invalid_vocabulary", detail=Phrase(diags[0].key, diags[0].args) if diags[0].key else diags[0].message), diags)
    return Vocabulary.from_model(model)


def check_derivations(vocab: Vocabulary, scope: Scope) -> list[Diagnostic]:
    """Parse and type-check every derivation in the vocabulary against ``scope`` (the facts),
    check each value against its fact's type, find cycles (``derivation-cycle``), and give
    the fact symbols in ``scope`` their checked derivations. Returns the diagnostics, located
    in the vocabulary file.

    >>> from tildeling.language.scope import Symbol
    >>> v = read_vocabulary("rules/felles/fakta.yaml")
    >>> s = Scope()
    >>> for p, info in v.facts.items(): s.add(Symbol(p, "fact", info.type))
    >>> check_derivations(v, s), len(s.lookup("husstand.andre_voksne").derived)
    ([], 1)
    """
    diags: list[Diagnostic] = []
    parsed: dict[str, list[tuple[Expr, object]]] = {}
    spans: dict[str, SourceSpan | None] = {}
    for path, info in vocab.facts.items():
        if not info.derived:
            continue
        items: list[tuple[Expr, object]] = []
        for d in info.derived:
            span = getattr(d.when, "span", None)
            spans.setdefault(path, span)
            try:
                expr = _parse(d.when)
            except ExpressionError as exc:
                diags.extend(exc.diagnostics)
                continue
            _type, found = check_expression(expr, scope, expected=Kind.BOOL)
            diags.extend(found)
            if any(x.severity == "error" for x in found):
                continue
            problem = vocab.value_problem(path, d.value)
            if problem is not None:
                diags.append(make("type-mismatch", "error", "vocabulary.derived_value", span, path=path,
                                  problem=problem))
                continue
            for ref in d.legal_basis:
                try:
                    parse_citation(str(ref))
                except CitationSyntaxError as exc:
                    diags.append(make("citation-syntax", "error", "ruleset.citation_syntax",
                                      getattr(ref, "span", None) or span, hint_key=exc.hint_phrase, ref=str(ref),
                                      problem=exc.phrase))
            items.append((expr, d.value))
        parsed[path] = items
    # Derivations may use other derived facts, never (through others) themselves.
    uses = {p: sorted({n.path for e, _ in items for n in names(e) if n.path in parsed}) for p, items in parsed.items()}
    state: dict[str, int] = {}
    cyclic: set[str] = set()

    def visit(p: str, trail: list[str]) -> None:
        if state.get(p) == 2:
            return
        if state.get(p) == 1:
            ring = trail[trail.index(p):] + [p]
            cyclic.update(ring)
            diags.append(make("derivation-cycle", "error", "vocabulary.derivation_cycle", spans.get(p),
                              hint_key="vocabulary.derivation_cycle.hint", cycle=" → ".join(ring)))
            return
        state[p] = 1
        for q in uses[p]:
            visit(q, trail + [p])
        state[p] = 2

    for p in sorted(parsed):
        visit(p, [])
    for p, items in parsed.items():
        symbol = scope.lookup(p)
        if symbol is not None and items and p not in cyclic:
            scope.add(Symbol(symbol.path, symbol.kind, symbol.type, symbol.expr, tuple(items)))
    return diags


def derivation_problems(model: VocabularyFile) -> list[Diagnostic]:
    """The problems of a vocabulary file's derivations, checked on their own (``validate``)."""
    vocab = Vocabulary.from_model(model)
    scope = Scope()
    for path, info in vocab.facts.items():
        scope.add(Symbol(path, "fact", info.type))
    return check_derivations(vocab, scope)


def _parse(text: str):
    """:func:`tildeling.language.parser.parse_expression`, imported when first needed (the
    parser's library is not loaded where a rule set comes from the cache)."""
    from tildeling.language.parser import parse_expression

    return parse_expression(text)
