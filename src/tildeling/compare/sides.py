"""Which rule set judges a case on each side of a comparison (``diff``, ``harmonise``,
``compare``): OLD and NEW as given (a file, a rule-set id, or ``auto``), the legacy set of the
case's former municipality when ``auto`` stands against a harmonised set
(:mod:`tildeling.rules.merger`), and the cases left out — not covered, never guessed and never
compared with their own rule set (:class:`NotCovered`)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tildeling.core.diagnostics import suggest
from tildeling.core.errors import CaseError, RuleSetError, UsageError
from tildeling.engine import Engine, case_environment
from tildeling.evaluation.plan import CompiledRuleSet
from tildeling.i18n.diagnostic_messages import keyed
from tildeling.i18n.messages import msg
from tildeling.rules.cases import Case
from tildeling.rules.merger import Merger, find_merger, norm
from tildeling.rules.resolve import read_metadata, rule_sets_for

if TYPE_CHECKING:
    from tildeling.compare.diff import DiffTask

AUTO = "auto"


# --- which rule sets ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Spec:
    """OLD or NEW as given: a rule-set file (``path``), an id from the catalog (``id``: the
    version in force on each case's date, else the latest) or ``auto`` (the rule set each
    case resolves to by municipality and date, as ``evaluate`` picks it)."""

    text: str
    kind: str  # "path" | "id" | "auto"


def parse_spec(engine: Engine, text: str) -> Spec:
    """Read OLD/NEW; raises :class:`UsageError` when it names nothing."""
    p = Path(text)
    if p.is_file():
        return Spec(text, "path")
    if text == AUTO:
        return Spec(text, "auto")
    if p.is_dir():
        raise UsageError(keyed("error.path_is_directory", path=text))
    if engine.by_id(text) is not None:
        return Spec(text, "id")
    if p.suffix in (".yaml", ".yml") or "/" in text:
        raise UsageError(keyed("error.rule_set_not_found", path=text))
    ids = sorted({e.id for e in engine.catalog()})
    found = suggest(text, ids)
    where = {"id": text, "dir": str(engine.directory)}
    if found:
        raise UsageError(keyed("error.rule_set_id_not_found.suggest", name=found[0], **where))
    if ids:
        raise UsageError(keyed("error.rule_set_id_not_found.known", ids=", ".join(ids), **where))
    raise UsageError(keyed("error.rule_set_id_not_found", **where))


def precompile(engine: Engine, spec: Spec) -> None:
    """Load and compile what a spec names up front. An invalid rule set does not stop the
    diff: the cases it should judge fail, and its errors are listed once."""
    paths = [spec.text] if spec.kind == "path" else [e.path for e in engine.catalog() if e.id == spec.text]
    for p in paths:
        try:
            engine.compiled(p)
        except RuleSetError:
            pass  # engine.broken() holds it


def choose(engine: Engine, spec: Spec, case: Case, as_of: _dt.date | None, check: bool = True) -> CompiledRuleSet:
    if spec.kind == "path":
        return engine.choose(case, rules=spec.text, check_services=check)[0]
    if spec.kind == "id":
        return engine.choose(case, as_of=as_of, rule_set_id=spec.text, check_services=check)[0]
    return engine.choose(case, as_of=as_of, check_services=check)[0]


@dataclass(frozen=True)
class NotCovered:
    """A case left out of a comparison, and why (a code of docs/feilkoder.md): never guessed,
    never compared with itself, never judged by a rule set of another municipality."""

    case: str
    municipality: str
    code: str
    suggestion: str | None = None  # «mente du …?» for a misspelt former_municipality
    former: str | None = None  # the former_municipality the case gives
    rule_set: str | None = None  # "id version" the code is about
    description: str | None = None  # only when personal data was asked for

    def to_json(self, source: str, lang: str, merger: Merger | None = None) -> dict:
        known = ", ".join(merger.municipalities) if merger is not None else ""
        text = msg(f"not_covered.{self.code}", lang, municipality=self.municipality,
                   merger=merger.municipality if merger is not None else "", former=self.former or "", known=known,
                   rule_set=self.rule_set or "")
        if self.suggestion is not None:
            text += " " + msg("hint.did_you_mean", lang, name=self.suggestion)
        out = {"case": self.case, "source": source, "municipality": self.municipality, "code": self.code,
               "message": text}
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
        if self.description is not None:
            out["description"] = self.description
        return out


class _Uncovered(Exception):
    def __init__(self, why: NotCovered) -> None:
        super().__init__(why.code)
        self.why = why


def merger_of(engine: Engine, spec: Spec, crs: CompiledRuleSet) -> Merger | None:
    """The merger whose harmonised set ``spec`` names (``crs`` is its version for the case), or
    ``None`` when that rule set supersedes nothing."""
    meta = crs.ruleset.meta
    if not meta.supersedes:
        return None
    found = find_merger(engine.catalog(), meta.id)
    if found is not None and any(str(e.path.resolve()) == str(Path(crs.ruleset.path).resolve())
                                 for e in found.harmonised):
        return found
    entry = read_metadata(Path(crs.ruleset.path))  # a harmonised set outside the catalogue (a draft)
    if entry is None:
        return None
    legacy = tuple(e for sid in meta.supersedes
                   for e in sorted((e for e in engine.catalog() if e.id == sid), key=lambda e: e.valid_from))
    return Merger(meta.municipality, (entry,), legacy)


def covers(engine: Engine, crs: CompiledRuleSet, case: Case) -> bool:
    """Whether ``crs`` may judge a case of the case's municipality: it is that municipality's,
    or in the same merger (it supersedes one of the municipality's rule sets, or is superseded
    by one that covers it: a legacy set compared with its harmonised one)."""
    meta = crs.ruleset.meta
    if norm(meta.municipality) == norm(case.municipality):
        return True
    own = rule_sets_for(engine.catalog(), case.municipality)
    family = {e.id for e in own} | {sid for e in own for sid in e.supersedes}
    return meta.id in family or bool(family.intersection(meta.supersedes))


def pair(engine: Engine, task: DiffTask, case: Case) -> dict[str, CompiledRuleSet]:
    """The rule sets the case is judged by on each side; raises :class:`_Uncovered` when it is
    not covered. ``auto`` against a harmonised set is the legacy set of the case's former
    municipality (:mod:`tildeling.rules.merger`, as ``harmonise`` finds it)."""
    if not rule_sets_for(engine.catalog(), case.municipality) and "path" not in (task.old.kind, task.new.kind):
        engine.choose(case, as_of=task.as_of)  # raises unknown-municipality («mente du …?»)
    # (a rule-set file given on either side may be the municipality's own: `covers` decides)
    new = choose(engine, task.new, case, task.as_of, check=False)
    case_environment(new, case, task.as_of)  # a case with invalid facts is an error, covered or not
    merger = merger_of(engine, task.new, new) if task.old.kind == AUTO and task.new.kind != AUTO else None
    if merger is not None:
        on = task.as_of or case.application_date
        former = merger.former_municipality(case.municipality, case.former_municipality, on)
        if former.municipality is None:
            raise _Uncovered(NotCovered(case.id, case.municipality, str(former.code), former.suggestion,
                                        case.former_municipality))
        old = engine.choose(case, rules=merger.legacy_entry(former.municipality, on).path, check_services=False)[0]
    else:
        old = choose(engine, task.old, case, task.as_of, check=False)
    crs = {"old": old, "new": new}
    for side, spec in (("old", task.old), ("new", task.new)):
        if spec.kind != AUTO and not covers(engine, crs[side], case):
            raise _Uncovered(NotCovered(case.id, case.municipality, "municipality-not-covered",
                                        rule_set=f"{crs[side].ruleset.id} {crs[side].ruleset.version}"))
    for c in (old, new):  # services no rule set of the municipality knows: an error, as in evaluate
        problems = engine.service_problems(case, c)
        if problems:
            raise CaseError(keyed("error.invalid_case", name=case.path), problems)
    if old is new and AUTO in (task.old.kind, task.new.kind):  # `diff X X` asked for it; `auto` did not
        raise _Uncovered(NotCovered(case.id, case.municipality, "same-rule-set",
                                    rule_set=f"{old.ruleset.id} {old.ruleset.version}"))
    return crs
