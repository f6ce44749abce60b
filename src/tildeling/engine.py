"""The engine as the CLI, the test runner and other programs use it: find rule sets,
resolve a case to one, compile it once (cached), evaluate and explain.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any
from pathlib import Path

from tildeling.core.diagnostics import Diagnostic, make
from tildeling.core.errors import CaseError, RuleSetError, TildelingError, UsageError
from tildeling.core.numbers import NUMBER_LIMIT_TEXT, computable
from tildeling.evaluation.compiler import CompiledRuleSet, compile_ruleset
from tildeling.evaluation.parts import decide_applications
from tildeling.evaluation.trace import Tracer
from tildeling.evaluation.walker import decide, environment
from tildeling.explain.explanation import explain_case
from tildeling.files.discover import InputFailure
from tildeling.files.yamlload import YamlDocument
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.files.outcome import CaseOutcome
from tildeling.i18n.messages import msg
from tildeling.rules.cases import Case, check_applications, check_facts, declared, check_services, load_case, runtime_facts
from tildeling.rules.resolve import CatalogEntry, catalog, no_rule_set, resolve, rule_sets_for, rules_dir
from tildeling.rules.cache import Lookup
from tildeling.rules.ruleset import load_ruleset


class Engine:
    """Finds the rule sets in a directory (default: ``$TILDELING_RULES``, ``./rules`` or the
    packaged ones), resolves each case to the rule set in force for its municipality and
    date, and compiles each rule set once.

    >>> from tildeling import load_case
    >>> engine = Engine("rules")
    >>> outcome = engine.evaluate(load_case("cases/drammen/dr-060.yaml"))  # Drammen, 2020-02-17
    >>> outcome.rule_set.id, outcome.rule_set.version, outcome.decisions[0].outcome
    ('drammen', '2020.1', 'innvilget')
    >>> engine.by_id("drammen").version  # the latest version, when no date is given
    '2021.1'
    """

    def __init__(self, directory: str | Path | None = None) -> None:
        self._dir_option = str(directory) if directory else None
        self._dir: Path | None = None
        self._catalog: list[CatalogEntry] | None = None
        self._compiled: dict[str, CompiledRuleSet] = {}
        self._broken: dict[str, BrokenRuleSet] = {}
        self._keys: dict[str, str] = {}  # path as given → resolved (resolving costs a syscall per part)

    @property
    def directory(self) -> Path:
        if self._dir is None:
            self._dir = rules_dir(self._dir_option)
        return self._dir

    def catalog(self) -> list[CatalogEntry]:
        if self._catalog is None:
            self._catalog = catalog(self.directory)
        return self._catalog

    def compiled(self, path: str | Path) -> CompiledRuleSet:
        """Load, check and compile a rule set file once per process. An invalid one raises
        :class:`BrokenRuleSet` — also on every later call, without reading it again."""
        key = self._keys.get(str(path)) or self._keys.setdefault(str(path), str(Path(path).resolve()))
        if key in self._broken:
            raise self._broken[key].again()
        if key not in self._compiled:
            display = _display(Path(path))
            try:
                self._compiled[key] = _compile_cached(path, display)
            except RuleSetError as exc:
                self._broken[key] = BrokenRuleSet(display, exc.message, exc.diagnostics)
                raise self._broken[key].again() from None
        return self._compiled[key]

    def broken(self) -> list["BrokenRuleSet"]:
        """The invalid rule sets met so far, by path: each is reported once, with its errors."""
        return sorted(self._broken.values(), key=lambda b: b.path)

    def read_case(self, path: str | Path, *, display: str | None = None, doc: YamlDocument | None = None) -> Case:
        """:func:`load_case`, and the expectations must name rule sets that exist."""
        case = load_case(path, display=display, doc=doc)
        self.check_expectations(case)
        return case

    def check_expectations(self, case: Case) -> None:
        """Raise :class:`CaseError` when :meth:`expectation_problems` finds any."""
        problems = self.expectation_problems(case)
        if problems:
            raise CaseError(keyed("error.invalid_case", name=case.path), problems)

    def expectation_problems(self, case: Case) -> list[Diagnostic]:
        """``expect_by_rule_set`` ids that name no rule set."""
        return [make("unknown-rule-set", "error", "cli.unknown_rule_set",
                     case.doc.span_for(("expect_by_rule_set", rid), key=True), id=rid)
                for rid in (case.model.expect_by_rule_set or {}) if self.by_id(str(rid)) is None]

    def by_id(self, rule_set_id: str, on: _dt.date | None = None) -> CatalogEntry | None:
        """A rule set by id: the version in force ``on``, else the latest version."""
        versions = [e for e in self.catalog() if e.id == rule_set_id]
        if not versions:
            return None
        if on is not None:
            current = [e for e in versions if e.in_force(on)]
            if current:
                return current[-1]
        return max(versions, key=lambda e: e.valid_from)

    def choose(self, case: Case, *, as_of: _dt.date | None = None, rules: str | Path | None = None,
               rule_set_id: str | None = None, lang: str = "nb",
               check_services: bool = True) -> tuple[CompiledRuleSet, list[str]]:
        """The compiled rule set a case is judged by, with any resolution warnings.

        Raises :class:`CaseError` when no rule set covers the case's municipality («mente du
        …?»), and — unless ``check_services`` is false — when it applies for a service no
        rule set it may be judged by knows (:meth:`service_problems`)."""
        crs, warnings = self._choose(case, as_of=as_of, rules=rules, rule_set_id=rule_set_id, lang=lang)
        if check_services:
            problems = self.service_problems(case, crs)
            if problems:
                raise CaseError(keyed("error.invalid_case", name=case.path), problems)
        return crs, warnings

    def _choose(self, case: Case, *, as_of: _dt.date | None, rules: str | Path | None,
                rule_set_id: str | None, lang: str) -> tuple[CompiledRuleSet, list[str]]:
        crs, warnings = self._choose_on(case, as_of or case.application_date, rules, rule_set_id, lang)
        # A rule set judging on the decision date is chosen again on that date (once: the
        # rule set in force then is the one the case is judged by).
        if as_of is None and case.decision_date is not None and crs.ruleset.meta.judged_on == "decision_date":
            crs, warnings = self._choose_on(case, case.decision_date, rules, rule_set_id, lang)
        return crs, warnings

    def _choose_on(self, case: Case, on: _dt.date, rules: str | Path | None,
                   rule_set_id: str | None, lang: str) -> tuple[CompiledRuleSet, list[str]]:
        if rules is not None:
            p = Path(rules)
            if not p.is_file():
                raise UsageError(keyed("error.rule_set_not_found", path=str(rules)))
            return self.compiled(p), []
        if rule_set_id is not None:
            entry = self.by_id(rule_set_id, on)
            if entry is None:
                raise UsageError(keyed("error.rule_set_id_not_found", id=rule_set_id, dir=str(self.directory)))
            return self.compiled(entry.path), []
        res = resolve(self.catalog(), case.municipality, on)
        if res is None:
            raise CaseError(keyed("error.unknown_municipality", name=case.path),
                            [no_rule_set(case.municipality, case.doc.span_for(("municipality",)),
                                         [e.municipality for e in self.catalog()])])
        warnings = []
        if res.warning:
            warnings.append(msg("warning.no_rule_set_in_force", lang, municipality=case.municipality,
                                date=on.isoformat(), rule_set=f"{res.entry.id} {res.entry.version}",
                                valid=res.entry.validity()))
        return self.compiled(res.entry.path), warnings

    def service_problems(self, case: Case, crs: CompiledRuleSet) -> list[Diagnostic]:
        """``unknown-service`` («mente du …?») for each service applied for that no rule set of
        the case's municipality describes — its own and those that supersede them, on any date
        — nor ``crs``; every rule set's services count when none covers the municipality.

        A service one of them describes is no error where another lacks it (a harmonised set
        that dropped a service, a legacy set in a diff): that decision is «not described»."""
        known = set(crs.ruleset.services)
        appealed = [case.appeal.vedtak.tjeneste] if case.appeal is not None else []
        if all(s in known for s in case.applied_for + appealed):
            return self.application_problems(case, crs)
        for e in rule_sets_for(self.catalog(), case.municipality) or self.catalog():
            known.update(e.services)
        return check_services(case, known) + self.application_problems(case, crs)

    def application_problems(self, case: Case, crs: CompiledRuleSet) -> list[Diagnostic]:
        """``unknown-part`` and ``unknown-form`` for the long form of ``applied_for``: as with
        services, a part or form one of the municipality's rule sets declares is no error where
        ``crs`` lacks it (in a diff against a legacy set that does not split the service)."""
        if case.plain:
            return []
        problems = check_applications(case, declared(crs.ruleset.services))
        if not problems:
            return []
        union = declared(crs.ruleset.services)
        for e in rule_sets_for(self.catalog(), case.municipality):
            try:
                declared(self.compiled(e.path).ruleset.services, union)
            except RuleSetError:
                continue
        return check_applications(case, union)

    def evaluate(self, case: Case, *, as_of: _dt.date | None = None, rules: str | Path | None = None,
                 rule_set_id: str | None = None, lang: str | None = None, explain: bool = False) -> CaseOutcome:
        """Evaluate every service the case applies for, under the rule set ``rules`` (a file),
        ``rule_set_id`` (the version in force on the date) or, by default, the one the case
        resolves to. ``lang`` defaults to the rule set's language; ``explain`` records the trace."""
        crs, warnings = self.choose(case, as_of=as_of, rules=rules, rule_set_id=rule_set_id, lang=lang or "nb")
        return evaluate_with(crs, case, as_of=as_of, lang=lang, explain=explain, warnings=warnings)


def evaluate_with(crs: CompiledRuleSet, case: Case, *, as_of: _dt.date | None = None, lang: str | None = None,
                  explain: bool = False, warnings: list[str] | None = None,
                  parameters_on: _dt.date | None = None) -> CaseOutcome:
    """Evaluate ``case`` under the compiled rule set ``crs`` (as of ``as_of``, default the
    application date); raises :class:`CaseError` when its facts do not fit the vocabulary.

    ``parameters_on``: take the rule set's parameters as they were on that date instead (a
    harmonisation report judging a case dated outside the set's validity takes them on the
    nearest date inside it); ages, facts, law numbering and the outcome's date stay on the
    case's date."""
    rs = crs.ruleset
    env, on = case_environment(crs, case, as_of, parameters_on)
    tracer = Tracer() if explain else None
    try:
        if case.plain and not crs.implied.intersection(case.applied_for):  # the short form: the fast path
            raws = decide(crs, env, case.applied_for, tracer)
        else:
            raws = decide_applications(crs, env, case.applications, tracer)
    except ArithmeticError:  # e.g. a product of large numbers beyond float range
        raws = None
    if raws is None or not all(computable(r.amount) and computable(r.score) for r in raws):
        raise CaseError(keyed("error.invalid_facts", name=case.path),
                        [make("number-out-of-range", "error", "number.computed_out_of_range",
                              case.doc.span_for(("facts",)), limit=NUMBER_LIMIT_TEXT)])
    outcome = explain_case(crs, case.id, raws, env, on, lang or rs.language, warnings=warnings or (),
                           tracer=tracer, application_date=case.application_date, decision_date=case.decision_date)
    if case.appeal is not None:
        from tildeling.explain.appeal import review_appeal  # only for an appeal (cold start)

        outcome.appeal_review = review_appeal(crs, case.appeal, env, on, outcome.language)
    return outcome


def case_environment(crs: CompiledRuleSet, case: Case, as_of: _dt.date | None = None,
                     parameters_on: _dt.date | None = None) -> tuple[dict[str, Any], _dt.date]:
    """The fact environment ``case`` is decided in under ``crs`` (its checked facts, what they
    derive, and the parameters in force — on ``parameters_on`` when given) and the date it is
    judged on; raises :class:`CaseError` when its facts do not fit the vocabulary."""
    rs = crs.ruleset
    on = judged_date(crs, case, as_of)
    problems = check_facts(case, rs.vocabulary, on)
    if problems:
        raise CaseError(keyed("error.invalid_facts", name=case.path), problems)
    facts = runtime_facts(case, rs.vocabulary, on)
    if parameters_on is None or parameters_on == on:
        return environment(crs, facts, on), on
    return environment(crs, facts, parameters_on), on  # only the parameter.* values move


def judged_date(crs: CompiledRuleSet, case: Case, as_of: _dt.date | None = None) -> _dt.date:
    """The date ``case`` is judged on under ``crs``: ``as_of`` when given, else the date the
    rule set's ``judged_on`` names (the application date unless it says ``decision_date``
    and the case has one). Ages, parameters, citations and the appeal body use it."""
    if as_of is not None:
        return as_of
    on = case.judged_date(crs.ruleset.meta.judged_on)
    decided = case.decision_date
    if decided is not None and on != decided and not crs.ruleset.in_force(on) and crs.ruleset.in_force(decided):
        return decided  # chosen on the decision date by the rule set in force when applied for
    return on


class BrokenRuleSet(RuleSetError):
    """A rule set that cannot be used: the cases judged by it fail, the others go on."""

    def __init__(self, path: str, message: str, diagnostics: list[Diagnostic] | None = None):
        super().__init__(message, diagnostics)
        self.path = path

    def again(self) -> "BrokenRuleSet":
        return BrokenRuleSet(self.path, self.message, self.diagnostics)


def input_failure(name: str, exc: Exception) -> InputFailure:
    """What went wrong with the input ``name``, as a record for the error section.

    A case judged by an invalid rule set names that rule set (its own errors are listed
    once, see :meth:`Engine.broken`); any other exception is an internal error, named by its
    type only, since its text may hold the case's values."""
    if isinstance(exc, BrokenRuleSet):
        return InputFailure(name, (make("rule-set-invalid", "error", "case.rule_set_invalid", None,
                                        rule_set=exc.path),))
    if isinstance(exc, TildelingError) and exc.diagnostics:
        return InputFailure(name, tuple(exc.diagnostics))
    if isinstance(exc, TildelingError):
        return InputFailure(name, (Diagnostic("invalid-input", "error", exc.message, None),))
    # The traceback goes to the debug log only (shown by `tildeling --debug`): it may quote values.
    import logging  # only here (cold start)

    logging.getLogger("tildeling").debug("internal error while working on %s", name, exc_info=exc)
    return InputFailure(name, (make("internal-error", "error", "input.internal_error", None,
                                    error=type(exc).__name__),))


def _compile_cached(path: str | Path, display: str) -> CompiledRuleSet:
    """Load, check and compile a rule-set file, through the rule-set cache
    (:mod:`tildeling.rules.cache`): a rule set found there compiled before, so its
    services are compiled only as cases need them; one read from its file is stored once it
    has compiled (so a rule set the compiler refuses is refused again next time)."""
    found = Lookup(path, display)
    if found.ruleset is not None:
        return compile_ruleset(found.ruleset, lazy=True)
    crs = compile_ruleset(load_ruleset(path, display=display))
    found.store(crs.ruleset)
    return crs


def _display(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


__all__ = ["Engine", "evaluate_with", "case_environment", "RuleSetError", "CaseError", "BrokenRuleSet", "input_failure"]
