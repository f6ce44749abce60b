"""The rule-test runner: cases that carry ``expect:`` are tests of the rule sets.

One runner serves ``tildeling test`` and pytest (see :mod:`tildeling.ruletest.pytest_plugin`).
Each (case, rule set) pair is one test; a broken input — a case file that cannot be read,
is not a case, does not fit its vocabulary or is judged by an invalid rule set — is a failed
test that names the file and the problem (never the case's values), and the rest still run.
Every input is counted once, as done or failed (``report.tally``). With coverage, every rule set reports the branches, outcomes
and staircase steps that no case reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from tildeling.core.errors import CaseError, RuleSetError
from tildeling.corpus.read import from_corpus, load_source
from tildeling.corpus.source import Source
from tildeling.engine import Engine, evaluate_with, input_failure
from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.files.discover import Found, InputFailure, Tally, name_of
from tildeling.files.model import AppealExpectation, Expectation
from tildeling.files.outcome import AppealReview, Decision
from tildeling.i18n.messages import msg, msg_n
from tildeling.reports.inputs import error_section, failure_text, skipped_text, tally_line
from tildeling.rules.cases import Case, SkippedInput, check_facts


@dataclass
class Failure:
    file: str
    rule_set: str
    service: str | None
    message: str
    why: str | None = None
    deviation: bool = False  # part of a known deviation (the case's ``known_deviation``), not a failure


@dataclass
class Coverage:
    """Per compiled rule set: rule ids taken, outcomes and steps reached per service."""

    rules: set[str] = field(default_factory=set)
    outcomes: set[tuple[str, str]] = field(default_factory=set)
    steps: set[int] = field(default_factory=set)


@dataclass
class Report:
    passed: int = 0
    failed: int = 0
    cases: int = 0
    failures: list[Failure] = field(default_factory=list)
    notes: list[Failure] = field(default_factory=list)  # not failures: own-initiative decisions not in expect
    passes: list[str] = field(default_factory=list)
    deviations: list[Failure] = field(default_factory=list)  # known deviations that still deviate
    deviating: int = 0
    untested: int = 0  # cases read and checked that carry no expectations (nothing tested)
    coverage: dict[str, tuple[CompiledRuleSet, Coverage]] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)
    skipped: list[SkippedInput] = field(default_factory=list)  # not cases (a service map): counted, named

    def broken_input(self, f: InputFailure, lang: str = "nb") -> None:
        """An input that could not be tested: a failed test, and a failed input."""
        self.failed += 1
        self.tally.failed += 1
        self.failures.append(Failure(f.file, "-", None, msg("test.bad_case", lang) + "\n" + failure_text(f, lang)))


@dataclass(frozen=True)
class TestItem:
    """One (case, rule set) pair to check."""

    case: Case
    rule_set_id: str | None  # None: the rule set the case resolves to
    expectations: dict[str, Expectation]
    appeal: AppealExpectation | None = None  # expect: {klage: …}


def items_of(case: Case) -> list[TestItem]:
    out = []
    if case.model.expect:
        out.append(TestItem(case, None, case.model.expect.services, case.model.expect.klage))
    for rid, exp in (case.model.expect_by_rule_set or {}).items():
        out.append(TestItem(case, str(rid), exp.services, exp.klage))
    return out


def check_item(engine: Engine, item: TestItem, report: Report | None = None, lang: str = "nb") -> list[Failure]:
    """Evaluate one item and compare with its expectations; returns the failures."""
    case = item.case
    crs, _ = engine.choose(case, rule_set_id=item.rule_set_id)
    label = f"{crs.ruleset.id} {crs.ruleset.version}"
    outcome = evaluate_with(crs, case, explain=True, lang=None)  # the trace feeds coverage
    d: Decision | None  # None below: a service the case does not apply for
    if report is not None:
        key = f"{crs.ruleset.path}"
        cov = report.coverage.setdefault(key, (crs, Coverage()))[1]
        for e in outcome.trace or ():
            if e.kind == "leaf" or (e.kind == "test" and e.value is True):
                cov.rules.add(e.rule)
        for d in outcome.decisions:
            cov.outcomes.add((d.service, d.outcome))
            if d.step is not None and d.outcome != "uavklart":
                cov.steps.add(d.step)
    failures = []
    by_service: dict[str, Decision] = {}
    for d in outcome.decisions:
        by_service.setdefault(d.service, d)
        if d.applied is not None and d.applied.form is not None:  # «tjeneste/form»: one form's decision
            by_service[f"{d.service}/{d.applied.form}"] = d
    for service, exp in item.expectations.items():
        d = by_service.get(service)
        if d is None:
            # A service not applied for is expected to be decided on the municipality's own initiative.
            absent = "test.not_applied" if service in case.applied_for else "test.no_own_initiative"
            failures.append(Failure(case.path, label, service, msg(absent, lang), exp.why))
            continue
        problems = compare(exp, d, lang)
        for p in problems:
            failures.append(Failure(case.path, label, service, p, exp.why))
    if item.appeal is not None:
        if outcome.appeal_review is None:
            failures.append(Failure(case.path, label, "klage", msg("test.no_appeal", lang), item.appeal.why))
        else:
            for p in compare_appeal(item.appeal, outcome.appeal_review, lang):
                failures.append(Failure(case.path, label, "klage", p, item.appeal.why))
    if report is not None:
        # An own-initiative decision the case does not expect is no failure (the law may call for
        # it where the case's author did not think of it), but the report says so.
        for d in outcome.decisions:
            if d.initiative == "kommunen" and d.service not in item.expectations:
                report.notes.append(Failure(case.path, label, d.service, msg(
                    "test.unexpected_own_initiative", lang, outcome=msg("outcome." + d.outcome, lang))))
    return failures


def compare(exp: Expectation, d: Decision, lang: str = "nb") -> list[str]:
    """What differs between an expectation and a decision, in the user's language."""
    problems = []
    got_rule = d.reasons[0].rule if d.reasons else "-"
    if d.outcome != exp.outcome:
        missing = msg("test.outcome_missing", lang, facts=", ".join(d.missing)) if d.missing else ""
        problems.append(msg("test.outcome", lang, expected=exp.outcome, got=d.outcome, rule=got_rule,
                            missing=missing))
    if (exp.step is not None or "step" in exp.model_fields_set) and d.step != exp.step:
        # ``step: null`` written out: the decision must be outside the staircase
        problems.append(msg("test.step", lang, expected=exp.step if exp.step is not None else "-",
                            got=d.step if d.step is not None else "-"))
    seen_rules = {r.rule for r in d.reasons} | set(d.rule_path)
    for rid in exp.reasons:
        if rid not in seen_rules:
            problems.append(msg("test.reason", lang, rule=rid, got=", ".join(sorted(seen_rules)) or "-"))
    if exp.missing is not None and sorted(exp.missing) != sorted(d.missing):
        problems.append(msg("test.missing", lang, expected=sorted(exp.missing), got=sorted(d.missing)))
    if exp.alternatives is not None:
        offered = {a.service for a in d.alternatives}
        lacking = [a for a in exp.alternatives if a not in offered]
        if lacking:
            problems.append(msg("test.alternatives", lang, expected=lacking, got=sorted(offered)))
    if exp.amount is not None:
        got = d.amount.value if d.amount else None
        if got is None or abs(float(got) - exp.amount) > 1e-9:
            problems.append(msg("test.amount", lang, expected=exp.amount, got=got))
    if exp.decided_by is not None and d.decided_by != exp.decided_by:
        problems.append(msg("test.decided_by", lang, expected=exp.decided_by, got=d.decided_by))
    if exp.form is not None and d.form != exp.form:
        problems.append(msg("test.form", lang, expected=exp.form, got=d.form or "-"))
    if exp.applied_amount is not None:
        got_applied = d.applied.amount if d.applied is not None else None
        if got_applied is None or abs(float(got_applied) - exp.applied_amount) > 1e-9:
            problems.append(msg("test.applied_amount", lang, expected=exp.applied_amount, got=got_applied))
    if exp.parts is not None:
        granted = sorted(p.part for p in d.parts if p.outcome in ("innvilget", "delvis_innvilget"))
        refused = sorted(p.part for p in d.parts if p.outcome == "avslag")
        if granted != sorted(exp.parts.granted) or refused != sorted(exp.parts.refused):
            problems.append(msg("test.parts", lang, granted=sorted(exp.parts.granted),
                                refused=sorted(exp.parts.refused), got_granted=granted, got_refused=refused))
    if exp.waiting_list is not None and bool(d.waiting_list) != exp.waiting_list:
        problems.append(msg("test.waiting_list", lang, expected=_yes_no(exp.waiting_list, lang),
                            got=_yes_no(bool(d.waiting_list), lang)))
    if exp.vedtak is not None and d.vedtak != exp.vedtak:
        problems.append(msg("test.vedtak", lang, expected=_yes_no(exp.vedtak, lang), got=_yes_no(d.vedtak, lang)))
    if exp.addressee is not None and d.addressee != exp.addressee:
        problems.append(msg("test.addressee", lang, expected=exp.addressee, got=d.addressee))
    if exp.initiative is not None and d.initiative != exp.initiative:
        problems.append(msg("test.initiative", lang, expected=exp.initiative, got=d.initiative))
    return problems


# expect: {klage: …} key → the review's attribute
_APPEAL_FIELDS = (("rettidig", "timely"), ("frist", "deadline"), ("fristregel", "deadline_rule"),
                  ("dager_for_sent", "days_late"), ("oversittelse", "late"), ("klageinstans", "appeal_body"),
                  ("underinstans", "reviewer"), ("representasjon", "representation"),
                  ("feil_klagefrist_i_vedtaket", "letter_wrong"))


def compare_appeal(exp: AppealExpectation, review: AppealReview, lang: str = "nb") -> list[str]:
    """What differs between the expected and the actual review of the case's appeal; only the
    keys the expectation states are compared."""
    problems = []
    for key, attr in _APPEAL_FIELDS:
        expected = getattr(exp, key)
        if expected is None:
            continue
        got = getattr(review, attr)
        if hasattr(expected, "isoformat"):
            expected = expected.isoformat()
        if expected != got:
            problems.append(msg("test.appeal", lang, what=key, expected=_shown(expected), got=_shown(got)))
    if exp.missing is not None and sorted(exp.missing) != sorted(review.missing):
        problems.append(msg("test.appeal", lang, what="missing", expected=sorted(exp.missing),
                            got=sorted(review.missing)))
    return problems


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "-" if value is None else str(value)


def _yes_no(value: bool, lang: str) -> str:
    return msg("yes" if value else "no", lang)


def run_cases(engine: Engine, files: Sequence[Path] | Found | Iterable[Source | InputFailure],
              lang: str = "nb") -> Report:
    """Run every test the inputs hold; a case without ``expect`` is still checked against the
    rule set it resolves to, so that a broken one is reported too.

    ``files``: case files (a list of paths, or what :func:`discover` found), or the sources of
    a corpus (:func:`tildeling.corpus.read.iter_sources`: YAML files, JSON Lines lines, Parquet
    rows), read one at a time; a broken line or row is one failed input and the rest run."""
    report = Report()
    for item in _sources(files):
        report.tally.records = report.tally.records or from_corpus(item)
        if isinstance(item, InputFailure):
            report.broken_input(item, lang)
        else:
            _run_source(engine, item, report, lang)
    return report


def _sources(files: Sequence[Path] | Found | Iterable[Source | InputFailure]) -> Iterator[Source | InputFailure]:
    if isinstance(files, Found):
        yield from files.failures
        files = files.files
    for f in files:
        if isinstance(f, (Source, InputFailure)):
            yield f
        else:
            yield Source(name_of(Path(f)), "yaml", str(f))


def _run_source(engine: Engine, source: Source, report: Report, lang: str) -> None:
    """Read one source and run the tests it holds, recording everything in ``report``."""
    name = source.name
    try:
        case = load_source(source)
        engine.check_expectations(case)
        items = items_of(case)
        if not items:
            _check_untested(engine, case)
            report.untested += 1  # read and checked, but nothing to test: the report says so
    except SkippedInput as skip:
        report.tally.skipped += 1
        report.skipped.append(skip)
        return
    except Exception as exc:  # noqa: BLE001 - recorded per input; the others go on
        report.broken_input(input_failure(name, exc), lang)
        return
    if items:
        report.cases += 1
    broken = False
    for item in items:
        try:
            failures = check_item(engine, item, report, lang)
        except Exception as exc:  # noqa: BLE001
            broken = True
            failures = [Failure(case.path, item.rule_set_id or "-", None,
                                failure_text(input_failure(case.path, exc), lang))]
        failures = settle_known_deviation(case, item, failures, lang)
        if failures and failures[0].deviation:
            report.deviating += 1
            report.deviations.extend(failures)
        elif failures:
            report.failed += 1
            report.failures.extend(failures)
        else:
            report.passed += 1
            report.passes.append(f"{case.path} [{item.rule_set_id or msg('test.lookup', lang)}]")
    if broken:
        report.tally.failed += 1
    else:
        report.tally.done += 1


def settle_known_deviation(case: Case, item: TestItem, failures: list[Failure],
                           lang: str = "nb") -> list[Failure]:
    """A case marked ``known_deviation`` that still deviates is no failure but a known deviation,
    listed with its reason; one that now passes fails until the mark is removed, so the list of
    known deviations stays true."""
    reason = case.model.known_deviation
    if reason is None:
        return failures
    if failures:
        return [Failure(f.file, f.rule_set, f.service, f.message, f.why, deviation=True) for f in failures]
    return [Failure(case.path, item.rule_set_id or "-", None, msg("test.deviation_passes", lang, reason=reason))]


def _check_untested(engine: Engine, case: Case) -> None:
    crs, _ = engine.choose(case)
    problems = check_facts(case, crs.ruleset.vocabulary)
    if problems:
        raise CaseError(f"{case.path}: ugyldige opplysninger", problems)


def uncovered(crs: CompiledRuleSet, cov: Coverage) -> tuple[list, list, list]:
    """(rules never taken, (service, outcome) never reached, steps never reached)."""
    rules = []
    outcomes = []
    steps = set()
    for sid, service in crs.ruleset.services.items():
        possible = set()
        for r in _all_rules(service):
            if r.id not in cov.rules:
                rules.append((sid, r))
            if r.outcome:
                possible.add(r.outcome)
                if r.outcome != "uavklart" and (r.step or service.step) is not None:
                    steps.add(r.step or service.step)
        for o in sorted(possible):
            if (sid, o) not in cov.outcomes:
                outcomes.append((sid, o))
    return rules, outcomes, sorted(steps - cov.steps)


def _all_rules(service):
    """The rules of a service's tree and of its parts' decision lists."""
    yield from service.rules()
    for part in service.parts:
        yield from part.service.rules()


def format_report(report: Report, *, coverage: bool = False, verbose: bool = False,
                  engine: Engine | None = None, lang: str = "nb") -> str:
    lines = []
    if verbose:
        lines += [f"ok   {p}" for p in report.passes]
    for f in report.failures:
        where = f"{f.file} [{f.rule_set}]" + (f" {f.service}" if f.service else "")
        lines.append(f"{msg('test.fail', lang)} {where}: {f.message}")
        if f.why:
            lines.append(f"     {msg('test.why', lang)}: {f.why}")
    for f in report.deviations:
        where = f"{f.file} [{f.rule_set}]" + (f" {f.service}" if f.service else "")
        lines.append(f"{msg('test.deviation', lang)} {where}: {f.message}")
    for f in report.notes:
        lines.append(f"{msg('test.note', lang)} {f.file} [{f.rule_set}] {f.service}: {f.message}")
    lines += skipped_text(report.skipped, lang).splitlines()
    if coverage:
        lines.append("")
        lines.append(msg("test.coverage_title", lang))
        seen = {str(Path(k).resolve()) for k in report.coverage}
        items = sorted(report.coverage.items())
        if engine is not None:
            for e in engine.catalog():
                if str(e.path.resolve()) not in seen:
                    try:
                        items.append((str(e.path), (engine.compiled(e.path), Coverage())))
                    except RuleSetError:
                        lines.append(f"  {e.path}: {msg('test.invalid_rule_set', lang)}")
        for key, (crs, cov) in items:
            rules, outcomes, steps = uncovered(crs, cov)
            total = sum(1 for s in crs.ruleset.services.values() for _ in _all_rules(s))
            rs = crs.ruleset
            lines.append(f"  {rs.id} {rs.version}: {msg_n('test.branches', total, lang, reached=total - len(rules))}")
            for sid, r in rules:
                pos = f" ({r.span.short()})" if r.span else ""
                lines.append(f"    {msg('test.branch_missed', lang)}: {sid} / {r.id}{pos}")
            for sid, o in outcomes:
                lines.append(f"    {msg('test.outcome_missed', lang)}: {sid} → {o}")
            if steps:
                lines.append(f"    {msg('test.steps_missed', lang)}: {', '.join(map(str, steps))}")
    if engine is not None and engine.broken():
        lines.append(error_section([], engine.broken(), lang).rstrip("\n"))
    lines.append(tally_line(report.tally, lang))
    lines.append(msg_n("test.cases", report.cases, lang))
    if report.untested:
        lines.append(msg_n("test.untested", report.untested, lang))
    if report.deviating:
        lines.append(msg_n("test.deviations", report.deviating, lang))
    lines.append(f"{report.passed} passed, {report.failed} failed")
    return "\n".join(lines) + "\n"
