"""Load case files: the applicant's facts, the services applied for, and expectations.

Facts are written grouped (``funksjon: {husarbeid: 4}``) and flattened to dotted paths
(``funksjon.husarbeid``); what is not written is unknown. :func:`check_facts` checks them
against a rule set's fact vocabulary, with file positions.

A case's values are health data: no diagnostic about a case quotes one (:func:`hide_values`);
messages name the fact and what is wrong with it, and the position says where to look.

    case = load_case("cases/drammen/dr-001.yaml")
    case.facts["funksjon.husarbeid"]
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from tildeling.core.diagnostics import Diagnostic, make, suggest
from tildeling.core.errors import CaseError
from tildeling.files.kind import CASE, SKIPPED, file_kind
from tildeling.files.plaincase import plain_case_model
from tildeling.files.yamlload import YamlDocument, YamlLoadError, load_yaml_file
from tildeling.core.source import SourceSpan
from tildeling.i18n.diagnostic_messages import Phrase, keyed, phrase, render
from tildeling.language.history import History
from tildeling.language.partial import ONE_OF, RESTRICTED, is_one_of
from tildeling.language.types import Kind
from tildeling.rules.vocabulary import Vocabulary

if TYPE_CHECKING:
    from tildeling.files.model import AppealFile, CaseFile


@dataclass(frozen=True, slots=True)
class AppliedFor:
    """One service applied for. The short form (a service id) has ``parts``, ``amount`` and
    ``form`` all None: the whole service, nothing more said."""

    service: str
    parts: tuple[str, ...] | None = None
    amount: float | None = None
    form: str | None = None
    index: int = 0  # position in ``applied_for`` (for diagnostics)

    @property
    def short(self) -> bool:
        return self.parts is None and self.amount is None and self.form is None


@dataclass
class Case:
    """A case read from its file: the file model, its facts by path and the parsed document."""

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
    def former_municipality(self) -> str | None:
        """The applicant's municipality before a merger, when the case says (``harmonise``)."""
        return self.model.former_municipality

    @property
    def application_date(self) -> _dt.date:
        return self.model.application_date

    @property
    def decision_date(self) -> _dt.date | None:
        return self.model.decision_date

    def judged_date(self, judged_on: str = "application_date") -> _dt.date:
        """The date the case is judged on under a rule set's ``judged_on``: the decision
        date when that is asked for and the case has one, else the application date."""
        if judged_on == "decision_date" and self.model.decision_date is not None:
            return self.model.decision_date
        return self.model.application_date

    @property
    def applied_for(self) -> list[str]:
        """The ids of the services applied for (a service applied for in two forms: twice)."""
        return [a if isinstance(a, str) else a.service for a in self.model.applied_for]

    @property
    def applications(self) -> tuple[AppliedFor, ...]:
        """What is applied for, per service (the long form of ``applied_for``)."""
        out = []
        for i, a in enumerate(self.model.applied_for):
            if isinstance(a, str):
                out.append(AppliedFor(a, index=i))
            else:
                out.append(AppliedFor(a.service, tuple(a.parts) if a.parts is not None else None,
                                      a.amount, a.form, i))
        return tuple(out)

    @property
    def plain(self) -> bool:
        """True when every service is applied for in the short form (the fast path)."""
        return all(isinstance(a, str) for a in self.model.applied_for)

    @property
    def has_expectations(self) -> bool:
        return bool(self.model.expect or self.model.expect_by_rule_set)

    @property
    def appeal(self) -> AppealFile | None:
        """The appeal the case carries (``klage:``), or None."""
        return self.model.klage


class SkippedInput(Exception):
    """A file that is plainly not a case but belongs beside cases (a service map): ``test``,
    ``evaluate`` and ``diff`` skip it, name it and count it as «hoppet over», never as failed."""

    def __init__(self, file: str, kind: Phrase):
        super().__init__(file)
        self.file = file
        self.kind = kind

    def text(self, lang: str = "nb") -> str:
        return render("input.skipped", lang, {"kind": self.kind})


def load_case(path: str | Path, *, display: str | None = None, doc: YamlDocument | None = None) -> Case:
    """Load one case file (or take its parsed ``doc``). Raises :class:`CaseError` with every
    structural problem; a file that is plainly something else (a rule set) is one error."""
    name = display or str(path)
    if doc is None:
        try:
            doc = load_yaml_file(path, name)
        except YamlLoadError as exc:
            raise CaseError(keyed("error.invalid_case", name=name), [hide_values(exc.diagnostic)]) from None
    kind = file_kind(doc.data)
    if doc.data is None:
        raise CaseError(keyed("error.invalid_case", name=name),
                        [make("empty-file", "error", "filekind.empty_file", SourceSpan(name, 1, 1, 1, 1))])
    if kind.kind in SKIPPED:
        raise SkippedInput(name, kind.name())
    if kind.known and kind.kind != CASE:
        raise CaseError(keyed("error.not_a_case", name=name),
                        [make("not-a-case", "error", "filekind.not_a_case", SourceSpan(name, 1, 1, 1, 1),
                              kind=kind.name(), hint_key="filekind.not_a_case.hint")])
    model = plain_case_model(doc.data)  # a plain file: the same model, without pydantic (cold start)
    if model is not None:
        return case_from_model(model, doc, name)
    from tildeling.files.model import CaseFile  # pydantic: only for a case that is not plain
    from tildeling.files.modelcheck import validate_document

    model, diags = validate_document(doc, CaseFile)
    if model is None:
        raise CaseError(keyed("error.invalid_case", name=name), sorted(map(hide_values, diags), key=Diagnostic.sort_key))
    return case_from_model(model, doc, name)


def case_from_model(model: CaseFile, doc: YamlDocument, name: str) -> Case:
    """The case of a validated file model: the checks the model cannot make (dates in
    order, a service twice, amounts, the appeal's dates), facts flattened to paths. Raises
    :class:`CaseError`. (:func:`load_case` and the record readers of
    :mod:`tildeling.corpus` share it.)"""
    facts: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    for group, values in model.facts.items():
        if not isinstance(values, dict):
            problems.append(make("wrong-type", "error", "case.facts_group_type", doc.span_for(("facts", str(group))),
                                 group=str(group)))
            continue
        for key, value in values.items():
            facts[f"{group}.{key}"] = value
    if model.decision_date is not None and model.decision_date < model.application_date:
        problems.append(make("invalid-date", "error", "case.decision_before_application",
                             doc.span_for(("decision_date",))))
    forms_seen: dict[str, list[str | None]] = {}
    for i, s in enumerate(model.applied_for):
        sid, form = (s, None) if isinstance(s, str) else (s.service, s.form)
        before = forms_seen.setdefault(sid, [])
        # Twice only in two different forms: two decisions. Otherwise one service, one decision.
        if before and (form is None or None in before or form in before):
            if isinstance(s, str) and all(isinstance(x, str) for x in model.applied_for):
                problems.append(make("duplicate-id", "error", "case.service_twice", doc.span_for(("applied_for", i)),
                                     service=sid))
            else:
                problems.append(make("duplicate-application", "error", "case.application_twice",
                                     doc.span_for(("applied_for", i)), hint_key="case.application_twice.hint",
                                     service=sid))
        before.append(form)
    problems += _amount_problems(model, doc)
    problems += _appeal_date_problems(model, doc)
    if problems:
        raise CaseError(keyed("error.invalid_case", name=name), problems)
    facts["søknad.dato"] = model.application_date
    case = Case(model, name, doc, facts)
    facts[APPLIED_SERVICES] = tuple(dict.fromkeys(case.applied_for))
    return case


APPLIED_SERVICES = "søknad.tjenester"  # case-wide: the ids of the services applied for (always known)


def check_facts(case: Case, vocabulary: Vocabulary, on: _dt.date | None = None) -> list[Diagnostic]:
    """Every fact must be in the vocabulary and fit its type and domain; so must the age
    derived from the birth date on the assessment date ``on`` (default: the application date)."""
    diags = _derived_age_problems(case, vocabulary, on or case.application_date)
    fitting = _fitting(vocabulary)
    for path, value in case.facts.items():
        cls = value.__class__
        if cls in _SCALARS and (path, cls, value) in fitting:
            continue  # this very value of this fact was checked before and fits
        group, _, key = path.partition(".")
        if path not in vocabulary.facts:
            if path in ("søknad.dato", APPLIED_SERVICES):
                continue
            found = suggest(path, vocabulary.facts.keys())
            diags.append(make("unknown-fact", "error", "case.unknown_fact",
                              case.doc.span_for(("facts", group, key), key=True),
                              hint_key=phrase("hint.did_you_mean", name=found[0]) if found else None, path=path))
            continue
        if vocabulary.facts[path].type.history and isinstance(value, list):
            diags += _history_problems(case, vocabulary, path, value)
            continue
        if is_one_of(value):
            diags += _one_of_problems(case, vocabulary, path, value)
            continue
        problem = vocabulary.value_problem(path, value)
        if problem is not None:  # located only now: most facts have no problem
            diags.append(hide_values(make("fact-value", "error", "case.fact_problem",
                                          case.doc.span_for(("facts", group, key)), path=path, problem=problem)))
        elif cls in _SCALARS and len(fitting) < _FITTING_KEPT:
            fitting.add((path, cls, value))
    return diags


# Plain values a fact's check depends on only by (fact, type, value): a value that fitted once
# fits again (yes/no, IPLOS scores, texts from a list recur in every case of a corpus).
_SCALARS = frozenset({bool, int, float, str})
_FITTING_KEPT = 200_000
_FITTING: dict[int, tuple[Vocabulary, set]] = {}


def _fitting(vocabulary: Vocabulary) -> set:
    """The (fact, type, value) triples found to fit ``vocabulary`` so far."""
    hit = _FITTING.get(id(vocabulary))
    if hit is None or hit[0] is not vocabulary:
        if len(_FITTING) > 64:
            _FITTING.clear()
        hit = _FITTING[id(vocabulary)] = (vocabulary, set())
    return hit[1]


def _one_of_problems(case: Case, vocabulary: Vocabulary, path: str, value: dict) -> list[Diagnostic]:
    """A fact known to be one of several values (``{en_av: [lett, moderat]}``): a single value
    fact (not a list, not derived), at least two different values, each fitting the fact;
    each problem is located at the value (or the key) it concerns."""
    group, _, key = path.partition(".")
    at = ("facts", group, key)
    info = vocabulary.facts[path]
    values = value.get(ONE_OF)
    if info.type.kind is Kind.LIST or info.derived:
        return [make("fact-value", "error", "case.fact_problem", case.doc.span_for(at + (ONE_OF,), key=True),
                     path=path, problem=Phrase("fact.one_of_not_allowed"))]
    if (len(value) != 1 or not isinstance(values, list) or len(values) < 2
            or len({repr(v) for v in values}) != len(values)):
        return [make("fact-value", "error", "case.fact_problem", case.doc.span_for(at + (ONE_OF,)) or
                     case.doc.span_for(at), path=path, problem=Phrase("fact.one_of_form"))]
    out = []
    for i, v in enumerate(values):
        problem = vocabulary.value_problem(path, v)
        if problem is not None:
            out.append(hide_values(make("fact-value", "error", "case.fact_problem",
                                        case.doc.span_for(at + (ONE_OF, i)), path=path, problem=problem)))
    return out


def _history_problems(case: Case, vocabulary: Vocabulary, path: str, entries: list) -> list[Diagnostic]:
    """One located diagnostic per bad entry of a history (``tjenester.forsøkt`` …), at the
    entry or at its key, with «mente du …?» for a misspelt service, result or key."""
    group, _, key = path.partition(".")
    out = []
    for i, entry in enumerate(entries):
        found = vocabulary.history_entry_problem(path, entry)
        if found is None:
            continue
        problem, hint, where = found
        at = ("facts", group, key, i) + ((where,) if where is not None and isinstance(entry, dict)
                                         and where in entry else ())
        span = case.doc.span_for(at) or case.doc.span_for(("facts", group, key))
        out.append(hide_values(make("fact-value", "error", "case.fact_problem", span, hint_key=hint, path=path,
                                    problem=problem)))
    return out


_HIDDEN = "…"  # the same in every language; catalogue templates put «» around it where they quote


def hide_values(d: Diagnostic) -> Diagnostic:
    """``d`` with every ``value`` argument of its message, at any depth, shown as «…»: the
    message of a case diagnostic names the fact and the problem, never the case's value.

    >>> d = make("invalid-date", "error", "yaml.invalid_value", None, value="1950-02-30", detail="x")
    >>> hide_values(d).message
    'Ugyldig verdi «…» (x).'
    """
    if d.key is None:
        return d
    args = _hidden(d.args)
    if args == d.args:
        return d
    return replace(d, args=args, message=render(d.key, "nb", args))


def _hidden(pairs: tuple) -> tuple:
    out = []
    for k, v in pairs:
        if k == "value":
            v = _HIDDEN
        elif isinstance(v, Phrase):
            v = Phrase(v.key, _hidden(v.args))
        out.append((k, v))
    return tuple(out)
def check_services(case: Case, known: Iterable[str]) -> list[Diagnostic]:
    """Every service applied for must be one the rule sets know (``unknown-service``, with
    «mente du …?»). ``known``: the services of the rule sets the case may be judged by
    (:meth:`tildeling.engine.Engine.service_problems` says which)."""
    names = sorted(set(known))
    diags = []
    appeal = case.appeal
    if appeal is not None and appeal.vedtak.tjeneste not in names:
        found = suggest(appeal.vedtak.tjeneste, names)
        hint = (phrase("hint.did_you_mean", name=found[0]) if found
                else phrase("case.known_services", services=", ".join(names)))
        diags.append(make("unknown-service", "error", "case.appeal_unknown_service",
                          case.doc.span_for(("klage", "vedtak", "tjeneste")), hint_key=hint,
                          service=appeal.vedtak.tjeneste))
    for i, service in enumerate(case.applied_for):
        if service in names:
            continue
        found = suggest(service, names)
        hint = (phrase("hint.did_you_mean", name=found[0]) if found
                else phrase("case.known_services", services=", ".join(names)))
        diags.append(make("unknown-service", "error", "case.unknown_service",
                          case.doc.span_for(("applied_for", i)), hint_key=hint, service=service))
    return diags


MAX_AMOUNT = 10_000  # an amount applied for above this is a slip of the pen, whatever the unit


def declared(services: dict[str, Any], into: tuple[dict, dict] | None = None) -> tuple[dict, dict]:
    """The parts and forms each service declares: ``({service: {part, …}}, {service: {form, …}})``,
    added to ``into`` when given (the union over several rule sets)."""
    parts, forms = into if into is not None else ({}, {})
    for sid, service in services.items():
        parts.setdefault(sid, set()).update(p.id for p in service.parts)
        forms.setdefault(sid, set()).update(service.forms)
    return parts, forms


def check_applications(case: Case, known: tuple[dict, dict]) -> list[Diagnostic]:
    """The long form of ``applied_for`` against the parts and forms the rule sets declare
    (``known``, from :func:`declared`): each part must be one the service declares
    (``unknown-part``, «mente du …?»), the form one of its forms (``unknown-form``). A
    service no rule set describes is checked elsewhere (``unknown-service``)."""
    parts_of, forms_of = known
    diags = []
    for app in case.applications:
        if app.short or app.service not in parts_of:
            continue
        at = ("applied_for", app.index)
        names = sorted(parts_of[app.service])
        for j, part in enumerate(app.parts or ()):
            if part in names:
                continue
            found = suggest(part, names)
            hint = (phrase("hint.did_you_mean", name=found[0]) if found
                    else phrase("case.known_parts", parts=", ".join(names)) if names
                    else Phrase("case.no_parts"))
            diags.append(make("unknown-part", "error", "case.unknown_part", case.doc.span_for(at + ("parts", j)),
                              hint_key=hint, service=app.service, part=part))
        forms = sorted(forms_of[app.service])
        if app.form is not None and app.form not in forms:
            found = suggest(app.form, forms)
            hint = (phrase("hint.did_you_mean", name=found[0]) if found
                    else phrase("case.known_forms", forms=", ".join(forms)) if forms else Phrase("case.no_forms"))
            diags.append(make("unknown-form", "error", "case.unknown_form", case.doc.span_for(at + ("form",)),
                              hint_key=hint, service=app.service, form=app.form))
    return diags


def _amount_problems(model: CaseFile, doc: YamlDocument) -> list[Diagnostic]:
    out = []
    for i, a in enumerate(model.applied_for):
        if not isinstance(a, str) and a.amount is not None and not 0 < a.amount <= MAX_AMOUNT:
            out.append(make("amount-out-of-range", "error", "case.amount_out_of_range",
                            doc.span_for(("applied_for", i, "amount")), service=a.service, max=MAX_AMOUNT))
    return out


def _appeal_date_problems(model: CaseFile, doc: YamlDocument) -> list[Diagnostic]:
    """The dates of an appeal in the order they can happen: the decision, then its arrival
    and the appeal (``appeal-before-decision``), an appeal received no earlier than it was sent
    (``appeal-date-order``)."""
    appeal = model.klage
    if appeal is None:
        return []
    decided = appeal.vedtak.vedtaksdato
    out = []
    for key in ("sendt", "mottatt_av_kommunen"):
        day = getattr(appeal, key)
        if day is not None and day < decided:
            out.append(make("appeal-before-decision", "error", "case.appeal_before_decision",
                            doc.span_for(("klage", key)), hint_key="case.appeal_before_decision.hint",
                            field=f"klage.{key}"))
    if appeal.vedtak.mottatt is not None and appeal.vedtak.mottatt < decided:
        out.append(make("appeal-date-order", "error", "case.appeal_date_order",
                        doc.span_for(("klage", "vedtak", "mottatt")), field="klage.vedtak.mottatt",
                        before="klage.vedtak.vedtaksdato"))
    if (appeal.sendt is not None and appeal.mottatt_av_kommunen is not None and decided <= appeal.sendt
            and appeal.mottatt_av_kommunen < appeal.sendt):
        out.append(make("appeal-date-order", "error", "case.appeal_date_order",
                        doc.span_for(("klage", "mottatt_av_kommunen")), field="klage.mottatt_av_kommunen",
                        before="klage.sendt"))
    return out


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
    restricted: dict[str, tuple] = {}
    for path, value in case.facts.items():
        cls = value.__class__
        if cls is bool or cls is int or cls is float:  # most facts: as they are
            env[path] = value
            continue
        if is_one_of(value):  # known to be one of several values: not in env (see language/partial.py)
            restricted[path] = tuple(str(v) if isinstance(v, str) else v for v in value[ONE_OF])
            continue
        if isinstance(value, list):
            info = vocabulary.facts.get(path)
            if info is not None and info.type.history:
                value = History.from_entries(value)
            else:
                value = tuple(value)
        elif isinstance(value, str):
            value = str(value)
        env[path] = value
    age = _derived_age(env, on or case.application_date)
    if age is not None:
        env["søker.alder"] = age
    if restricted:
        env[RESTRICTED] = restricted
    return env
