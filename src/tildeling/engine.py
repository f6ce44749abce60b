"""The engine as the CLI, the test runner and other programs use it: find rule sets,
resolve a case to one, compile it once (cached), evaluate and explain.

    from tildeling.engine import Engine
    Engine().evaluate(load_case("cases/drammen/dr-060.yaml"))["decisions"][0]["outcome"]  # 'innvilget'
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from tildeling.core.diagnostics import make
from tildeling.core.errors import CaseError, RuleSetError, UsageError
from tildeling.core.numbers import NUMBER_LIMIT_TEXT, computable
from tildeling.evaluation.compiler import CompiledRuleSet, compile_ruleset
from tildeling.evaluation.trace import Tracer
from tildeling.evaluation.walker import decide, environment
from tildeling.explain.explanation import explain_case
from tildeling.i18n.messages import msg
from tildeling.rules.cases import Case, check_facts, runtime_facts
from tildeling.rules.resolve import (
    CatalogEntry,
    catalog,
    no_rule_set,
    resolve,
    rules_dir,
)
from tildeling.rules.ruleset import load_ruleset


class Engine:
    def __init__(self, directory: str | Path | None = None):
        self._dir_option = str(directory) if directory else None
        self._dir: Path | None = None
        self._catalog: list[CatalogEntry] | None = None
        self._compiled: dict[str, CompiledRuleSet] = {}

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
        """Load, check and compile a rule set file once per process."""
        key = str(Path(path).resolve())
        if key not in self._compiled:
            self._compiled[key] = compile_ruleset(load_ruleset(path, display=_display(Path(path))))
        return self._compiled[key]

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
               rule_set_id: str | None = None, lang: str = "nb") -> tuple[CompiledRuleSet, list[str]]:
        """The compiled rule set a case is judged by, with any resolution warnings."""
        on = as_of or case.application_date
        if rules is not None:
            p = Path(rules)
            if not p.is_file():
                raise UsageError(f"Fant ikke regelsettet «{rules}».")
            return self.compiled(p), []
        if rule_set_id is not None:
            entry = self.by_id(rule_set_id, on)
            if entry is None:
                raise UsageError(f"Fant ikke regelsettet med id «{rule_set_id}» i {self.directory}.")
            return self.compiled(entry.path), []
        res = resolve(self.catalog(), case.municipality, on)
        if res is None:
            raise CaseError(f"{case.path}: ukjent kommune",
                            [no_rule_set(case.municipality, case.doc.span_for(("municipality",)))])
        warnings = []
        if res.warning:
            warnings.append(msg("warning.no_rule_set_in_force", lang, municipality=case.municipality,
                                date=on.isoformat(), rule_set=f"{res.entry.id} {res.entry.version}",
                                valid=res.entry.validity()))
        return self.compiled(res.entry.path), warnings

    def evaluate(self, case: Case, *, as_of: _dt.date | None = None, rules: str | Path | None = None,
                 rule_set_id: str | None = None, lang: str | None = None, explain: bool = False) -> dict[str, Any]:
        """Evaluate every service the case applies for; returns the JSON outcome (a dict)."""
        crs, warnings = self.choose(case, as_of=as_of, rules=rules, rule_set_id=rule_set_id, lang=lang or "nb")
        return evaluate_with(crs, case, as_of=as_of, lang=lang, explain=explain, warnings=warnings)


def evaluate_with(crs: CompiledRuleSet, case: Case, *, as_of: _dt.date | None = None, lang: str | None = None,
                  explain: bool = False, warnings: list[str] | None = None) -> dict[str, Any]:
    rs = crs.ruleset
    on = as_of or case.application_date
    problems = check_facts(case, rs.vocabulary, on)
    if problems:
        raise CaseError(f"{case.path}: ugyldige opplysninger", problems)
    env = environment(crs, runtime_facts(case, rs.vocabulary, on), on)
    tracer = Tracer() if explain else None
    try:
        raws = decide(crs, env, case.applied_for, tracer)
    except ArithmeticError:  # e.g. a product of large numbers beyond float range
        raws = None
    if raws is None or not all(computable(r.amount) and computable(r.score) for r in raws):
        raise CaseError(f"{case.path}: ugyldige opplysninger",
                        [make("number-out-of-range", "error", "number.computed_out_of_range",
                              case.doc.span_for(("facts",)), limit=NUMBER_LIMIT_TEXT)])
    return explain_case(crs, case.id, raws, env, on, lang or rs.language, warnings=warnings, tracer=tracer)


def _display(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


__all__ = ["Engine", "evaluate_with", "RuleSetError", "CaseError"]
