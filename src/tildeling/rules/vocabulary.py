"""The fact vocabulary: every fact a rule may use, with its type, domain, unit and label.

The vocabulary is data (``rules/felles/fakta.yaml``), not code: the case schema is generated
from it, cases are checked against it, and static checks reason over its domains.

>>> from tildeling.language.types import Kind
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
from typing import Any

from tildeling.core.errors import RuleSetError
from tildeling.files.model import FactDef, Text, VocabularyFile
from tildeling.files.modelcheck import validate_document
from tildeling.files.yamlload import load_yaml_file
from tildeling.i18n.diagnostic_messages import Phrase, keyed, phrase
from tildeling.language.types import IPLOS_VALUES, Kind, Type


@dataclass(frozen=True)
class FactInfo:
    path: str
    type: Type
    vocabulary_type: str
    label: Text
    unit: str | None = None

    def label_in(self, lang: str) -> str:
        return self.label.get(lang)


@dataclass
class Vocabulary:
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
            vocab.facts[path] = FactInfo(path, _type_of(fdef), fdef.type, fdef.label, fdef.unit)
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
        if kind is Kind.LIST:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return Phrase("fact.must_be_list")
            bad = [v for v in value if t.values and v not in t.values]
            if bad:
                return phrase("fact.unknown_list_value", value=bad[0], values=", ".join(t.values or ()))
            return None
        return None  # pragma: no cover

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
    elif t.kind is Kind.LIST:
        s = {"type": "array", "items": {"type": "string", "enum": list(t.values or ())}, "uniqueItems": True}
    else:
        s = {"type": "string"}
        if t.values:
            s["enum"] = list(t.values)
    s["description"] = desc
    return s


def read_vocabulary(path) -> Vocabulary:
    """The fact vocabulary in the file ``path``; a :class:`~tildeling.core.errors.TildelingError`
    with the file's diagnostics when it is not a valid vocabulary.

    >>> read_vocabulary("rules/felles/fakta.yaml").id
    'fakta'
    """
    model, diags = validate_document(load_yaml_file(path), VocabularyFile)
    if model is None:
        raise RuleSetError(keyed("error.invalid_vocabulary", detail=Phrase(diags[0].key, diags[0].args) if diags[0].key else diags[0].message), diags)
    return Vocabulary.from_model(model)
