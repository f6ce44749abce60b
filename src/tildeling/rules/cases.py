"""Load case files: the applicant's facts, the services applied for, and expectations.

Facts are written grouped (``funksjon: {husarbeid: 4}``) and flattened to dotted paths
(``funksjon.husarbeid``); what is not written is unknown. :func:`check_facts` checks them
against a rule set's fact vocabulary, with file positions.

    case = load_case("cases/drammen/dr-001.yaml")
    case.facts["funksjon.husarbeid"]
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tildeling.core.diagnostics import Diagnostic, make, suggest
from tildeling.core.errors import CaseError
from tildeling.files.model import CaseFile
from tildeling.files.modelcheck import validate_document
from tildeling.files.yamlload import YamlDocument, YamlLoadError, load_yaml_file
from tildeling.i18n.diagnostic_messages import phrase
from tildeling.rules.vocabulary import Vocabulary


@dataclass
class Case:
    model: CaseFile
    path: str
    doc: YamlDocument
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def municipality(self) -> str:
        return self.model.municipality

    @property
    def application_date(self) -> _dt.date:
        return self.model.application_date

    @property
    def applied_for(self) -> list[str]:
        return list(self.model.applied_for)

    @property
    def has_expectations(self) -> bool:
        return bool(self.model.expect or self.model.expect_by_rule_set)


def load_case(path: str | Path, *, display: str | None = None) -> Case:
    """Load one case file. Raises :class:`CaseError` with every structural problem."""
    name = display or str(path)
    try:
        doc = load_yaml_file(path, name)
    except YamlLoadError as exc:
        raise CaseError(f"{name}: ugyldig sak", [exc.diagnostic]) from None
    model, diags = validate_document(doc, CaseFile)
    if model is None:
        raise CaseError(f"{name}: ugyldig sak", sorted(diags, key=Diagnostic.sort_key))
    facts: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for group, values in model.facts.items():
        if not isinstance(values, dict):
            problems.append(make("wrong-type", "error", "case.facts_group_type", doc.span_for(("facts", str(group))),
                                 group=str(group)))
            continue
        for key, value in values.items():
            facts[f"{group}.{key}"] = value
    seen = set()
    for i, s in enumerate(model.applied_for):
        if s in seen:
            problems.append(make("duplicate-id", "error", "case.service_twice", doc.span_for(("applied_for", i)),
                                 service=str(s)))
        seen.add(s)
    if problems:
        raise CaseError(f"{name}: ugyldig sak", problems)
    facts["søknad.dato"] = model.application_date
    return Case(model, name, doc, facts)


def check_facts(case: Case, vocabulary: Vocabulary, on: _dt.date | None = None) -> list[Diagnostic]:
    """Every fact must be in the vocabulary and fit its type and domain; so must the age
    derived from the birth date on the assessment date ``on`` (default: the application date)."""
    diags = _derived_age_problems(case, vocabulary, on or case.application_date)
    for path, value in case.facts.items():
        group, _, key = path.partition(".")
        span = case.doc.span_for(("facts", group, key))
        if path not in vocabulary.facts:
            if path == "søknad.dato":
                continue
            found = suggest(path, vocabulary.facts.keys())
            diags.append(make("unknown-fact", "error", "case.unknown_fact",
                              case.doc.span_for(("facts", group, key), key=True),
                              hint_key=phrase("hint.did_you_mean", name=found[0]) if found else None, path=path))
            continue
        problem = vocabulary.value_problem(path, value)
        if problem is not None:
            diags.append(make("fact-value", "error", "case.fact_value", span, path=path, value=repr(value),
                              problem=problem))
    return diags


def _derived_age(facts: dict[str, Any], on: _dt.date) -> int | None:
    born = facts.get("søker.fødselsdato")
    if "søker.alder" in facts or not isinstance(born, _dt.date):
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _derived_age_problems(case: Case, vocabulary: Vocabulary, on: _dt.date) -> list[Diagnostic]:
    """An age derived from ``søker.fødselsdato`` must fit the vocabulary's range for age (a
    birth date after the application date gives a negative age). The message names the fact,
    never its value."""
    age = _derived_age(case.facts, on)
    info = vocabulary.facts.get("søker.alder")
    if age is None or info is None or vocabulary.value_problem("søker.alder", age) is None:
        return []
    lo, hi = info.type.minimum, info.type.maximum
    rng = f"{_whole(lo) if lo is not None else '−∞'}–{_whole(hi) if hi is not None else '∞'}"
    return [make("age-out-of-range", "error", "case.age_out_of_range",
                 case.doc.span_for(("facts", "søker", "fødselsdato")),
                 hint_key="case.age_out_of_range.hint", range=rng)]


def _whole(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def runtime_facts(case: Case, vocabulary: Vocabulary, on: _dt.date | None = None) -> dict[str, Any]:
    """Facts as the evaluator sees them: lists as tuples, age derived from the birth date on
    the assessment date ``on`` (the application date unless ``--as-of`` says otherwise)."""
    env: dict[str, Any] = {}
    for path, value in case.facts.items():
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, str):
            value = str(value)
        env[path] = value
    age = _derived_age(env, on or case.application_date)
    if age is not None:
        env["søker.alder"] = age
    return env
